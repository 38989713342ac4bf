"""Setting a school's 企业微信/钉钉 accounts (system administrator) and a person's channel
for each kind of notice; both audited, secrets never written to the audit trail."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record
from xinan.notifications.enums import Channel, NoticeKind
from xinan.notifications.models import ChannelAccount, NoticePreference
from xinan.notifications.services.routing import accounts_for_user, chosen_channels


class ChannelSettingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _public(account: ChannelAccount | None) -> dict:
    if account is None:
        return {}
    return {
        "app_key": account.app_key,
        "agent_id": account.agent_id,
        "app_secret": "******" if account.app_secret else "",
        "robot_key": "******" if account.robot_key else "",
        "robot_secret": "******" if account.robot_secret else "",
        "active": account.active,
        "is_default": account.is_default,
    }


def set_channel_account(
    organisation,
    platform: str,
    *,
    app_key: str,
    agent_id: str,
    app_secret: str = "",
    robot_key: str = "",
    robot_secret: str = "",
    clear_robot: bool = False,
    active: bool = True,
    is_default: bool = False,
    by,
    request=None,
) -> ChannelAccount:
    """Create or change ``organisation``'s account on ``platform``. An empty secret keeps the stored one."""
    with transaction.atomic():
        account = (
            ChannelAccount.objects.select_for_update().filter(organisation=organisation, platform=platform).first()
        )
        before = _public(account)
        if account is None:
            account = ChannelAccount(organisation=organisation, platform=platform)
        account.app_key, account.agent_id = app_key.strip(), agent_id.strip()
        if app_secret:
            account.app_secret = app_secret.strip()
        if clear_robot:
            account.robot_key = account.robot_secret = ""
        if robot_key:
            account.robot_key = robot_key.strip()
        if robot_secret:
            account.robot_secret = robot_secret.strip()
        account.active, account.is_default = active, is_default
        if is_default and not account.has_app:
            raise ChannelSettingError(
                _("设为默认通知渠道前，请填写完整的应用信息（企业ID/AppKey、AgentId 和 Secret）。")
            )
        account.save()
        if is_default:  # one default per school
            ChannelAccount.objects.filter(organisation=organisation).exclude(pk=account.pk).update(is_default=False)
        record(
            AuditAction.CHANNEL_ACCOUNT_SET,
            actor=by,
            organisation=organisation,
            obj=account,
            request=request,
            before=before,
            after=_public(account),
        )
    return account


def available_channels(user) -> list[str]:
    """The channels ``user`` may choose: SMS and the platforms their organisations have connected."""
    return [Channel.SMS, *accounts_for_user(user)]


def set_notice_preferences(user, choices: dict[str, str], *, request=None) -> None:
    """Save ``user``'s channel for each kind of notice in ``choices``."""
    allowed = set(available_channels(user))
    if not set(choices) <= set(NoticeKind.values) or not set(choices.values()) <= allowed:
        raise ChannelSettingError(_("所选渠道不可用，请重新选择。"))
    with transaction.atomic():
        before = chosen_channels(user)
        for kind, channel in choices.items():
            NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
        after = chosen_channels(user)
        record(AuditAction.CHANNEL_PREFERENCE_SET, actor=user, obj=user, request=request, before=before, after=after)
