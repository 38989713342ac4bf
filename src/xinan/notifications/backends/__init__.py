"""Pluggable delivery backends, chosen by XINAN_SMS_BACKEND (with XINAN_SMS_FAILOVER_BACKEND)
and XINAN_EMAIL_BACKEND."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from xinan.notifications.backends.base import Backend
from xinan.notifications.enums import Channel


def sms_backend(name: str) -> Backend:
    # Built on each use from the settings (cheap: no connection is kept), so a changed setting applies at once.
    if name == "aliyun":
        from xinan.notifications.backends.aliyun import AliyunSmsBackend

        return AliyunSmsBackend.from_settings()
    if name == "tencent":
        from xinan.notifications.backends.tencent import TencentSmsBackend

        return TencentSmsBackend.from_settings()
    from xinan.notifications.backends.outbox import OutboxBackend

    return OutboxBackend()


def sms_backends() -> list[Backend]:
    """The SMS providers in the order they are tried: the main one, then the failover one if set."""
    names = [settings.SMS_BACKEND]
    if settings.SMS_FAILOVER_BACKEND and settings.SMS_FAILOVER_BACKEND != settings.SMS_BACKEND:
        names.append(settings.SMS_FAILOVER_BACKEND)
    return [sms_backend(name) for name in names]


@cache
def _email_backend(name: str) -> Backend:
    if name == "smtp":
        from xinan.notifications.backends.smtp import SmtpEmailBackend

        return SmtpEmailBackend()
    from xinan.notifications.backends.outbox import OutboxBackend

    return OutboxBackend()


def get_backends(channel: str) -> list[Backend]:
    """The backends that may send a message of ``channel``, in the order they are tried."""
    if channel == Channel.SMS:
        return sms_backends()
    if channel in (Channel.WECOM, Channel.WECOM_ROBOT):
        from xinan.notifications.backends.wecom import WecomAppBackend, WecomRobotBackend

        return [WecomAppBackend() if channel == Channel.WECOM else WecomRobotBackend()]
    if channel in (Channel.DINGTALK, Channel.DINGTALK_ROBOT):
        from xinan.notifications.backends.dingtalk import DingtalkRobotBackend, DingtalkWorkNoticeBackend

        return [DingtalkWorkNoticeBackend() if channel == Channel.DINGTALK else DingtalkRobotBackend()]
    return [_email_backend(settings.EMAIL_DELIVERY)]


def get_backend(channel: str) -> Backend:
    return get_backends(channel)[0]
