"""Reminders before the filing close: 3 days and 1 day before each filer's own deadline
(the campaign's close, or the province's extension for that filer), by SMS and in-app.

Who: filers with an open right whose school may file, who have a draft or a returned
submission, or no submission at all and were sent the campaign's invitation. Run every 15
minutes by any number of workers; the dedupe key names the campaign, the filer, the threshold
and the deadline, so each reminder goes out exactly once. An extension moves the deadline, and the reminders follow it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.campaigns.enums import EDITABLE_STATES, SubmissionState
from xinan.campaigns.models import FilingRight, SchoolFiling, Submission
from xinan.campaigns.services.deadlines import filing_deadline, format_deadline
from xinan.notifications.services.outbox import notify, queue_sms

# Largest first; a filer reached late gets only the nearest threshold.
THRESHOLDS = (dt.timedelta(days=3), dt.timedelta(days=1))


def rights_to_remind(*, now: dt.datetime):
    """Open rights whose deadline falls within the largest threshold, with nothing submitted yet."""
    window = now + THRESHOLDS[0]
    own_submissions = Submission.objects.filter(campaign=OuterRef("campaign_id"), filer=OuterRef("filer_id"))
    return (
        FilingRight.objects.filter(is_open=True, campaign__published_at__isnull=False, campaign__opens_at__lte=now)
        .filter(
            Q(extended_until__gt=now, extended_until__lte=window)
            | Q(campaign__closes_at__gt=now, campaign__closes_at__lte=window)
        )
        .exclude(
            Exists(
                SchoolFiling.objects.filter(
                    campaign=OuterRef("campaign_id"), school=OuterRef("school_id"), is_open=False
                )
            )
        )
        .filter(
            Exists(own_submissions.filter(state__in=list(EDITABLE_STATES)))
            # Nothing filed: reminded only when told of the campaign; never a first word about it.
            | (~Exists(own_submissions.exclude(state=SubmissionState.WITHDRAWN)) & Q(invited_at__isnull=False))
        )
        .select_related("campaign", "filer")
    )


def threshold_for(left: dt.timedelta) -> dt.timedelta | None:
    reached = [threshold for threshold in THRESHOLDS if left <= threshold]
    return min(reached) if reached else None


def send_deadline_reminders(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for right in rights_to_remind(now=now):
        deadline = filing_deadline(right.campaign, right)
        if deadline <= now:
            continue
        threshold = threshold_for(deadline - now)
        if threshold is None:
            continue  # an extension moved this filer's deadline beyond the window
        days = threshold.days
        key = f"campaign{right.campaign_id}-deadline-{right.filer_id}-{days}d-{int(deadline.timestamp())}"
        when = format_deadline(deadline)
        title = _("“%(campaign)s”将于%(deadline)s截止填报，请尽快提交案例。") % {
            "campaign": right.campaign.title[:60],
            "deadline": when,
        }
        with transaction.atomic():
            notice = notify(
                right.filer, title[:120], url=reverse("campaigns:campaign", args=[right.campaign_id]), dedupe_key=key
            )
            if notice is not None:
                queue_sms(
                    right.filer.phone,
                    "campaign_deadline",
                    {"campaign": right.campaign.title, "deadline": when},
                    user=right.filer,
                    dedupe_key=f"sms-{key}",
                )
                sent += 1
    return sent
