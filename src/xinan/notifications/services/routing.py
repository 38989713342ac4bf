"""Which channels carry a notice to a person: their choice per kind of notice, else their
school's default, else SMS; urgent kinds by SMS as well. A platform the school has not
connected falls back to SMS, so no choice can leave a notice undelivered."""

from __future__ import annotations

from xinan.notifications.enums import (
    PLATFORM_CHANNELS,
    TEMPLATE_KINDS,
    URGENT_KINDS,
    Channel,
    NoticeKind,
)
from xinan.notifications.models import ChannelAccount, NoticePreference


def accounts_for_user(user) -> dict[str, ChannelAccount]:
    """The active 企业微信/钉钉 accounts of the organisations the person works in, by channel."""
    accounts = ChannelAccount.objects.filter(
        organisation__memberships__user=user, organisation__memberships__is_active=True, active=True
    ).order_by("pk")
    found: dict[str, ChannelAccount] = {}
    for account in accounts:
        if account.has_app:
            found.setdefault(PLATFORM_CHANNELS[account.platform], account)
    return found


def default_channel(accounts: dict[str, ChannelAccount]) -> str:
    for channel, account in accounts.items():
        if account.is_default:
            return channel
    return Channel.SMS


def chosen_channels(user) -> dict[str, str]:
    """The person's channel for every kind of notice (their choice, or the default they would get)."""
    accounts = accounts_for_user(user)
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "channel"))
    fallback = default_channel(accounts)
    return {
        kind: chosen.get(kind, fallback) if chosen.get(kind, fallback) in (*accounts, Channel.SMS) else Channel.SMS
        for kind in NoticeKind.values
    }


def channels_for(user, template: str) -> list[tuple[str, ChannelAccount | None]]:
    """The channels (with the account that sends) for ``template`` to ``user``, the main one first."""
    kind = TEMPLATE_KINDS.get(template)
    if kind is None or user is None:
        return [(Channel.SMS, None)]
    accounts = accounts_for_user(user)
    choice = NoticePreference.objects.filter(user=user, kind=kind).values_list("channel", flat=True).first()
    channel = choice or default_channel(accounts)
    if channel not in accounts:
        return [(Channel.SMS, None)]
    targets = [(channel, accounts[channel])]
    if kind in URGENT_KINDS:
        targets.append((Channel.SMS, None))
    return targets


def robots_to_ping(user, template: str) -> list[ChannelAccount]:
    """The group robots of the person's organisations, for a case alert (a content-free ping)."""
    if user is None or TEMPLATE_KINDS.get(template) != NoticeKind.CASE_ALERT:
        return []
    accounts = ChannelAccount.objects.filter(
        organisation__memberships__user=user, organisation__memberships__is_active=True, active=True
    ).exclude(robot_key="")
    return [account for account in accounts.distinct().order_by("pk") if account.has_robot]
