"""Audit alerts: each rule fires above its threshold and not below, an alert is raised once,
it reaches the security admins and the team leader only, and the page is theirs alone."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import person
from xinan.alerts.enums import AlertRule
from xinan.alerts.models import Alert
from xinan.alerts.services.raising import raise_alerts
from xinan.audit.models import AuditEntry
from xinan.audit.services.record import record
from xinan.cases.models import Case, CaseMember
from xinan.notifications.models import Message, Notification
from xinan.organisations.enums import Role

CHINA = ZoneInfo("Asia/Shanghai")
DAYTIME = dt.datetime(2026, 3, 10, 10, 5, tzinfo=CHINA)


_CLONES = itertools.count(1)


def _clone(case):
    """Another case of the same school and student, assigned to counsellor A."""
    return Case.objects.create(
        school=case.school,
        reference=f"2026-9{next(_CLONES):03d}",
        student=case.student,
        assigned_counsellor=case.assigned_counsellor,
        created_by=case.created_by,
    )


def _view_cases(actor, cases, at):
    with time_machine.travel(at, tick=False):
        for case in cases:
            record("xinan.case.view", actor=actor, obj=case)


def _run(at):
    with time_machine.travel(at, tick=False):
        return raise_alerts()


@pytest.fixture
def security_admin(world):
    return person(Role.SECURITY_ADMIN, world.province_a)


# --- (a) cases not on ----------------------------------------------------------------
@pytest.mark.django_db
def test_cases_not_on_fires_above_threshold(world, case):
    cases = [case] + [_clone(case) for _ in range(5)]
    _view_cases(world.team_leader_a, cases, DAYTIME)
    alerts = _run(DAYTIME + dt.timedelta(minutes=10))
    assert [(a.rule, a.actor, a.count) for a in alerts] == [(AlertRule.CASES_NOT_ON, world.team_leader_a, 6)]
    assert alerts[0].organisation == world.school_a
    assert alerts[0].details["case_ids"] == sorted(c.pk for c in cases)


@pytest.mark.django_db
def test_cases_not_on_not_at_threshold_and_own_cases_do_not_count(world, case):
    cases = [case] + [_clone(case) for _ in range(5)]
    _view_cases(world.team_leader_a, cases[:5], DAYTIME)
    # The assigned counsellor and a case member open all six: they are on them.
    _view_cases(world.counsellor_a, cases, DAYTIME)
    for one in cases:
        CaseMember.objects.create(
            case=one, user=world.coordinator_a, role="member", added_at=DAYTIME - dt.timedelta(days=1)
        )
    _view_cases(world.coordinator_a, cases, DAYTIME)
    assert _run(DAYTIME + dt.timedelta(minutes=10)) == []


@pytest.mark.django_db
def test_cases_not_on_counts_within_one_hour_only(world, case):
    cases = [case] + [_clone(case) for _ in range(5)]
    _view_cases(world.team_leader_a, cases[:3], DAYTIME.replace(hour=9, minute=50))
    _view_cases(world.team_leader_a, cases[3:], DAYTIME)
    assert _run(DAYTIME + dt.timedelta(minutes=10)) == []


# --- (b) exports at night --------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hour", "minute", "fires"),
    [(21, 59, False), (22, 0, True), (3, 0, True), (5, 59, True), (6, 0, False)],
)
def test_night_export(world, hour, minute, fires):
    at = DAYTIME.replace(hour=hour, minute=minute)
    with time_machine.travel(at, tick=False):
        record("xinan.dossier.export", actor=world.counsellor_a, organisation=world.school_a)
    alerts = _run(at + dt.timedelta(minutes=5))
    assert [a.rule for a in alerts] == ([AlertRule.NIGHT_EXPORT] if fires else [])


@pytest.mark.django_db
def test_night_download_counts_too(world):
    at = DAYTIME.replace(hour=23)
    with time_machine.travel(at, tick=False):
        record("xinan.export.download", actor=world.counsellor_a, organisation=world.school_a)
        record("xinan.export.download", actor=world.counsellor_a, organisation=world.school_a)
    (alert,) = _run(at + dt.timedelta(minutes=5))
    assert alert.count == 2
    assert alert.window_start == DAYTIME.replace(hour=22, minute=0)
    assert alert.window_end == dt.datetime(2026, 3, 11, 6, tzinfo=CHINA)


# --- (c) repeated refusals -------------------------------------------------------------
def _refuse(actor, times, at):
    with time_machine.travel(at, tick=False):
        for _ in range(times):
            record("xinan.access.denied", actor=actor, reason="cases.view_case GET /cases/1/")


@pytest.mark.django_db
def test_refusals_fire_above_threshold(world):
    _refuse(world.staff_a, 11, DAYTIME)
    (alert,) = _run(DAYTIME + dt.timedelta(minutes=10))
    assert (alert.rule, alert.actor, alert.count, alert.organisation) == (
        AlertRule.REPEATED_REFUSALS,
        world.staff_a,
        11,
        world.school_a,
    )


@pytest.mark.django_db
def test_refusals_at_threshold_do_not_fire(world):
    _refuse(world.staff_a, 10, DAYTIME)
    _refuse(world.staff_a, 5, DAYTIME + dt.timedelta(hours=1))
    assert _run(DAYTIME + dt.timedelta(hours=1, minutes=10)) == []


@pytest.mark.django_db
def test_refusal_threshold_follows_settings(world, settings):
    settings.ALERT_REFUSALS_PER_HOUR = 2
    _refuse(world.staff_a, 3, DAYTIME)
    assert len(_run(DAYTIME + dt.timedelta(minutes=10))) == 1


# --- (d) break-the-glass twice a day ---------------------------------------------------
def _glass_break(actor, case, at):
    with time_machine.travel(at, tick=False):
        record("xinan.case.glass_break", actor=actor, obj=case)


@pytest.mark.django_db
def test_glass_break_twice_in_a_day_fires(world, case):
    _glass_break(world.coordinator_a, case, DAYTIME)
    _glass_break(world.coordinator_a, case, DAYTIME + dt.timedelta(hours=5))
    (alert,) = _run(DAYTIME + dt.timedelta(hours=5, minutes=10))
    assert (alert.rule, alert.count) == (AlertRule.GLASS_BREAK_TWICE, 2)


@pytest.mark.django_db
def test_glass_break_once_a_day_does_not_fire(world, case):
    _glass_break(world.coordinator_a, case, DAYTIME.replace(hour=23))
    _glass_break(world.coordinator_a, case, DAYTIME.replace(hour=23) + dt.timedelta(hours=2))
    assert _run(DAYTIME.replace(hour=23) + dt.timedelta(hours=2, minutes=10)) == []


# --- Once, and to whom ------------------------------------------------------------------
@pytest.mark.django_db
def test_alert_raised_once_when_job_runs_twice(world, security_admin):
    _refuse(world.staff_a, 11, DAYTIME)
    assert len(_run(DAYTIME + dt.timedelta(minutes=10))) == 1
    _refuse(world.staff_a, 2, DAYTIME + dt.timedelta(minutes=12))
    assert _run(DAYTIME + dt.timedelta(minutes=20)) == []
    alert = Alert.objects.get()
    assert alert.count == 13
    assert Notification.objects.filter(user=security_admin).count() == 1
    assert AuditEntry.objects.filter(action="xinan.alert.raise").count() == 1


@pytest.mark.django_db
def test_notifications_go_to_security_admins_and_team_leader_only(world, security_admin):
    school_security = person(Role.SECURITY_ADMIN, world.school_a)
    other_security = person(Role.SECURITY_ADMIN, world.province_b)
    sibling_security = person(Role.SECURITY_ADMIN, world.school_a2)
    _refuse(world.staff_a, 11, DAYTIME)
    _run(DAYTIME + dt.timedelta(minutes=10))
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {security_admin.pk, school_security.pk, world.team_leader_a.pk}
    texted = set(Message.objects.filter(template="audit_alert").values_list("recipient_id", flat=True))
    assert texted == told
    assert other_security.pk not in told
    assert sibling_security.pk not in told
    assert world.team_leader_b.pk not in told
    for message in Message.objects.filter(template="audit_alert"):
        assert world.staff_a.name not in message.body
        assert world.staff_a.phone not in message.body


# --- The page ----------------------------------------------------------------------------
@pytest.fixture
def alert(world):
    _refuse(world.staff_a, 11, DAYTIME)
    (raised,) = _run(DAYTIME + dt.timedelta(minutes=10))
    return raised


@pytest.mark.django_db
def test_page_for_security_admin_and_team_leader(client, world, security_admin, alert):
    for reader in (security_admin, world.team_leader_a):
        client.force_login(reader)
        response = client.get(reverse("alerts:list"))
        assert response.status_code == 200
        assert "多次被拒绝访问" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["counsellor_a", "provincial_admin_b", "team_leader_b"])
def test_page_refused_to_others_with_audit(client, world, alert, who):
    user = getattr(world, who)
    client.force_login(user)
    before = AuditEntry.objects.filter(action="xinan.access.denied", actor=user).count()
    if who == "team_leader_b":
        # A team leader elsewhere sees the page but not this alert, and cannot acknowledge it.
        response = client.get(reverse("alerts:list"))
        assert response.status_code == 200
        assert "多次被拒绝访问" not in response.content.decode()
        response = client.post(reverse("alerts:acknowledge", args=[alert.pk]))
    else:
        response = client.get(reverse("alerts:list"))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied", actor=user).count() == before + 1


@pytest.mark.django_db
def test_acknowledge(client, world, alert):
    client.force_login(world.team_leader_a)
    response = client.post(reverse("alerts:acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.team_leader_a
    assert alert.acknowledged_at is not None
    assert AuditEntry.objects.filter(action="xinan.alert.acknowledge", actor=world.team_leader_a).count() == 1


# --- Settings ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("XINAN_ALERT_CASES_NOT_ON_PER_HOUR", "many"),
        ("XINAN_ALERT_REFUSALS_PER_HOUR", "0"),
        ("XINAN_ALERT_NIGHT_START", "24"),
        ("XINAN_ALERT_NIGHT_END", "22"),
    ],
)
def test_bad_setting_stops_start_up(tmp_path, variable, value):
    env = {**os.environ, "XINAN_DATA_DIR": str(tmp_path), variable: value}
    result = subprocess.run(
        [sys.executable, "-c", "import xinan.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
