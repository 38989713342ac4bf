"""SMS sign-in codes: every limit of the foundation issue, with its Chinese message and audit line."""

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory, override_settings

from tests.factories import UserFactory
from xinan.accounts.models import LoginCode
from xinan.accounts.services import codes
from xinan.audit.models import AuditEntry
from xinan.notifications.models import Message


def _request(ip="10.0.0.1"):
    return RequestFactory().post("/accounts/login/code/", REMOTE_ADDR=ip)


def _last_code(phone: str) -> str:
    body = Message.objects.to_address(phone).filter(template="login_code").latest("pk").body
    return next(token for token in body.replace("，", " ").split() if token.isdigit() and len(token) == 6)


@pytest.fixture
def user(db):
    return UserFactory()


def test_request_code_sends_sms_through_outbox_and_stores_only_hash(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        codes.request_code(user.phone, request=_request())
    code = _last_code(user.phone)
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash
    assert len(stored.code_hash) == 64
    assert Message.objects.get().status == "sent"  # immediate task backend, outbox backend


def test_verify_code_right_code_signs_in_once(user):
    codes.request_code(user.phone, request=_request())
    code = _last_code(user.phone)
    assert codes.verify_code(user.phone, code, request=_request()) == user
    with pytest.raises(codes.SignInError, match="已使用"):
        codes.verify_code(user.phone, code, request=_request())
    assert AuditEntry.objects.filter(action="xinan.auth.code.reused").count() == 1


def test_verify_code_expired_code_refused(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        codes.request_code(user.phone, request=_request())
        code = _last_code(user.phone)
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        with pytest.raises(codes.SignInError, match="已过期"):
            codes.verify_code(user.phone, code, request=_request())
    assert AuditEntry.objects.filter(action="xinan.auth.code.expired").exists()


def test_verify_code_five_wrong_tries_kill_the_code(user):
    codes.request_code(user.phone, request=_request())
    code = _last_code(user.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(codes.SignInError) as info:
            codes.verify_code(user.phone, wrong, request=_request())
        messages.append(info.value.message)
    assert "还可以再试 4 次" in messages[0]
    assert "次数过多" in messages[-1]
    with pytest.raises(codes.SignInError, match="失效"):
        codes.verify_code(user.phone, code, request=_request())  # even the right code is dead now


def test_request_code_resend_within_60_seconds_refused(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        codes.request_code(user.phone, request=_request())
        traveller.shift(dt.timedelta(seconds=30))
        with pytest.raises(codes.SignInError, match="秒后再重新获取") as info:
            codes.request_code(user.phone, request=_request())
        assert 1 <= info.value.retry_after <= 30
        traveller.shift(dt.timedelta(seconds=31))
        codes.request_code(user.phone, request=_request())
    assert Message.objects.count() == 2
    assert AuditEntry.objects.filter(action="xinan.auth.code.refused", reason="limit: resend").count() == 1


def test_request_code_new_code_invalidates_previous(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        codes.request_code(user.phone, request=_request())
        first = _last_code(user.phone)
        traveller.shift(dt.timedelta(seconds=61))
        codes.request_code(user.phone, request=_request())
        second = _last_code(user.phone)
        if first != second:
            with pytest.raises(codes.SignInError):
                codes.verify_code(user.phone, first, request=_request())
        assert codes.verify_code(user.phone, second, request=_request()) == user


@override_settings(LOGIN_CODES_PER_PHONE_HOUR=3)
def test_request_code_hourly_cap_per_phone(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for _ in range(3):
            codes.request_code(user.phone, request=_request())
            traveller.shift(dt.timedelta(seconds=61))
        with pytest.raises(codes.SignInError, match="过于频繁"):
            codes.request_code(user.phone, request=_request())
        traveller.shift(dt.timedelta(hours=1))
        codes.request_code(user.phone, request=_request())


@override_settings(LOGIN_CODES_PER_IP_HOUR=3)
def test_request_code_hourly_cap_per_ip(db):
    people = UserFactory.create_batch(4)
    for someone in people[:3]:
        codes.request_code(someone.phone, request=_request("10.9.9.9"))
    with pytest.raises(codes.SignInError, match="过于频繁"):
        codes.request_code(people[3].phone, request=_request("10.9.9.9"))
    codes.request_code(people[3].phone, request=_request("10.9.9.10"))  # another address is not affected


def test_request_code_unknown_phone_same_answer_and_no_sms(db):
    issued = codes.request_code("13512345678", request=_request())
    assert issued.retry_after == 60
    assert Message.objects.count() == 0
    assert LoginCode.objects.filter(user__isnull=True).count() == 1
    with pytest.raises(codes.SignInError, match="验证码错误"):
        codes.verify_code("13512345678", "123456", request=_request())


@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3, LOGIN_LOCKOUT_MINUTES=15)
def test_failures_lock_the_phone_then_release_after_lockout(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        codes.request_code(user.phone, request=_request())
        code = _last_code(user.phone)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(2):
            with pytest.raises(codes.SignInError, match="验证码错误"):
                codes.verify_code(user.phone, wrong, request=_request())
        with pytest.raises(codes.SignInError, match="临时锁定"):
            codes.verify_code(user.phone, wrong, request=_request())
        with pytest.raises(codes.SignInError, match="临时锁定"):
            codes.verify_code(user.phone, code, request=_request())  # the right code does not help now
        with pytest.raises(codes.SignInError, match="临时锁定"):
            codes.request_code(user.phone, request=_request())
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        codes.request_code(user.phone, request=_request())
        assert codes.verify_code(user.phone, _last_code(user.phone), request=_request()) == user
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").count() == 1
    assert AuditEntry.objects.filter(action="xinan.auth.locked").count() == 2


@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_release_lock_by_admin_is_audited(user, world):
    codes.request_code(user.phone, request=_request())
    for _ in range(3):
        with pytest.raises(codes.SignInError):
            codes.verify_code(user.phone, "000000" if _last_code(user.phone) != "000000" else "111111")
    assert codes.release_lock(user.phone, by=world.national_admin)
    codes.ensure_not_locked(user.phone)  # no exception
    assert AuditEntry.objects.filter(action="xinan.auth.unlock", actor=world.national_admin).exists()
