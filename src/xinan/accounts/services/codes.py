"""SMS sign-in codes: issuing, sending through the outbox, and verifying.

Limits (configurable, see docs/configuration.md): 6 digits, 5-minute life,
single use, at most 5 tries per code (each try is claimed atomically before the
comparison, so parallel guesses cannot exceed it), 60 s between two codes for a
phone, hourly caps per phone and per IP, a daily cap per phone (``codes_per_phone_day``),
and a temporary lockout of the phone after repeated failures. Unknown phones get a code that is never sent, so that
every answer is the same whether or not the phone has an account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.models import LoginCode, RateBucket
from xinan.accounts.services import throttle
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import client_ip, record
from xinan.notifications.services.outbox import queue_sms


class SignInError(Exception):
    """A refusal with a message for the person signing in (Chinese)."""

    def __init__(self, message: str, *, retry_after: int = 0):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class CodeIssued:
    retry_after: int


def _hash_code(salt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def _lock_key(phone: str) -> str:
    return f"lock:{throttle.digest('phone', phone)}"


def ensure_not_locked(phone: str, *, request=None, user=None) -> None:
    remaining = throttle.lock_remaining(_lock_key(phone))
    if remaining:
        record(AuditAction.LOCKED_REFUSED, actor=user, request=request)
        raise SignInError(
            _("因多次验证失败，该账号已被临时锁定，请 %(minutes)s 分钟后再试。") % {"minutes": _minutes(remaining)},
            retry_after=remaining,
        )


def one_attempt_at_a_time(phone: str, attempt):
    """Run ``attempt()`` holding the row lock of the phone's failure counter.

    The lock check, the comparison and the counting of a failure then happen as one step per
    phone: parallel requests (threads, app servers) cannot all pass the lock check before any
    of their failures is counted. A ``SignInError`` is raised after the transaction commits, so
    the failure it counted stays counted."""
    with transaction.atomic():
        throttle.hold(_lock_key(phone))
        try:
            return attempt()
        except SignInError as exc:
            error = exc
    raise error


def register_failure(phone: str, *, request=None, user=None) -> bool:
    """Count a failed sign-in for this phone; lock it when the limit is reached."""
    locked = throttle.count_failure(
        _lock_key(phone),
        limit=settings.LOGIN_FAILURES_BEFORE_LOCKOUT,
        window_seconds=3600,
        lock_seconds=settings.LOGIN_LOCKOUT_MINUTES * 60,
    )
    if locked:
        record(AuditAction.LOCKOUT, actor=user, request=request, reason="too many failed sign-ins")
    return locked


def locked_phones(phones) -> set[str]:
    """Which of ``phones`` are locked now (one query, for a list of people)."""
    keys = {_lock_key(phone): phone for phone in phones}
    if not keys:
        return set()
    rows = RateBucket.objects.filter(key__in=keys, locked_until__gt=timezone.now()).values_list("key", flat=True)
    return {keys[key] for key in rows}


def release_lock(phone: str, *, by, request=None) -> bool:
    user = get_user_model().objects.filter(phone=phone).first()
    released = throttle.release(_lock_key(phone))
    if released:
        record(AuditAction.UNLOCK, actor=by, obj=user, request=request)
    return released


def codes_per_phone_day() -> int:
    """Codes one phone gets in a day, whatever the hourly cap allows. It bounds the guesses an
    attacker gets at one phone (five tries a code: 10 codes a day leave about 1 in 10,000 of
    guessing one within a day) and the messages anyone can make a phone receive."""
    return max(settings.LOGIN_CODES_PER_PHONE_DAY, settings.LOGIN_CODES_PER_PHONE_HOUR)


def _active_user(phone: str):
    return get_user_model().objects.filter(phone=phone, is_active=True).first()


def _refuse_code_request(which: str, verdict, *, user, request) -> None:
    record(AuditAction.CODE_REFUSED, actor=user, request=request, reason=f"limit: {which}")
    if which == "resend":
        message = _("验证码已发送，请 %(seconds)s 秒后再重新获取。") % {"seconds": verdict.retry_after}
    elif which == "day":
        message = _("今天获取验证码的次数已达上限，请 %(hours)s 小时后再试。") % {
            "hours": max(1, (verdict.retry_after + 3599) // 3600)
        }
    else:
        message = _("获取验证码过于频繁，请 %(minutes)s 分钟后再试。") % {"minutes": _minutes(verdict.retry_after)}
    raise SignInError(message, retry_after=verdict.retry_after)


def request_code(phone: str, *, request=None) -> CodeIssued:
    """Issue a code for ``phone`` (already normalised) and queue its SMS when the phone has an account."""
    user = _active_user(phone)
    ensure_not_locked(phone, request=request, user=user)
    phone_key = throttle.digest("phone", phone)
    ip = client_ip(request) or "unknown"
    checks = (
        (f"code-resend:{phone_key}", 1, settings.LOGIN_CODE_RESEND_SECONDS, "resend"),
        (f"code-phone:{phone_key}", settings.LOGIN_CODES_PER_PHONE_HOUR, 3600, "phone"),
        (f"code-phone-day:{phone_key}", codes_per_phone_day(), 24 * 3600, "day"),
        (f"code-ip:{throttle.digest('ip', ip)}", settings.LOGIN_CODES_PER_IP_HOUR, 3600, "ip"),
    )
    # Look at every limit before counting, so that one refusal does not use up another
    # limit; then count each one atomically (a parallel request may still be refused there).
    for counting in (False, True):
        for key, limit, window, which in checks:
            measure = throttle.hit if counting else throttle.peek
            verdict = measure(key, limit=limit, window_seconds=window)
            if not verdict.allowed:
                _refuse_code_request(which, verdict, user=user, request=request)

    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    now = timezone.now()
    with transaction.atomic():
        LoginCode.objects.filter(phone_digest=phone_key, used_at__isnull=True, invalidated_at__isnull=True).update(
            invalidated_at=now
        )
        LoginCode.objects.create(
            phone_digest=phone_key,
            user=user,
            salt=salt,
            code_hash=_hash_code(salt, code),
            created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
        )
        record(AuditAction.CODE_REQUESTED, actor=user, request=request, reason="" if user else "no account")
        if user is not None:
            queue_sms(
                user.phone,
                "login_code",
                {"code": code, "minutes": settings.LOGIN_CODE_TTL_SECONDS // 60},
                user=user,
                sensitive=("code",),
            )
    return CodeIssued(retry_after=settings.LOGIN_CODE_RESEND_SECONDS)


def verify_code(phone: str, code: str, *, request=None):
    """Return the user when ``code`` is right; raise SignInError with the reason otherwise."""
    return one_attempt_at_a_time(phone, lambda: _verify_code(phone, code, request=request))


def _verify_code(phone: str, code: str, *, request=None):
    user = _active_user(phone)
    ensure_not_locked(phone, request=request, user=user)
    phone_key = throttle.digest("phone", phone)
    now = timezone.now()
    latest = LoginCode.objects.filter(phone_digest=phone_key).order_by("-created_at", "-pk").first()
    if latest is None:
        register_failure(phone, request=request, user=user)
        record(AuditAction.CODE_FAILED, actor=user, request=request, reason="no code issued")
        raise SignInError(_("请先获取短信验证码。"))
    if latest.used_at is not None:
        record(AuditAction.CODE_REUSED, actor=user, request=request)
        raise SignInError(_("该验证码已使用过，请重新获取。"))
    if latest.invalidated_at is not None:
        record(AuditAction.CODE_EXHAUSTED, actor=user, request=request)
        raise SignInError(_("该验证码已失效，请重新获取。"))
    if latest.expires_at <= now:
        record(AuditAction.CODE_EXPIRED, actor=user, request=request)
        raise SignInError(_("验证码已过期，请重新获取。"))

    # Claim one try before comparing: parallel guesses cannot exceed the limit.
    claimed = LoginCode.objects.filter(
        pk=latest.pk, attempts__lt=settings.LOGIN_CODE_MAX_ATTEMPTS, used_at__isnull=True, invalidated_at__isnull=True
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        record(AuditAction.CODE_EXHAUSTED, actor=user, request=request)
        raise SignInError(_("验证码错误次数过多，已失效，请重新获取。"))

    normalised = "".join(ch for ch in str(code) if not ch.isspace())
    if hmac.compare_digest(_hash_code(latest.salt, normalised), latest.code_hash) and latest.user_id:
        used = LoginCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now)
        if not used:
            record(AuditAction.CODE_REUSED, actor=user, request=request)
            raise SignInError(_("该验证码已使用过，请重新获取。"))
        return user

    latest.refresh_from_db(fields=["attempts"])
    left = settings.LOGIN_CODE_MAX_ATTEMPTS - latest.attempts
    if left <= 0:
        LoginCode.objects.filter(pk=latest.pk, invalidated_at__isnull=True).update(invalidated_at=now)
    locked = register_failure(phone, request=request, user=user)
    record(AuditAction.CODE_FAILED, actor=user, request=request, after={"tries_left": max(left, 0)})
    if locked:
        raise SignInError(
            _("因多次验证失败，该账号已被临时锁定，请 %(minutes)s 分钟后再试。")
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )
    if left <= 0:
        raise SignInError(_("验证码错误次数过多，已失效，请重新获取。"))
    raise SignInError(_("验证码错误，还可以再试 %(left)s 次。") % {"left": left})
