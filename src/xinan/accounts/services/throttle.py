"""Fixed-window rate limits and temporary lockouts kept in the database.

Keys are built from HMAC digests so that no phone number or IP address is
stored in the clear. Each check is one short transaction with a row lock, so
limits hold under parallel requests and across app servers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from xinan.accounts.models import RateBucket


def digest(kind: str, value: str) -> str:
    """A keyed digest of a personal value, usable as a lookup key."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window resets or the lock ends


def _locked_bucket(key: str, now: dt.datetime) -> RateBucket:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                bucket, _created = RateBucket.objects.select_for_update().get_or_create(
                    key=key, defaults={"window_start": now, "count": 0}
                )
                return bucket
        except IntegrityError:  # created by a parallel request: take its row
            continue
    return RateBucket.objects.select_for_update().get(key=key)


def hold(key: str) -> None:
    """Take the row lock of ``key`` until the surrounding transaction ends (creating the row if
    needed), so that everything done for that key in the transaction happens one at a time."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("throttle.hold() needs a surrounding transaction")
    _locked_bucket(key, timezone.now())


def hit(key: str, *, limit: int, window_seconds: int, now: dt.datetime | None = None) -> Verdict:
    """Count one event; refuse when the window already holds ``limit`` events."""
    now = now or timezone.now()
    with transaction.atomic():
        bucket = _locked_bucket(key, now)
        window_end = bucket.window_start + dt.timedelta(seconds=window_seconds)
        if now >= window_end:
            bucket.window_start, bucket.count = now, 0
            window_end = now + dt.timedelta(seconds=window_seconds)
        if bucket.count >= limit:
            return Verdict(False, max(1, int((window_end - now).total_seconds())))
        bucket.count += 1
        bucket.save(update_fields=["window_start", "count"])
        return Verdict(True)


def peek(key: str, *, limit: int, window_seconds: int, now: dt.datetime | None = None) -> Verdict:
    """Would ``hit`` allow one more event? Counts nothing."""
    now = now or timezone.now()
    bucket = RateBucket.objects.filter(key=key).only("window_start", "count").first()
    if bucket is None:
        return Verdict(True)
    window_end = bucket.window_start + dt.timedelta(seconds=window_seconds)
    if now >= window_end or bucket.count < limit:
        return Verdict(True)
    return Verdict(False, max(1, int((window_end - now).total_seconds())))


def lock_remaining(key: str, *, now: dt.datetime | None = None) -> int:
    """Seconds left on a lock, 0 when not locked."""
    now = now or timezone.now()
    locked_until = RateBucket.objects.filter(key=key).values_list("locked_until", flat=True).first()
    if locked_until and locked_until > now:
        return max(1, int((locked_until - now).total_seconds()))
    return 0


def count_failure(
    key: str, *, limit: int, window_seconds: int, lock_seconds: int, now: dt.datetime | None = None
) -> bool:
    """Count a failure; when ``limit`` is reached, lock the key. True when this call locked it."""
    now = now or timezone.now()
    with transaction.atomic():
        bucket = _locked_bucket(key, now)
        if now >= bucket.window_start + dt.timedelta(seconds=window_seconds):
            bucket.window_start, bucket.count = now, 0
        bucket.count += 1
        locked_now = bucket.count >= limit and not (bucket.locked_until and bucket.locked_until > now)
        if bucket.count >= limit:
            bucket.locked_until = now + dt.timedelta(seconds=lock_seconds)
            bucket.count = 0
            bucket.window_start = now
        bucket.save(update_fields=["window_start", "count", "locked_until"])
        return locked_now


def release(key: str) -> bool:
    """Clear a lock and the failures counted towards one; False when there was neither (a row
    held by ``hold`` for a sign-in that went right counts nothing)."""
    pending = Q(locked_until__isnull=False) | Q(count__gt=0)
    return RateBucket.objects.filter(pending, key=key).update(locked_until=None, count=0) > 0
