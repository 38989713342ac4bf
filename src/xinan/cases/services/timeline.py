"""One chronological view of everything done on a case (for people allowed to read it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.cases.enums import NOTICE_REFUSALS, REFUSING_RESPONSES, CaseState, RiskLevel, TaskKind
from xinan.cases.models import Case


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str
    title: str
    detail: str
    by: str
    colour: str = "grey"


def timeline(case: Case) -> list[Event]:
    events: list[Event] = []
    for move in case.transitions.select_related("by"):
        title = _("状态：%(state)s") % {"state": CaseState(move.to_state).label}
        events.append(Event(move.at, "transition", title, move.reason, move.by.name, "blue"))
    for item in case.assessments.select_related("by"):
        level = RiskLevel(item.level)
        title = _("评估：%(level)s，%(crisis)s") % {
            "level": level.label,
            "crisis": _("处于危机状态") if item.in_crisis else _("非危机状态"),
        }
        events.append(Event(item.at, "assessment", title, item.notes, item.by.name, level.value))
    for item in case.follow_ups.select_related("by"):
        events.append(
            Event(
                item.at,
                "follow_up",
                _("回访（%(channel)s）") % {"channel": item.get_channel_display()},
                item.note,
                item.by.name,
                "red" if item.concern else "green",
            )
        )
    for item in case.guardian_contacts.select_related("by"):
        refused = item.response in REFUSING_RESPONSES
        detail = item.said
        if refused and item.guardian_words:
            detail = f"{detail}\n{_('监护人原话')}：{item.guardian_words}".strip()
        events.append(
            Event(
                item.at,
                "guardian",
                _("家校沟通：%(r)s") % {"r": item.get_response_display()},
                detail,
                item.by.name,
                "red" if refused else "grey",
            )
        )
    for notice in case.guardian_notices.select_related("created_by", "response_by"):
        if notice.sent_at:
            title = _("发送监护人告知书：%(p)s") % {"p": notice.get_purpose_display()}
            events.append(Event(notice.sent_at, "notice", title, "", notice.created_by.name))
        if notice.responded_at and notice.response:
            refused = notice.response in NOTICE_REFUSALS
            title = _("监护人对告知书的回应：%(r)s") % {"r": notice.get_response_display()}
            by = notice.response_by.name if notice.response_by_id else ""
            events.append(
                Event(notice.responded_at, "notice", title, notice.guardian_words, by, "red" if refused else "grey")
            )
    for task in case.tasks.filter(kind=TaskKind.ESCALATION).select_related("assignee", "done_by"):
        events.append(Event(task.created_at, "escalation", _("上报组长：%(t)s") % {"t": task.title}, "", "", "orange"))
        if task.done_at:
            title = _("组长处理：%(t)s") % {"t": task.title}
            events.append(Event(task.done_at, "escalation", title, task.done_note, task.done_by.name, "green"))
    for item in case.consultations.select_related("recorded_by"):
        events.append(Event(item.held_at, "consultation", _("团队会商"), item.decisions, item.recorded_by.name))
    for item in case.referrals.select_related("by"):
        events.append(
            Event(item.referred_at, "referral", _("转介：%(a)s") % {"a": item.agency}, item.reason, item.by.name)
        )
        if item.diagnosis_received_at:
            events.append(Event(item.diagnosis_received_at, "diagnosis", _("收到诊断"), item.diagnosis, item.by.name))
    for item in case.status_events.select_related("by"):
        # A day without a time: placed at 08:00 China time on that day (the school day starts).
        at = timezone.make_aware(dt.datetime.combine(item.starts_on, dt.time(8, 0)))
        events.append(Event(at, "status", item.get_kind_display(), item.note, item.by.name))
    for item in case.shared_excerpts.select_related("shared_by"):
        events.append(
            Event(item.shared_at, "shared", _("来自咨询记录的共享摘录"), item.excerpt, item.shared_by.name, "orange")
        )
    events.sort(key=lambda event: event.at)
    return events
