"""Rate limits of the work platforms, honoured by deferring, never by dropping.

The count comes from the outbox itself: every message claimed for the same
target (a robot, or one person through one application) within the window. A
row is claimed (and committed) before it is counted, so two workers racing for
the last slot both see each other and at worst both wait: the limit is never
exceeded. A deferred row gives its slot back (its claim time is cleared).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinan.notifications.backends.base import Deferred


def wait_for_slot(same_target, *, limit: int, window: dt.timedelta, code: str) -> None:
    """Raise Deferred unless at most ``limit`` messages of ``same_target`` were claimed in the last ``window``."""
    now = timezone.now()
    claimed = list(
        same_target.filter(claimed_at__gt=now - window, claimed_at__lte=now)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)[: limit + 1]
    )
    if len(claimed) > limit:
        raise Deferred(code, retry_after=max(1.0, (claimed[0] + window - now).total_seconds()))
