"""Password sign-in for staff, with the same lockout as SMS codes."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from xinan.accounts.services.codes import SignInError, ensure_not_locked, one_attempt_at_a_time, register_failure
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record


def verify_password(phone: str, password: str, *, request=None):
    """The user when the password is right; attempts for one phone are taken one at a time."""
    return one_attempt_at_a_time(phone, lambda: _verify_password(phone, password, request=request))


def _verify_password(phone: str, password: str, *, request=None):
    ensure_not_locked(phone, request=request)
    user = authenticate(request, phone=phone, password=password)
    if user is None or not user.is_active:
        locked = register_failure(phone, request=request)
        record(AuditAction.PASSWORD_FAILED, request=request)
        if locked:
            raise SignInError(_("因多次验证失败，该账号已被临时锁定，请稍后再试。"))
        # One message for unknown phones and wrong passwords: no account enumeration.
        raise SignInError(_("手机号或密码错误。"))
    return user
