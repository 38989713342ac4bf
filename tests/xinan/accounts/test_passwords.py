import pytest
from django.test import RequestFactory, override_settings

from tests.factories import PASSWORD, UserFactory
from xinan.accounts.services import codes, passwords
from xinan.audit.models import AuditEntry


def _request():
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.2")


def test_verify_password_right_password_returns_user(db):
    user = UserFactory()
    assert passwords.verify_password(user.phone, PASSWORD, request=_request()) == user


def test_verify_password_wrong_and_unknown_get_the_same_message(db):
    user = UserFactory()
    with pytest.raises(codes.SignInError) as wrong:
        passwords.verify_password(user.phone, "not-the-password", request=_request())
    with pytest.raises(codes.SignInError) as unknown:
        passwords.verify_password("13599999999", "not-the-password", request=_request())
    assert wrong.value.message == unknown.value.message == "手机号或密码错误。"
    assert AuditEntry.objects.filter(action="xinan.auth.password.failed").count() == 2


@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_verify_password_lockout_after_repeated_failures(db):
    user = UserFactory()
    for _ in range(3):
        with pytest.raises(codes.SignInError):
            passwords.verify_password(user.phone, "nope-nope-nope", request=_request())
    with pytest.raises(codes.SignInError, match="临时锁定"):
        passwords.verify_password(user.phone, PASSWORD, request=_request())


def test_passwords_are_hashed_with_argon2(db):
    user = UserFactory()
    assert user.password.startswith("argon2")
