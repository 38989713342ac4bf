"""SMS sign-in codes: issuing, sending through the outbox, and verifying.

Limits (configurable, see docs/configuration.md): 6 digits, 5-minute life,
single use, at most 5 tries per code (each try is claimed atomically before the
comparison, so parallel guesses cannot exceed it), 60 s between two codes for a
phone, hourly caps per phone and per IP, a daily cap per phone (``codes_per_phone_day``),
and temporary lockouts after repeated failures: of the source for that phone, of the source for
every phone, and (at a much higher count) of the phone's password sign-in, never of a right code.
Unknown phones get a code that is never sent, so that every answer is the same whether or not the phone has an account.
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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.accounts.models import LoginCode, RateBucket
from xinan.accounts.services import throttle
from xinan.audit.enums import AuditAction
from xinan.audit.services.record import client_ip, record
from xinan.notifications.services.outbox import queue_sms
from xinan.organisations.models import Membership


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
    """The phone's own counter: every source together (and the row attempts are serialised on)."""
    return f"lock:{throttle.digest('phone', phone)}"


def _source(request) -> str:
    return throttle.digest("ip", client_ip(request) or "unknown")


def _source_phone_key(phone: str, request) -> str:
    return f"{_lock_key(phone)}:{_source(request)}"


def _source_key(request) -> str:
    return f"lock-src:{_source(request)}"


PHONE_WIDE = "phone"  # the scope names written in the lockout's audit entry
SOURCE_PHONE = "source_phone"
SOURCE = "source"


def _locks(phone: str, request, *, sms_code: bool = False) -> list[tuple[str, str]]:
    """(scope, key) of the locks a sign-in from ``request``'s source to ``phone`` obeys. The SMS
    code path obeys only the lock of its source for this phone: its guesses are bounded per phone
    by the codes themselves (tries per code, codes per day), a right code proves the phone, and a
    lock of a whole address would let one person behind a campus's shared address stop everyone's
    code sign-in."""
    locks = [(SOURCE_PHONE, _source_phone_key(phone, request))]
    if not sms_code:
        locks += [(SOURCE, _source_key(request)), (PHONE_WIDE, _lock_key(phone))]
    return locks


def ensure_not_locked(phone: str, *, request=None, user=None, sms_code: bool = False) -> None:
    """Refuse a sign-in while its source is locked out of this phone; for a password (or TOTP)
    also while the source is locked out of every phone, or the phone itself is locked."""
    for scope, key in _locks(phone, request, sms_code=sms_code):
        remaining = throttle.lock_remaining(key)
        if not remaining:
            continue
        record(AuditAction.LOCKED_REFUSED, actor=user, request=request, after={"scope": scope})
        if scope == PHONE_WIDE:
            message = _("该账号因多次验证失败，密码登录已被临时锁定，请使用短信验证码登录，或 %(minutes)s 分钟后再试。")
        else:
            message = _("因多次验证失败，该账号已被临时锁定，请 %(minutes)s 分钟后再试。")
        raise SignInError(message % {"minutes": _minutes(remaining)}, retry_after=remaining)


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


def _target(phone: str):
    """The account a sign-in aims at and its home organisation (for the audit entry and the
    alert's readers), whether or not it is active; (None, None) for an unknown phone."""
    user = get_user_model().objects.filter(phone=phone).first()
    if user is None:
        return None, None
    membership = Membership.objects.filter(user=user).select_related("organisation").order_by("-is_active", "pk")
    first = membership.first()
    return user, first.organisation if first is not None else None


def register_failure(phone: str, *, request=None, user=None, sms_code: bool = False) -> bool:
    """Count a failed sign-in for the phone from this source, for the source, and for the phone;
    lock each that reaches its limit. True when a lock this path obeys (``ensure_not_locked``)
    was set now."""
    limits = {
        SOURCE_PHONE: settings.LOGIN_FAILURES_BEFORE_LOCKOUT,
        SOURCE: settings.LOGIN_FAILURES_PER_SOURCE,
        PHONE_WIDE: settings.LOGIN_FAILURES_BEFORE_PHONE_LOCKOUT,
    }
    locked_scopes = [
        scope
        for scope, key in _locks(phone, request)
        if throttle.count_failure(
            key, limit=limits[scope], window_seconds=3600, lock_seconds=settings.LOGIN_LOCKOUT_MINUTES * 60
        )
    ]
    if locked_scopes:
        target, organisation = _target(phone)
        for scope in locked_scopes:
            # The targeted account by id (never the phone); the actor is unknown: it is whoever
            # is at the source, not the account's owner.
            record(
                AuditAction.LOCKOUT,
                obj=target if scope != SOURCE else None,
                organisation=organisation if scope != SOURCE else None,
                request=request,
                reason="too many failed sign-ins",
                after={"scope": scope, "target_user_id": target.pk if target is not None and scope != SOURCE else None},
            )
    obeyed = {scope for scope, _key in _locks(phone, request, sms_code=sms_code)}
    return bool(obeyed & set(locked_scopes))


def _phone_locks(phones) -> dict[str, str]:
    return {_lock_key(phone): phone for phone in phones}


def locked_phones(phones) -> set[str]:
    """Which of ``phones`` are locked now, whole or from some source (one query for a list)."""
    keys = _phone_locks(phones)
    if not keys:
        return set()
    condition = Q()
    for key in keys:
        condition |= Q(key=key) | Q(key__startswith=f"{key}:")
    rows = RateBucket.objects.filter(condition, locked_until__gt=timezone.now()).values_list("key", flat=True)
    return {keys[":".join(key.split(":")[:2])] for key in rows}  # "lock:<phone>[:<source>]"


def release_lock(phone: str, *, by, request=None) -> bool:
    """Lift every lock of the phone: the phone's own and each source's for it."""
    user = get_user_model().objects.filter(phone=phone).first()
    key = _lock_key(phone)
    released = throttle.release(key)
    for source_key in RateBucket.objects.filter(key__startswith=f"{key}:").values_list("key", flat=True):
        released = throttle.release(source_key) or released
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
    """Issue a code for ``phone`` (already normalised) and enqueue its sending.

    The request does the same work whether or not the phone has an account (issue 13.7): it
    never looks the account up; the code and the phone go sealed (encrypted) into the code's row
    and a task decides, off the request, whether there is anyone to send it to."""
    ensure_not_locked(phone, request=request, sms_code=True)
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
                _refuse_code_request(which, verdict, user=None, request=request)

    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    now = timezone.now()
    with transaction.atomic():
        LoginCode.objects.filter(phone_digest=phone_key, used_at__isnull=True, invalidated_at__isnull=True).update(
            invalidated_at=now
        )
        issued = LoginCode.objects.create(
            phone_digest=phone_key,
            salt=salt,
            code_hash=_hash_code(salt, code),
            sealed_phone=phone,
            sealed_code=code,
            created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
        )
        record(AuditAction.CODE_REQUESTED, request=request)
    # After the commit, so that a worker always finds the row (the views call this outside any
    # transaction); the database task backend would take it in the same transaction anyway.
    from xinan.accounts.tasks import task_send_login_code

    task_send_login_code.enqueue(issued.pk)
    return CodeIssued(retry_after=settings.LOGIN_CODE_RESEND_SECONDS)


def send_login_code(login_code_id: int) -> bool:
    """The task's half of ``request_code``: unseal the code, bind it to the phone's account and
    queue its SMS when there is an active account and the code is still the live one. The sealed
    values are wiped either way, so the row keeps only the hash. True when an SMS was queued."""
    with transaction.atomic():
        issued = LoginCode.objects.select_for_update().filter(pk=login_code_id).exclude(sealed_code="").first()
        if issued is None:
            return False
        phone, code = issued.sealed_phone, issued.sealed_code
        live = issued.used_at is None and issued.invalidated_at is None and issued.expires_at > timezone.now()
        user = _active_user(phone) if live else None
        issued.user, issued.sealed_phone, issued.sealed_code = user, "", ""
        issued.save(update_fields=["user", "sealed_phone", "sealed_code"])
        if user is None:
            return False
        queue_sms(
            user.phone,
            "login_code",
            {"code": code, "minutes": settings.LOGIN_CODE_TTL_SECONDS // 60},
            user=user,
            sensitive=("code",),
        )
    return True


def verify_code(phone: str, code: str, *, request=None):
    """Return the user when ``code`` is right; raise SignInError with the reason otherwise."""
    return one_attempt_at_a_time(phone, lambda: _verify_code(phone, code, request=request))


def _verify_code(phone: str, code: str, *, request=None):
    user = _active_user(phone)
    # Only this source's lock for this phone is obeyed here (``_locks``): a right code proves the
    # phone, and guesses at codes are bounded by the tries of a code and the codes of a day.
    ensure_not_locked(phone, request=request, user=user, sms_code=True)
    phone_key = throttle.digest("phone", phone)
    now = timezone.now()
    latest = LoginCode.objects.filter(phone_digest=phone_key).order_by("-created_at", "-pk").first()
    if latest is None:
        register_failure(phone, request=request, user=user, sms_code=True)
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
    locked = register_failure(phone, request=request, user=user, sms_code=True)
    record(AuditAction.CODE_FAILED, actor=user, request=request, after={"tries_left": max(left, 0)})
    if locked:
        raise SignInError(
            _("因多次验证失败，该账号已被临时锁定，请 %(minutes)s 分钟后再试。")
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )
    if left <= 0:
        raise SignInError(_("验证码错误次数过多，已失效，请重新获取。"))
    raise SignInError(_("验证码错误，还可以再试 %(left)s 次。") % {"left": left})
