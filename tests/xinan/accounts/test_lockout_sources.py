"""Lock the attacking source, not the victim (issue 13.4): failures are counted per phone and
source and per source; the phone itself is locked only at a much higher count, and never for a
right SMS code. A lockout names the targeted account (by id) and repeated lockouts raise an alert."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from xinan.accounts.services import codes
from xinan.alerts.enums import AlertRule
from xinan.alerts.models import Alert
from xinan.audit.models import AuditEntry
from xinan.notifications.models import Message

SOURCE_A = "203.0.113.7"
SOURCE_B = "198.51.100.20"


def _password(phone, password, source):
    return Client(REMOTE_ADDR=source).post(reverse("accounts:login"), {"phone": phone, "password": password})


def _code_sign_in(phone, source):
    client = Client(REMOTE_ADDR=source)
    client.post(reverse("accounts:send_code"), {"phone": phone})
    body = Message.objects.to_address(phone).filter(template="login_code").latest("pk").body
    code = re.search(r"(?<!\d)\d{6}(?!\d)", body).group()
    return client.post(reverse("accounts:code_login"), {"phone": phone, "code": code})


def _attack(phone, source, times=10):
    for _ in range(times):
        _password(phone, "wrong-password-1", source)


def test_ten_wrong_passwords_from_one_source_lock_that_source_only(world):
    # Arrange
    leader = world.team_leader_a

    # Act: the attack of the report, from source A.
    _attack(leader.phone, SOURCE_A)

    # Assert: A is locked out of the leader's account, even with the right password ...
    refused = _password(leader.phone, PASSWORD, SOURCE_A)
    assert refused.status_code == 400
    assert "临时锁定" in refused.content.decode()
    # ... while the leader, from source B, signs in with the password and with an SMS code.
    assert _password(leader.phone, PASSWORD, SOURCE_B).status_code == 302
    assert _code_sign_in(leader.phone, SOURCE_B).status_code == 302


def test_a_locked_source_gets_no_sign_in_code_either(world):
    # Arrange
    leader = world.team_leader_a
    _attack(leader.phone, SOURCE_A)

    # Act
    response = Client(REMOTE_ADDR=SOURCE_A).post(reverse("accounts:send_code"), {"phone": leader.phone})

    # Assert
    assert response.status_code == 429
    assert not Message.objects.to_address(leader.phone).exists()


def test_the_lockout_entry_names_the_targeted_account_by_id_and_never_the_phone(world):
    # Arrange
    leader = world.team_leader_a

    # Act
    _attack(leader.phone, SOURCE_A)

    # Assert
    entry = AuditEntry.objects.get(action="xinan.auth.lockout")
    assert entry.actor is None  # the attacker is anonymous; the leader did nothing
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(leader.pk))
    assert entry.after == {"scope": "source_phone", "target_user_id": leader.pk}
    assert entry.organisation_id == world.school_a.pk
    assert leader.phone not in f"{entry.after} {entry.reason} {entry.object_id}"


@override_settings(LOGIN_FAILURES_PER_SOURCE=5)
def test_one_source_spraying_many_phones_is_locked_for_every_phone(world):
    # Arrange: one wrong password for each of five people, from A.
    people = [world.staff_a, world.counsellor_a, world.counsellor_a2, world.class_teacher_a, world.coordinator_a]
    for someone in people:
        _password(someone.phone, "wrong-password-1", SOURCE_A)

    # Act
    refused = _password(world.team_leader_a.phone, PASSWORD, SOURCE_A)

    # Assert
    assert refused.status_code == 400
    assert "临时锁定" in refused.content.decode()
    assert _password(world.team_leader_a.phone, PASSWORD, SOURCE_B).status_code == 302
    assert AuditEntry.objects.get(action="xinan.auth.lockout").after == {"scope": "source", "target_user_id": None}
    # Behind the same (campus) address, the leader still signs in with an SMS code.
    assert _code_sign_in(world.team_leader_a.phone, SOURCE_A).status_code == 302


@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=5, LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT=12)
def test_many_sources_lock_the_phones_password_but_never_a_right_sms_code(world):
    # Arrange: four sources, three failures each: no source is locked, the phone is.
    leader = world.team_leader_a
    for n in range(4):
        _attack(leader.phone, f"192.0.2.{n + 1}", times=3)

    # Act
    by_password = _password(leader.phone, PASSWORD, SOURCE_B)
    by_code = _code_sign_in(leader.phone, SOURCE_B)

    # Assert: the password is refused with a pointer to the SMS code, which works.
    assert by_password.status_code == 400
    assert "请使用短信验证码登录" in by_password.content.decode()
    assert by_code.status_code == 302
    entry = AuditEntry.objects.get(action="xinan.auth.lockout")
    assert entry.after == {"scope": "phone", "target_user_id": leader.pk}


def test_the_system_admin_lifts_the_lock_of_every_source(world):
    # Arrange
    leader = world.team_leader_a
    _attack(leader.phone, SOURCE_A)
    assert codes.locked_phones([leader.phone, world.staff_a.phone]) == {leader.phone}

    # Act
    released = codes.release_lock(leader.phone, by=world.national_admin)

    # Assert
    assert released
    assert codes.locked_phones([leader.phone]) == set()
    assert _password(leader.phone, PASSWORD, SOURCE_A).status_code == 302


@pytest.mark.parametrize(("lockouts", "alerted"), [(1, False), (2, True)])
def test_repeated_lockouts_of_one_account_raise_an_alert(world, lockouts, alerted, django_capture_on_commit_callbacks):
    # Arrange
    leader = world.team_leader_a

    # Act: one lockout per source.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(lockouts):
            _attack(leader.phone, f"192.0.2.{n + 1}")

    # Assert: the alert names the targeted account and reaches the school's team leader.
    alert = Alert.objects.filter(rule=AlertRule.REPEATED_LOCKOUTS).first()
    assert (alert is not None) is alerted
    if alerted:
        assert (alert.actor, alert.organisation, alert.count) == (leader, world.school_a, 2)
