"""Level-driven duties: each risk level sets how often the student is contacted, when to
re-assess and how soon the guardian must be told; these become tasks for named people.

Tasks made here carry a ``duty_key`` (unique), so scheduling twice never duplicates one.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.cases.enums import (
    FIRST_ASSESSMENT_OTHER,
    FIRST_ASSESSMENT_URGENT,
    LEVEL_DUTIES,
    OPEN_STATES,
    URGENT_CATEGORIES,
    CaseRole,
    CaseState,
    GuardianResponse,
    RiskLevel,
    TaskKind,
)
from xinan.cases.models import Case, Task

REFERRAL_DIAGNOSIS_WITHIN = dt.timedelta(days=14)
# How long the team leader has to act on an escalation: the level's guardian deadline (2 h for a
# red case), a working day when the case has no level yet or its level sets none.
ESCALATION_DEFAULT_WITHIN = dt.timedelta(hours=24)
# Duties follow the risk level from the first assessment on, whatever the open state: a red
# assessment of a case still "reported" already owes the guardian a call within 2 hours.
TRACKED_STATES = OPEN_STATES


def ensure_task(case: Case, kind: TaskKind, *, key: str, title: str, assignee, due: dt.datetime, plan=None) -> Task:
    duty_key = f"case{case.pk}-{key}"
    existing = Task.objects.filter(duty_key=duty_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Task.objects.create(
                case=case, kind=kind, title=title, assignee=assignee, due_at=due, duty_key=duty_key, plan=plan
            )
    except IntegrityError:  # made by a parallel request
        return Task.objects.get(duty_key=duty_key)


def schedule_first_assessment(case: Case, *, now: dt.datetime) -> Task | None:
    """Every new report: an "评估" task for the duty counsellor (the case's counsellor), due within
    2 hours for talk of suicide, self-harm and the like, a day otherwise. With no counsellor on
    duty it goes to the team leader, who must assign one; with neither, nobody can be named."""
    from xinan.organisations.enums import Role
    from xinan.organisations.models import Membership

    urgent = bool(set(case.categories) & URGENT_CATEGORIES)
    due = now + (FIRST_ASSESSMENT_URGENT if urgent else FIRST_ASSESSMENT_OTHER)
    assignee = case.assigned_counsellor
    title = _("首次危机评估（首见报告后 %(hours)s 小时内）") % {"hours": int((due - now).total_seconds() // 3600)}
    if assignee is None:
        leader = (
            Membership.objects.filter(organisation_id=case.school_id, role=Role.TEAM_LEADER, is_active=True)
            .select_related("user")
            .first()
        )
        if leader is None:
            return None
        assignee = leader.user
        title = _("未分配：指派心理老师并完成首次评估（%(hours)s 小时内）") % {
            "hours": int((due - now).total_seconds() // 3600)
        }
    return ensure_task(case, TaskKind.ASSESSMENT, key="first-assessment", title=title, assignee=assignee, due=due)


def escalation_due(case: Case, now: dt.datetime) -> dt.datetime:
    within = LEVEL_DUTIES[RiskLevel(case.risk_level)].guardian_within if case.risk_level else None
    return now + (within or ESCALATION_DEFAULT_WITHIN)


def class_teacher_of(case: Case):
    member = case.members.filter(role=CaseRole.CLASS_TEACHER, removed_at__isnull=True).select_related("user").first()
    return member.user if member else None


def _follow_up_assignee(case: Case, fallback):
    if case.state == CaseState.CARE_TRACKING:
        return class_teacher_of(case) or case.assigned_counsellor or fallback
    return case.assigned_counsellor or fallback


def schedule(case: Case, *, by, now: dt.datetime | None = None) -> None:
    """Bring the case's duty tasks in line with its state and level."""
    now = now or timezone.now()
    if case.state not in TRACKED_STATES or not case.risk_level:
        return
    level = RiskLevel(case.risk_level)
    duties = LEVEL_DUTIES[level]
    last_contact = case.follow_ups.order_by("-at").values_list("at", flat=True).first()
    since = max(filter(None, [last_contact, case.level_changed_at, case.opened_at]))
    follow_up_count = case.follow_ups.count()
    follow_up_assignee = _follow_up_assignee(case, by)
    follow_up = ensure_task(
        case,
        TaskKind.AFTERCARE if case.state == CaseState.AFTERCARE else TaskKind.FOLLOW_UP,
        key=f"follow-up-{follow_up_count + 1}",
        title=_("第 %(n)s 次回访（%(level)s：每 %(days)s 天至少一次）")
        % {"n": follow_up_count + 1, "level": level.label, "days": duties.contact_every.days},
        assignee=follow_up_assignee,
        due=since + duties.contact_every,
    )
    if follow_up.is_open and follow_up.assignee_id != follow_up_assignee.pk:
        # Made while the case was being assessed; in care tracking the class teacher follows up.
        Task.objects.filter(pk=follow_up.pk).update(assignee=follow_up_assignee)
    last = case.assessments.order_by("-at", "-pk").first()
    if last is not None:
        ensure_task(
            case,
            TaskKind.REASSESSMENT,
            key=f"reassess-after-{last.pk}",
            title=_("复评（%(level)s：每 %(days)s 天）") % {"level": level.label, "days": duties.reassess_every.days},
            assignee=case.assigned_counsellor or by,
            due=last.at + duties.reassess_every,
        )
    if duties.guardian_within is not None and case.level_changed_at is not None:
        informed = case.guardian_contacts.filter(
            at__gte=case.level_changed_at, response__in=[GuardianResponse.INFORMED, GuardianResponse.AGREED]
        ).exists()
        if not informed:
            hours = int(duties.guardian_within.total_seconds() // 3600)
            ensure_task(
                case,
                TaskKind.GUARDIAN_CONTACT,
                key=f"guardian-{int(case.level_changed_at.timestamp())}",
                title=_("%(hours)s 小时内告知监护人（%(level)s）") % {"hours": hours, "level": level.label},
                assignee=case.assigned_counsellor or by,
                due=case.level_changed_at + duties.guardian_within,
            )


def complete_open(case: Case, kind: TaskKind, *, by, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return case.tasks.filter(kind=kind, done_at__isnull=True, cancelled_at__isnull=True).update(done_at=now, done_by=by)
