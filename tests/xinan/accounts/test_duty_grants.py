"""The separation of duties (三员分立) on every path that grants a role (issue 13.1): a holder of
one of the three duties gets no role that reads case, student or submission data and no regional
admin role, and such a holder gets no duty. Each refusal is audited and raises an alert at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tests.campaign_fixtures import campaign  # noqa: F401 - fixture
from tests.factories import MembershipFactory, UserFactory
from xinan.alerts.enums import AlertRule
from xinan.alerts.models import Alert
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import FilingRight
from xinan.cases.services.team import TeamError, add_team_member, enlist_team_member
from xinan.demo.services.generate import PEOPLE, generate_demo
from xinan.notifications.models import Notification
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.models.membership import SeparationOfDutiesError

REFUSED = "xinan.org.membership.grant_refused"


def _grant(client, phone, organisation, role):
    data = {"phone": phone, "organisation": organisation.pk, "role": role, "position": ""}
    return client.post(reverse("accounts:admin_role_grant"), data)


def _refusal(target, *, path: str) -> AuditEntry:
    entry = AuditEntry.objects.get(action=REFUSED)
    assert entry.object_id == str(target.pk)
    assert entry.after["path"] == path
    assert str(target.phone) not in str(entry.after)
    return entry


def _alert_for(actor) -> Alert:
    return Alert.objects.get(rule=AlertRule.DUTY_GRANT_REFUSED, actor=actor)


# --- The security administrator's page ----------------------------------------------------
def test_security_admin_granting_the_coordinator_role_to_the_system_admin_is_refused(
    client, world, duties, django_capture_on_commit_callbacks
):
    # Arrange: the attack of the report.
    target = duties.system_admin_a
    client.force_login(duties.security_admin_nation)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client, target.phone, world.school_a, Role.COORDINATOR)

    # Assert: refused with the Chinese message, nothing saved, audited, alerted.
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()
    assert not Membership.objects.filter(user=target, role=Role.COORDINATOR).exists()
    entry = _refusal(target, path="admin")
    assert entry.actor == duties.security_admin_nation
    assert entry.after["role"] == Role.COORDINATOR
    assert entry.after["conflicting_roles"] == [Role.SYSTEM_ADMIN]
    alert = _alert_for(duties.security_admin_nation)
    assert alert.organisation == world.school_a
    assert Notification.objects.filter(user=duties.security_admin_a).exists()


def test_security_admin_granting_a_duty_to_the_coordinator_is_refused(
    client, world, duties, django_capture_on_commit_callbacks
):
    # Arrange: the reverse order.
    target = world.coordinator_a
    client.force_login(duties.security_admin_a)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client, target.phone, world.province_a, Role.SYSTEM_ADMIN)

    # Assert
    assert response.status_code == 400
    assert not Membership.objects.filter(user=target, role=Role.SYSTEM_ADMIN).exists()
    assert _refusal(target, path="admin").after["conflicting_roles"] == [Role.COORDINATOR]
    assert _alert_for(duties.security_admin_a).organisation == world.province_a


@pytest.mark.parametrize("role", [Role.PROVINCIAL_ADMIN, Role.REVIEWER, Role.STAFF])
def test_security_admin_cannot_give_a_duty_holder_a_regional_or_reading_role(client, world, duties, role):
    # Arrange
    target = duties.auditor_a
    organisation = world.school_a if role == Role.STAFF else world.province_a
    client.force_login(duties.security_admin_nation)

    # Act
    response = _grant(client, target.phone, organisation, role)

    # Assert
    assert response.status_code == 400
    assert not Membership.objects.filter(user=target, role=role).exists()
    assert _refusal(target, path="admin").after["conflicting_roles"] == [Role.AUDITOR]


def test_a_grant_that_keeps_the_duties_apart_is_not_refused(client, world, duties):
    # Arrange
    client.force_login(duties.security_admin_a)

    # Act
    response = _grant(client, world.staff_a.phone, world.school_a, Role.TEAM_MEMBER)

    # Assert
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=REFUSED).exists()


# --- The team leader's crisis-team page (service) ----------------------------------------
@pytest.mark.parametrize("verb", ["add", "enlist"])
def test_team_leader_cannot_put_a_duty_holder_on_the_crisis_team(
    world, duties, verb, django_capture_on_commit_callbacks
):
    # Arrange: even a duty holder affiliated with the school through legacy data.
    target = duties.system_admin_a
    action = add_team_member if verb == "add" else enlist_team_member

    # Act
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TeamError) as info:
        action(world.school_a, user=target, role=Role.COORDINATOR, by=world.team_leader_a)

    # Assert
    assert "三员分立" in info.value.message
    assert not Membership.objects.filter(user=target, role=Role.COORDINATOR).exists()
    assert _refusal(target, path="team").actor == world.team_leader_a
    assert _alert_for(world.team_leader_a).organisation == world.school_a


# --- A province's filers: the form and the Excel import --------------------------------------
def test_province_cannot_make_the_system_admin_a_filer(client, world, duties, campaign):  # noqa: F811 - fixture
    # Arrange
    target = duties.system_admin_a
    client.force_login(world.provincial_admin_a)

    # Act
    response = client.post(
        reverse("campaigns:province", args=[campaign.pk]),
        {"name": "填报人", "phone": target.phone, "school": world.school_a.pk},
    )

    # Assert
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()
    assert not FilingRight.objects.filter(filer=target).exists()
    assert not Membership.objects.filter(user=target, role=Role.FILER).exists()
    assert _refusal(target, path="filer").actor == world.provincial_admin_a


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_import_refuses_the_security_admin_as_a_filer_and_saves_nothing(
    client,
    world,
    duties,
    campaign,  # noqa: F811 - fixture
):
    # Arrange: one good row, one row with the security admin's phone.
    target = duties.security_admin_a
    data = _xlsx([("甲", world.school_a.name, "13600000001"), ("乙", world.school_a.name, target.phone)])
    client.force_login(world.provincial_admin_a)

    # Act
    response = client.post(
        reverse("campaigns:import_filers", args=[campaign.pk]), {"file": SimpleUploadedFile("filers.xlsx", data)}
    )

    # Assert: all or nothing, the row named, the refusal kept although nothing was imported.
    assert response.status_code == 400
    assert "三员分立" in response.content.decode()
    assert not FilingRight.objects.exists()
    assert _refusal(target, path="import").actor == world.provincial_admin_a


# --- The demo and the command line ------------------------------------------------------------
def test_demo_refuses_a_demo_duty_for_a_phone_that_already_reads_cases(world):
    # Arrange: the demo's system admin phone is already a counsellor's.
    demo_system_admin = next(p for p in PEOPLE if p.role == Role.SYSTEM_ADMIN)
    holder = UserFactory(phone=demo_system_admin.phone)
    MembershipFactory(user=holder, organisation=world.school_a, role=Role.COUNSELLOR)

    # Act / Assert
    with pytest.raises(SeparationOfDutiesError):
        generate_demo()
    with pytest.raises(CommandError, match="三员分立"):
        call_command("demo")
    assert not Membership.objects.filter(user=holder, role=Role.SYSTEM_ADMIN).exists()
    assert AuditEntry.objects.filter(action=REFUSED, object_id=str(holder.pk)).count() == 2
    others = [p.phone for p in PEOPLE if p.phone != holder.phone]
    assert not get_user_model().objects.filter(phone__in=others).exists()  # nothing of the demo written


def test_shell_writes_are_refused_by_the_model(world, duties):
    # Arrange / Act / Assert: what a `shell` session would type.
    with pytest.raises(SeparationOfDutiesError):
        Membership.objects.create(user=duties.system_admin_a, organisation=world.school_a, role=Role.COORDINATOR)
    with pytest.raises(SeparationOfDutiesError):
        Membership.objects.get_or_create(user=world.counsellor_a, organisation=world.nation, role=Role.AUDITOR)
