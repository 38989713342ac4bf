"""Separation of duties (三员分立): three people, none reads case content."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import MembershipFactory, person
from xinan.audit.models import AuditEntry
from xinan.audit.services.record import record
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.models.membership import SeparationOfDutiesError


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


# --- The invariant beyond the three duties (issue 13.1) --------------------------------------
def test_every_role_is_either_a_duty_or_in_conflict_with_the_duties():
    # Arrange / Act
    from xinan.organisations.enums import DUTY_CONFLICTING_ROLES, THREE_DUTY_ROLES

    # Assert: a new role must be placed on purpose, never left out of the invariant.
    assert set(Role) == DUTY_CONFLICTING_ROLES | THREE_DUTY_ROLES
    assert not DUTY_CONFLICTING_ROLES & THREE_DUTY_ROLES


def test_the_database_guard_lists_the_same_roles_as_the_enums():
    # Arrange
    import importlib

    from xinan.organisations.enums import DUTY_CONFLICTING_ROLES, THREE_DUTY_ROLES

    guard = importlib.import_module("xinan.organisations.migrations.0003_separation_of_duties_guard")

    # Act / Assert
    assert set(guard.DUTIES) == {role.value for role in THREE_DUTY_ROLES}
    assert set(guard.CONFLICTING) == {role.value for role in DUTY_CONFLICTING_ROLES}


@pytest.mark.parametrize(("duty", "other"), [(Role.SYSTEM_ADMIN, Role.COORDINATOR), (Role.AUDITOR, Role.FILER)])
def test_a_duty_holder_cannot_be_given_a_role_that_reads_data(world, duty, other):
    # Arrange
    holder = person(duty, world.province_a)

    # Act / Assert
    with pytest.raises(SeparationOfDutiesError) as info:
        MembershipFactory(user=holder, organisation=world.school_a, role=other)
    assert "三员分立" in str(info.value)
    assert info.value.conflicting == [duty.value]
    assert not Membership.objects.filter(user=holder, role=other).exists()


@pytest.mark.parametrize("duty", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_a_reader_of_data_or_regional_admin_cannot_be_given_a_duty(world, duty):
    # Arrange: the reverse order of the attack.
    for holder in (world.coordinator_a, world.provincial_admin_a, world.national_admin):
        # Act / Assert
        with pytest.raises(SeparationOfDutiesError):
            MembershipFactory(user=holder, organisation=world.province_a, role=duty)
        assert not Membership.objects.filter(user=holder, role=duty).exists()


def test_a_revoked_duty_no_longer_blocks_and_an_inactive_grant_is_not_a_conflict(world):
    # Arrange
    holder = person(Role.SYSTEM_ADMIN, world.province_a)
    Membership.objects.filter(user=holder).update(is_active=False)

    # Act
    granted = MembershipFactory(user=holder, organisation=world.school_a, role=Role.COUNSELLOR)

    # Assert: and reactivating the duty now is refused.
    duty = Membership.objects.get(user=holder, role=Role.SYSTEM_ADMIN)
    duty.is_active = True
    with pytest.raises(SeparationOfDutiesError):
        duty.save()
    assert granted.is_active


def test_the_database_refuses_a_conflict_that_skips_the_model(world):
    # Arrange: the command line (a shell) with the ORM's bulk paths, which never call save().
    holder = person(Role.SECURITY_ADMIN, world.province_a)
    revoked = MembershipFactory(user=holder, organisation=world.school_a, role=Role.STAFF, is_active=False)

    # Act / Assert: an insert
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create([Membership(user=holder, organisation=world.school_a, role=Role.COORDINATOR)])
    # an update reactivating the old role
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=revoked.pk).update(is_active=True)
    # an update moving someone's coordinator role onto the duty holder
    coordinator = Membership.objects.get(user=world.coordinator_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=coordinator.pk).update(user=holder)
    # an update turning the duty into a second duty beside a reactivated one is the same refusal
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=revoked.pk).update(role=Role.AUDITOR, is_active=True)
    assert list(Membership.objects.filter(user=holder, is_active=True).values_list("role", flat=True)) == [
        Role.SECURITY_ADMIN
    ]


def test_the_database_accepts_the_writes_that_keep_the_invariant(world):
    # Arrange
    holder = person(Role.SECURITY_ADMIN, world.province_a)

    # Act: a second organisation for the same duty, and revoking it.
    Membership.objects.bulk_create([Membership(user=holder, organisation=world.province_b, role=Role.SECURITY_ADMIN)])
    Membership.objects.filter(user=holder).update(is_active=False)

    # Assert
    assert Membership.objects.filter(user=holder, is_active=False).count() == 2
