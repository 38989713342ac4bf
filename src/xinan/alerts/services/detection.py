"""The rules over the audit trail. Each finds, for the windows around ``now``, the people whose
entries pass a threshold. Windows are fixed (clock hours, calendar days, nights in China time)
so the same pattern always lands in the same window and is raised once."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from xinan.alerts.enums import ACCESS_DENIED, CASE_VIEW, EXPORT_ACTIONS, GLASS_BREAK, GRANT_REFUSED, LOCKOUT, AlertRule
from xinan.audit.models import AuditEntry
from xinan.cases.models import Case, CaseMember

CHINA = ZoneInfo("Asia/Shanghai")
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
IDS_KEPT = 50
GLASS_BREAKS_PER_DAY = 1  # a second use within one day raises an alert


@dataclass(frozen=True)
class Finding:
    rule: AlertRule
    actor_id: int
    organisation_id: int | None
    window_start: dt.datetime
    window_end: dt.datetime
    count: int
    details: dict = field(default_factory=dict)


def _local(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now, CHINA)


def hour_windows(now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The clock hour that holds ``now`` and the one before (entries written late in it)."""
    start = _local(now).replace(minute=0, second=0, microsecond=0)
    return [(start - HOUR, start), (start, start + HOUR)]


def day_windows(now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    today = _local(now).date()
    windows = []
    for day in (today - DAY, today):
        start = dt.datetime.combine(day, dt.time(0), tzinfo=CHINA)
        windows.append((start, dt.datetime.combine(day + DAY, dt.time(0), tzinfo=CHINA)))
    return windows


def night_windows(now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Nights (night start to night end, China time) that overlap the last day."""
    start_hour, end_hour = settings.ALERT_NIGHT_START, settings.ALERT_NIGHT_END
    today = _local(now).date()
    windows = []
    for day in (today - 2 * DAY, today - DAY, today):
        start = dt.datetime.combine(day, dt.time(start_hour), tzinfo=CHINA)
        end_day = day + DAY if start_hour > end_hour else day
        end = dt.datetime.combine(end_day, dt.time(end_hour), tzinfo=CHINA)
        if end > now - DAY and start <= now:
            windows.append((start, end))
    return windows


def _entries(actions, start, end):
    return AuditEntry.objects.filter(action__in=actions, at__gte=start, at__lt=end, actor__isnull=False)


def _main_organisation(organisation_ids) -> int | None:
    counted = Counter(org_id for org_id in organisation_ids if org_id is not None)
    return counted.most_common(1)[0][0] if counted else None


def _on_case(case_members: dict, cases: dict, actor_id: int, case_id: int, at: dt.datetime) -> bool:
    if cases.get(case_id) == actor_id:
        return True
    return any(
        added <= at and (removed is None or removed > at)
        for added, removed in case_members.get((case_id, actor_id), [])
    )


def cases_not_on(now: dt.datetime) -> list[Finding]:
    """(a) More than N distinct cases opened within a clock hour by someone not on them."""
    threshold = settings.ALERT_CASES_NOT_ON_PER_HOUR
    findings = []
    for start, end in hour_windows(now):
        rows = list(
            _entries([CASE_VIEW], start, end)
            .filter(object_type=Case._meta.label_lower)
            .values_list("actor_id", "object_id", "organisation_id", "at")
        )
        case_ids = {int(object_id) for _, object_id, _, _ in rows if object_id.isdigit()}
        cases = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "assigned_counsellor_id"))
        members = defaultdict(list)
        for case_id, user_id, added, removed in CaseMember.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "user_id", "added_at", "removed_at"
        ):
            members[(case_id, user_id)].append((added, removed))
        opened: dict[int, set[int]] = defaultdict(set)
        organisations: dict[int, list] = defaultdict(list)
        for actor_id, object_id, organisation_id, at in rows:
            if not object_id.isdigit() or _on_case(members, cases, actor_id, int(object_id), at):
                continue
            opened[actor_id].add(int(object_id))
            organisations[actor_id].append(organisation_id)
        for actor_id, opened_ids in opened.items():
            if len(opened_ids) > threshold:
                findings.append(
                    Finding(
                        AlertRule.CASES_NOT_ON,
                        actor_id,
                        _main_organisation(organisations[actor_id]),
                        start,
                        end,
                        len(opened_ids),
                        {"case_ids": sorted(opened_ids)[:IDS_KEPT], "threshold": threshold},
                    )
                )
    return findings


def _counted(rule, actions, windows, threshold, *, extra=None) -> list[Finding]:
    findings = []
    for start, end in windows:
        entries = _entries(actions, start, end)
        if extra is not None:
            entries = entries.filter(extra)
        grouped: dict[int, list] = defaultdict(list)
        for entry_id, actor_id, organisation_id in entries.order_by("at", "id").values_list(
            "id", "actor_id", "organisation_id"
        ):
            grouped[actor_id].append((entry_id, organisation_id))
        for actor_id, rows in grouped.items():
            if len(rows) > threshold:
                findings.append(
                    Finding(
                        rule,
                        actor_id,
                        _main_organisation(org_id for _, org_id in rows),
                        start,
                        end,
                        len(rows),
                        {"entry_ids": [entry_id for entry_id, _ in rows][:IDS_KEPT], "threshold": threshold},
                    )
                )
    return findings


def night_exports(now: dt.datetime) -> list[Finding]:
    """(b) Any export between night start and night end."""
    return _counted(AlertRule.NIGHT_EXPORT, EXPORT_ACTIONS, night_windows(now), 0)


def repeated_refusals(now: dt.datetime) -> list[Finding]:
    """(c) More than N refusals of one person within a clock hour."""
    return _counted(AlertRule.REPEATED_REFUSALS, [ACCESS_DENIED], hour_windows(now), settings.ALERT_REFUSALS_PER_HOUR)


def glass_break_twice(now: dt.datetime) -> list[Finding]:
    """(d) Break-the-glass used at least twice by one person within a calendar day."""
    return _counted(AlertRule.GLASS_BREAK_TWICE, [GLASS_BREAK], day_windows(now), GLASS_BREAKS_PER_DAY)


def duty_grant_refused(now: dt.datetime) -> list[Finding]:
    """(e) Any grant refused for the separation of duties (三员分立): someone tried to merge a duty
    with a role that reads data, which is never an accident worth ignoring."""
    return _counted(AlertRule.DUTY_GRANT_REFUSED, [GRANT_REFUSED], hour_windows(now), 0)


def repeated_lockouts(now: dt.datetime) -> list[Finding]:
    """(f) One account locked out more than N times within a calendar day: someone is trying to
    get in, or to keep its owner out. The lockout entries have no actor (the attacker is
    anonymous); the alert names the targeted account."""
    threshold = settings.ALERT_LOCKOUTS_PER_DAY
    user_type = get_user_model()._meta.label_lower
    findings = []
    for start, end in day_windows(now):
        grouped: dict[int, list] = defaultdict(list)
        for entry_id, object_id, organisation_id in (
            AuditEntry.objects.filter(action=LOCKOUT, at__gte=start, at__lt=end, object_type=user_type)
            .order_by("at", "id")
            .values_list("id", "object_id", "organisation_id")
        ):
            if object_id.isdigit():
                grouped[int(object_id)].append((entry_id, organisation_id))
        for target_id, rows in grouped.items():
            if len(rows) > threshold:
                findings.append(
                    Finding(
                        AlertRule.REPEATED_LOCKOUTS,
                        target_id,
                        _main_organisation(org_id for _, org_id in rows),
                        start,
                        end,
                        len(rows),
                        {"entry_ids": [entry_id for entry_id, _ in rows][:IDS_KEPT], "threshold": threshold},
                    )
                )
    return findings


RULES = (cases_not_on, night_exports, repeated_refusals, glass_break_twice, duty_grant_refused, repeated_lockouts)
# Audit actions whose rule runs as soon as the entry is committed, not at the next sweep.
IMMEDIATE_RULES = {GRANT_REFUSED: duty_grant_refused, LOCKOUT: repeated_lockouts}


def find_patterns(*, now: dt.datetime | None = None, rules=RULES) -> list[Finding]:
    now = now or timezone.now()
    return [finding for rule in rules for finding in rule(now) if finding.window_start <= now]
