"""Optional TOTP second factor (django-otp) for admin roles; seeds encrypted at rest."""

from __future__ import annotations

from django.db import transaction

from xinan.accounts.models import EncryptedTOTPDevice
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record
from xinan.organisations.enums import ADMIN_ROLES, THREE_DUTY_ROLES
from xinan.organisations.services.queries import held_roles


def may_use_totp(user) -> bool:
    # Administrators, team leaders and the three separated duties (who hold accounts, roles and the audit trail).
    return any(held.role in ADMIN_ROLES | THREE_DUTY_ROLES for held in held_roles(user))


def confirmed_device(user) -> EncryptedTOTPDevice | None:
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> EncryptedTOTPDevice:
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or EncryptedTOTPDevice.objects.create(user=user, name="totp", confirmed=False)


def confirm_device(user, token: str, *, request=None) -> bool:
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        record(AuditAction.OTP_FAILED, actor=user, request=request, reason="enrolment")
        return False
    with transaction.atomic():
        EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(AuditAction.OTP_ENABLED, actor=user, request=request)
    return True


def disable(user, *, request=None) -> None:
    with transaction.atomic():
        EncryptedTOTPDevice.objects.filter(user=user).delete()
        record(AuditAction.OTP_DISABLED, actor=user, request=request)


def verify(user, token: str, *, request=None) -> EncryptedTOTPDevice | None:
    device = confirmed_device(user)
    if device is not None and device.verify_is_allowed()[0] and device.verify_token(token):
        return device
    record(AuditAction.OTP_FAILED, actor=user, request=request)
    return None
