import pytest
from django.core.exceptions import ValidationError

from tests.factories import MembershipFactory, UserFactory, make_org
from xinan.organisations.enums import OrgKind, Role


def test_organisation_path_nests_under_parent(world):
    assert world.school_a.path.startswith(world.province_a.path)
    assert world.school_a.is_within(world.nation)
    assert not world.school_b.is_within(world.province_a)
    assert world.school_a.province == world.province_a


def test_school_under_nation_refused(world):
    school = make_org(OrgKind.SCHOOL, world.nation)
    with pytest.raises(ValidationError) as info:
        school.clean()
    assert "上级组织" in str(info.value)


def test_filer_role_in_a_province_refused(world):
    membership = MembershipFactory.build(user=UserFactory(), organisation=world.province_a, role=Role.FILER)
    with pytest.raises(ValidationError) as info:
        membership.clean()
    assert "不能在此类组织" in str(info.value)


def test_department_belongs_to_its_school(world):
    department = make_org(OrgKind.DEPARTMENT, world.school_a)
    assert department.school == world.school_a
