"""Periodic jobs on top of the tasks framework, which has no scheduler of its own.

Every worker runs ``enqueue_due``; for each job and time slot exactly one of them
wins the insert of the ``PeriodicRun`` row and enqueues the task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from xinan.jobs.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str  # dotted path of a django_tasks Task
    every: dt.timedelta


# Later apps append their jobs here (reminders, retention, deadline closing...).
PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob("deliver_due_messages", "xinan.notifications.tasks.task_deliver_due_messages", dt.timedelta(minutes=1)),
    PeriodicJob("pull_receipts", "xinan.notifications.tasks.task_pull_receipts", dt.timedelta(minutes=5)),
    PeriodicJob("purge_audit", "xinan.audit.tasks.task_purge_audit", dt.timedelta(days=1)),
    PeriodicJob("seal_audit", "xinan.audit.tasks.task_seal_audit", dt.timedelta(minutes=1)),
    PeriodicJob("housekeeping", "xinan.jobs.tasks.task_housekeeping", dt.timedelta(days=1)),
]


def register(job: PeriodicJob) -> None:
    """Apps add their periodic jobs from AppConfig.ready()."""
    if all(existing.name != job.name for existing in PERIODIC_JOBS):
        PERIODIC_JOBS.append(job)


def slot_for(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    epoch = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    periods = (now - epoch) // every
    return epoch + periods * every


def enqueue_due(*, worker: str, now: dt.datetime | None = None, jobs=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in jobs if jobs is not None else PERIODIC_JOBS:
        slot = slot_for(now, job.every)
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, slot=slot, worker=worker[:80])
                task = import_string(job.task_path)
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue  # another worker has this slot
        enqueued.append(job.name)
    return enqueued
