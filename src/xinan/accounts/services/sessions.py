"""Completing a sign-in: the session is rotated (no fixation) and the event audited."""

from __future__ import annotations

from django.contrib.auth import login
from django.utils import timezone
from django_otp import login as otp_login

from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record

PENDING_KEY = "xinan_pending_user"
PENDING_METHOD_KEY = "xinan_pending_method"
SIGNED_IN_AT_KEY = "xinan_signed_in_at"  # seconds since the epoch; the absolute lifetime counts from it


def complete_sign_in(request, user, *, method: str, device=None) -> None:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(PENDING_METHOD_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGNED_IN_AT_KEY] = int(timezone.now().timestamp())
    if device is not None:
        otp_login(request, device)
    record(AuditAction.LOGIN, actor=user, request=request, reason=method)


def hold_for_second_factor(request, user, *, method: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = user.pk
    request.session[PENDING_METHOD_KEY] = method
