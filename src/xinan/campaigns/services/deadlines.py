"""Deadlines are checked by the server on every write, to the second, in China time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.campaigns.enums import WindowState
from xinan.campaigns.models import Campaign, FilingRight


def format_deadline(moment: dt.datetime) -> str:
    """As a Chinese notice writes it: midnight is "24时" of the day before (12月28日24时)."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day = local - dt.timedelta(days=1)
        return _("%(y)s年%(m)s月%(d)s日24时") % {"y": day.year, "m": day.month, "d": day.day}
    values = {"y": local.year, "m": local.month, "d": local.day, "H": local.hour, "M": local.minute, "S": local.second}
    if local.second:  # the window is enforced to the second: a deadline with seconds shows them
        return _("%(y)s年%(m)s月%(d)s日%(H)02d:%(M)02d:%(S)02d") % values
    return _("%(y)s年%(m)s月%(d)s日%(H)02d:%(M)02d") % values


def filing_deadline(campaign: Campaign, right: FilingRight | None) -> dt.datetime:
    if right is not None and right.extended_until and right.extended_until > campaign.closes_at:
        return right.extended_until
    return campaign.closes_at


def seconds_left(campaign: Campaign, right: FilingRight | None, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return max(0, int((filing_deadline(campaign, right) - now).total_seconds()))


def window_state(campaign: Campaign, right: FilingRight | None, *, now: dt.datetime | None = None) -> WindowState:
    """Not published, not started, open or closed: as ensure_window judges the time (extensions counted)."""
    now = now or timezone.now()
    if campaign.published_at is None:
        return WindowState.NOT_PUBLISHED
    if now < campaign.opens_at:
        return WindowState.NOT_STARTED
    if now >= filing_deadline(campaign, right):
        return WindowState.CLOSED
    return WindowState.OPEN


def window_message(campaign: Campaign, right: FilingRight | None, state: WindowState) -> str:
    """The sentence a filer reads when the window is not open (empty when it is)."""
    if state == WindowState.NOT_PUBLISHED:
        return _("该征集活动尚未发布。")
    if state == WindowState.NOT_STARTED:
        return _("填报尚未开始，开始时间：%(t)s。") % {"t": format_deadline(campaign.opens_at)}
    if state == WindowState.CLOSED:
        return _("填报已于 %(t)s 截止，不能再上传、修改或提交。") % {
            "t": format_deadline(filing_deadline(campaign, right))
        }
    return ""
