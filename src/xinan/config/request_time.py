"""When a request reached the platform, as the reverse proxy saw it.

Behind nginx (``XINAN_BEHIND_PROXY=true``) every request carries ``X-Request-Start: t=<seconds>``
set by the proxy (``proxy_set_header X-Request-Start "t=${msec}";``, which replaces anything a
client sent). A deadline is then judged by that time, not by when an app server got round to the
request: in a deadline rush a filer who pressed "submit" before the deadline must not be refused
because the request waited in the queue. The header is trusted only behind the proxy, only up to
``MAX_QUEUE`` in the past and never in the future, so it cannot be used to reach back in time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

HEADER = "HTTP_X_REQUEST_START"
MAX_QUEUE = dt.timedelta(seconds=60)
CLOCK_SKEW = dt.timedelta(seconds=1)


def received_at(request, *, now: dt.datetime | None = None) -> dt.datetime:
    """The moment the proxy received ``request``; ``now`` when there is no trusted proxy time."""
    now = now or timezone.now()
    if request is None or not getattr(settings, "BEHIND_PROXY", False):
        return now
    raw = request.META.get(HEADER, "").strip()
    if raw.startswith("t="):
        raw = raw[2:]
    try:
        seconds = float(raw)
    except ValueError:
        return now
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN, infinities
        return now
    try:
        at = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return now
    if at > now + CLOCK_SKEW or at < now - MAX_QUEUE:
        return now
    return min(at, now)
