"""Reminders of due and overdue tasks, and escalations to the team leader.

Run periodically by any number of workers: each reminder carries a dedupe key that
names the task and the period, so it is sent exactly once per period.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from xinan.cases.enums import OPEN_STATES, RiskLevel, TaskKind
from xinan.cases.models import Task
from xinan.cases.services.notices_guardian import escalate_unacknowledged
from xinan.notifications.services.outbox import notify, queue_sms

DUE_SOON = dt.timedelta(hours=24)
# Overdue, these reach the team leader: a guardian not told in time, a diagnosis not back, a new
# report nobody has assessed.
ESCALATE_AFTER = {
    TaskKind.GUARDIAN_CONTACT: dt.timedelta(0),
    TaskKind.REFERRAL_DIAGNOSIS: dt.timedelta(0),
    TaskKind.ASSESSMENT: dt.timedelta(0),
}
# A task title may hold 200 characters (plan steps come from templates); a notice title holds 120,
# and PostgreSQL refuses a longer value, which would stop the whole run. The case number always fits.
TITLE_IN_NOTICE = 60


def _short(title: str) -> str:
    return Truncator(title).chars(TITLE_IN_NOTICE)


def _open_tasks():
    return Task.objects.filter(
        done_at__isnull=True, cancelled_at__isnull=True, case__state__in=OPEN_STATES
    ).select_related("case", "assignee")


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    day = timezone.localdate(now).isoformat()
    for task in _open_tasks().filter(due_at__lte=now + DUE_SOON):
        overdue = task.due_at < now
        key = f"task{task.pk}-overdue-{day}" if overdue else f"task{task.pk}-due"
        url = reverse("cases:detail", args=[task.case_id])
        title = (_("已逾期：%(title)s（个案 %(ref)s）") if overdue else _("即将到期：%(title)s（个案 %(ref)s）")) % {
            "title": _short(task.title),
            "ref": task.case.reference,
        }
        with transaction.atomic():
            notice = notify(task.assignee, title, url=url, dedupe_key=key)
            if notice is not None:
                queue_sms(
                    task.assignee.phone,
                    "case_task_overdue" if overdue else "case_task_due",
                    {"reference": task.case.reference},
                    user=task.assignee,
                    dedupe_key=f"sms-{key}",
                )
                sent += 1
    sent += _escalate(now)
    sent += escalate_unacknowledged(now=now)
    return sent


def _escalate(now: dt.datetime) -> int:
    """A red case without guardian contact in time, a referral with no diagnosis back: to the team leader."""
    from xinan.cases.services.records import escalate_to_team_leader

    raised = 0
    for task in _open_tasks().filter(kind__in=list(ESCALATE_AFTER), escalated_at__isnull=True, due_at__lt=now):
        if task.kind == TaskKind.GUARDIAN_CONTACT and task.case.risk_level not in {RiskLevel.RED, RiskLevel.ORANGE}:
            continue
        with transaction.atomic():
            if not Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue  # another worker escalated it
            escalate_to_team_leader(
                task.case,
                key=f"escalate-task{task.pk}",
                title=_("逾期未完成：%(title)s（个案 %(ref)s）")
                % {
                    "title": _short(task.title),
                    "ref": task.case.reference,
                },
            )
            raised += 1
    return raised
