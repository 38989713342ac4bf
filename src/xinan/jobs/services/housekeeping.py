"""Daily pruning of rows that only matter for a short time."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from xinan.accounts.models import LoginCode, RateBucket
from xinan.jobs.models import PeriodicRun


def prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    day_ago, week_ago = now - dt.timedelta(days=1), now - dt.timedelta(days=7)
    removed = {
        "periodic_runs": PeriodicRun.objects.filter(slot__lt=week_ago).delete()[0],
        "login_codes": LoginCode.objects.filter(expires_at__lt=day_ago).delete()[0],
        "rate_buckets": RateBucket.objects.filter(window_start__lt=day_ago)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
    }
    try:
        from django_tasks_db.models import DBTaskResult

        removed["task_results"] = DBTaskResult.objects.filter(finished_at__lt=week_ago).delete()[0]
    except (ImportError, LookupError):  # another task backend is configured
        pass
    return removed
