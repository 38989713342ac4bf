from xinan.organisations.services.queries import (
    audit_organisations_for_user,
    crisis_team_schools_for_user,
    forget_held_roles,
    organisations_for_user,
)


def test_view_organisation_national_admin_sees_every_level(world):
    user = world.national_admin
    for org in (world.nation, world.province_b, world.school_b):
        assert user.has_perm("organisations.view_organisation", org)


def test_view_organisation_provincial_admin_only_inside_province(world):
    user = world.provincial_admin_a
    assert user.has_perm("organisations.view_organisation", world.school_a)
    assert not user.has_perm("organisations.view_organisation", world.school_b)
    assert not user.has_perm("organisations.view_organisation", world.province_b)
    assert set(organisations_for_user(user)) == {world.province_a, world.school_a, world.school_a2}


def test_view_crisis_team_only_fixed_team_members_of_that_school(world):
    school = world.school_a
    for insider in (world.team_leader_a, world.coordinator_a, world.counsellor_a, world.health_teacher_a):
        assert insider.has_perm("organisations.view_crisis_team", school)
    for outsider in (
        world.class_teacher_a,
        world.staff_a,
        world.filer_a,
        world.counsellor_b,
        world.provincial_admin_a,
        world.national_admin,
        world.reviewer_a,
    ):
        assert not outsider.has_perm("organisations.view_crisis_team", school)


def test_crisis_team_list_query_matches_rule(world):
    assert list(crisis_team_schools_for_user(world.counsellor_a)) == [world.school_a]
    assert not crisis_team_schools_for_user(world.provincial_admin_a).exists()


def test_view_audit_log_only_own_organisation(world):
    assert world.provincial_admin_a.has_perm("organisations.view_audit_log", world.province_a)
    assert not world.provincial_admin_a.has_perm("organisations.view_audit_log", world.school_a)
    assert not world.counsellor_a.has_perm("organisations.view_audit_log", world.school_a)
    assert list(audit_organisations_for_user(world.team_leader_a)) == [world.school_a]


def test_inactive_membership_grants_nothing(world):
    membership = world.counsellor_a.memberships.get()
    membership.is_active = False
    membership.save()
    forget_held_roles(world.counsellor_a)
    assert not world.counsellor_a.has_perm("organisations.view_crisis_team", world.school_a)
