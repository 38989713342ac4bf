"""Separation of duties (三员分立): three people, none reads case content."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import MembershipFactory, person
from xinan.audit.models import AuditEntry
from xinan.audit.services.record import record
from xinan.organisations.enums import Role


def test_one_person_cannot_be_system_admin_and_auditor(world):
    admin = person(Role.SYSTEM_ADMIN, world.nation)
    with pytest.raises(ValidationError) as info:
        MembershipFactory(user=admin, organisation=world.nation, role=Role.AUDITOR)
    assert "三员分立" in str(info.value)


def test_one_person_cannot_hold_two_duties_even_in_different_organisations(world):
    security = person(Role.SECURITY_ADMIN, world.province_a)
    with pytest.raises(ValidationError):
        MembershipFactory(user=security, organisation=world.school_a, role=Role.SYSTEM_ADMIN)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_three_duty_roles_get_404_on_a_case(client, world, case, role):
    someone = person(role, world.school_a)
    client.force_login(someone)
    before = AuditEntry.objects.filter(action="xinan.access.denied").count()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("organisations:team", args=[world.school_a.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == before + 2


def test_auditor_reads_the_trail_of_everything_under_their_organisation(client, world):
    auditor = person(Role.AUDITOR, world.province_a)
    record("xinan.test.school", organisation=world.school_a)
    client.force_login(auditor)
    assert client.get(reverse("audit:log", args=[world.school_a.pk])).status_code == 200
    assert client.get(reverse("audit:log", args=[world.school_b.pk])).status_code == 404


def test_only_the_auditor_runs_the_integrity_check(client, world):
    auditor = person(Role.AUDITOR, world.nation)
    client.force_login(auditor)
    response = client.post(reverse("audit:verify"))
    assert response.status_code == 200
    assert "完整" in response.content.decode()
    for other in (world.national_admin, world.team_leader_a):
        client.force_login(other)
        assert client.post(reverse("audit:verify")).status_code == 404
