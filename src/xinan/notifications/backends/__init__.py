"""Pluggable delivery backends, chosen by XINAN_SMS_BACKEND and XINAN_EMAIL_BACKEND."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from xinan.notifications.backends.base import Backend
from xinan.notifications.enums import Channel


@cache
def _sms_backend(name: str) -> Backend:
    if name == "aliyun":
        from xinan.notifications.backends.aliyun import AliyunSmsBackend

        return AliyunSmsBackend.from_settings()
    from xinan.notifications.backends.outbox import OutboxBackend

    return OutboxBackend()


@cache
def _email_backend(name: str) -> Backend:
    if name == "smtp":
        from xinan.notifications.backends.smtp import SmtpEmailBackend

        return SmtpEmailBackend()
    from xinan.notifications.backends.outbox import OutboxBackend

    return OutboxBackend()


def get_backend(channel: str) -> Backend:
    if channel == Channel.SMS:
        return _sms_backend(settings.SMS_BACKEND)
    return _email_backend(settings.EMAIL_DELIVERY)
