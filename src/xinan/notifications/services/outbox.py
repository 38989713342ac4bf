"""The outbox: queue messages in the caller's transaction, deliver them in a worker.

A message is delivered only by the worker that claims it with a conditional
UPDATE (status queued → sending), so two workers never send the same message.
A message left in "sending" by a dead worker is marked "uncertain" rather than
retried: a duplicate SMS is worse than a resend by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.utils import timezone

from xinan.notifications.backends import get_backends
from xinan.notifications.backends.base import Deferred, DeliveryError
from xinan.notifications.enums import ROBOT_OF_PLATFORM, ROBOT_PING_TEMPLATE, Channel, MessageStatus
from xinan.notifications.models import Message, Notification
from xinan.notifications.services.templates import render_email, render_sms, render_work

logger = logging.getLogger(__name__)
STALE_SENDING_AFTER = dt.timedelta(minutes=10)
# Person messages of the work platforms, and the errors no retry can mend.
WORK_PERSON_CHANNELS = frozenset({Channel.WECOM, Channel.DINGTALK})
PERMANENT_WORK_ERRORS = frozenset({"invalid_user", "unlicensed_user", "no_channel_account"})
ROBOT_PING_EVERY = dt.timedelta(minutes=10)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _enqueue_delivery(message_id: int) -> None:
    from xinan.notifications.tasks import task_deliver_message

    task_deliver_message.enqueue(message_id)


def _queue(message: Message) -> Message | None:
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if message.dedupe_key:  # already queued once: never twice
            return None
        raise
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def queue_sms(phone: str, template: str, context: dict, *, user=None, sensitive=(), dedupe_key=None):
    """A notice to a person's phone: by SMS, or through the channel they chose for its kind
    (企业微信, 钉钉); urgent kinds by SMS as well. Returns the message of the main channel."""
    from xinan.notifications.services.routing import channels_for

    targets = channels_for(user, template) if user is not None and not sensitive else [(Channel.SMS, None)]
    queued = []
    for number, (channel, account) in enumerate(targets):
        key = dedupe_key if number == 0 or dedupe_key is None else f"{dedupe_key}:{channel}"
        if channel == Channel.SMS:
            queued.append(queue_sms_only(phone, template, context, user=user, sensitive=sensitive, dedupe_key=key))
        else:
            queued.append(queue_work_message(channel, account, phone, template, context, user=user, dedupe_key=key))
    if user is not None and not sensitive:
        _ping_robots(user, template)
    return queued[0]


def _ping_robots(user, template: str) -> None:
    """At most one ping per robot every ten minutes, however many alerts arrive."""
    from xinan.notifications.services.routing import robots_to_ping

    slot = int(timezone.now().timestamp() // ROBOT_PING_EVERY.total_seconds())
    for account in robots_to_ping(user, template):
        channel = ROBOT_OF_PLATFORM[account.platform]
        queue_robot_ping(channel, account, dedupe_key=f"robot-{account.pk}-{slot}")


def queue_sms_only(phone: str, template: str, context: dict, *, user=None, sensitive=(), dedupe_key=None):
    """An SMS whatever the person chose (sign-in codes, fallbacks)."""
    context = {"site_url": settings.SITE_URL, **context}
    return _queue(
        Message(
            channel=Channel.SMS,
            template=template,
            recipient=user,
            to_address=phone,
            body=render_sms(template, context),
            params={key: str(value) for key, value in context.items() if key != "site_url"},
            sensitive=list(sensitive),
            dedupe_key=dedupe_key,
        )
    )


def queue_email(address: str, template: str, context: dict, *, user=None, dedupe_key=None):
    context = {"site_url": settings.SITE_URL, **context}
    rendered = render_email(template, context)
    return _queue(
        Message(
            channel=Channel.EMAIL,
            template=template,
            recipient=user,
            to_address=address,
            subject=rendered.subject,
            body=rendered.text,
            html_body=rendered.html,
            dedupe_key=dedupe_key,
        )
    )


def queue_work_message(channel: str, account, phone: str, template: str, context: dict, *, user=None, dedupe_key=None):
    """A 企业微信 or 钉钉 message to one person, found by phone: the minimum (case number, what is due) and a link."""
    context = {"site_url": settings.SITE_URL, **context}
    body = render_work(template, context)
    if settings.SITE_URL not in body:
        body = f"{body} {settings.SITE_URL}"
    return _queue(
        Message(
            channel=channel,
            account=account,
            template=template,
            recipient=user,
            to_address=phone,
            body=body,
            params={key: str(value) for key, value in context.items() if key != "site_url"},
            dedupe_key=dedupe_key,
        )
    )


def queue_robot_ping(channel: str, account, *, dedupe_key=None):
    """A content-free ping to a school's group robot: never a name, never a case, only "log in and look"."""
    return _queue(
        Message(
            channel=channel,
            account=account,
            template=ROBOT_PING_TEMPLATE,
            to_address="robot",
            body=render_work(ROBOT_PING_TEMPLATE, {"site_url": settings.SITE_URL}),
            dedupe_key=dedupe_key,
        )
    )


def notify(user, title: str, *, body: str = "", url: str = "", dedupe_key: str | None = None):
    """An in-app notice; with ``dedupe_key``, at most one ever."""
    try:
        with transaction.atomic():
            return Notification.objects.create(user=user, title=title, body=body, url=url, dedupe_key=dedupe_key)
    except IntegrityError:
        if dedupe_key:
            return None
        raise


def claim(message_id: int, *, worker: str, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED, next_attempt_at__lte=now).update(
            status=MessageStatus.SENDING, claimed_by=worker, claimed_at=now, attempts=F("attempts") + 1
        )
        == 1
    )


def _scrub(message: Message) -> None:
    """After a real provider has the message, the row keeps no secret (e.g. a sign-in code)."""
    if not message.sensitive:
        return
    params = dict(message.params)
    body = message.body
    for key in message.sensitive:
        value = params.get(key)
        if value:
            body = body.replace(value, "******")
            params[key] = "******"
    message.params, message.body = params, body


def _send(message: Message, backends) -> tuple[object, str, str]:
    """Try each backend in turn until one takes the message: the first provider, then the failover.

    Each backend is tried at most once per claim, and the first that answers
    with a receipt ends the loop, so the failover never sends a message the
    first provider accepted. A timeout is failed over too: a crisis alert that
    may reach the phone twice is better than one that may not reach it at all.
    """
    errors, codes = [], []
    for backend in backends:
        try:
            return backend, backend.send(message), "; ".join(errors)
        except Deferred:
            raise  # a rate limit: wait for the same provider, never hand it to another
        except DeliveryError as exc:
            errors.append(f"{getattr(backend, 'name', '?')}: {exc}")
            codes.append(exc.code)
            logger.warning("message %s not sent by %s: %s", message.pk, getattr(backend, "name", "?"), exc.code)
    failure = DeliveryError("all_failed", "; ".join(errors))
    failure.codes = codes
    raise failure


def fall_back_to_sms(message: Message) -> Message | None:
    """A 企业微信/钉钉 notice that cannot reach the person goes by SMS instead (once)."""
    if message.recipient_id is None and not message.to_address:
        return None
    try:
        return queue_sms_only(
            message.to_address,
            message.template,
            dict(message.params or {}),
            user=message.recipient,
            dedupe_key=f"fallback-{message.pk}",
        )
    except TemplateDoesNotExist:
        logger.warning("message %s has no SMS text to fall back to", message.pk)
        return None


def deliver(message_id: int, *, worker: str | None = None) -> bool:
    """Send one message if this worker wins the claim. True when it was sent now."""
    worker = worker or worker_name()
    if not claim(message_id, worker=worker):
        return False
    message = Message.objects.get(pk=message_id)
    try:
        backend, provider_id, failed_over = _send(message, get_backends(message.channel))
    except Deferred as exc:
        # Back in the queue for later; the try does not count, and the row leaves the rate window.
        Message.objects.filter(pk=message.pk, claimed_by=worker).update(
            status=MessageStatus.QUEUED,
            next_attempt_at=timezone.now() + dt.timedelta(seconds=max(1.0, exc.retry_after)),
            attempts=F("attempts") - 1,
            claimed_at=None,
            last_error=str(exc)[:300],
        )
        return False
    except DeliveryError as exc:
        # A person the platform does not know will not be found by trying again: fail at once.
        hopeless = message.channel in WORK_PERSON_CHANNELS and PERMANENT_WORK_ERRORS & set(getattr(exc, "codes", ()))
        failed = hopeless or message.attempts >= settings.MESSAGE_MAX_ATTEMPTS
        backoff = dt.timedelta(seconds=min(3600, 30 * 2 ** (message.attempts - 1)))
        Message.objects.filter(pk=message.pk, claimed_by=worker).update(
            status=MessageStatus.FAILED if failed else MessageStatus.QUEUED,
            next_attempt_at=timezone.now() + backoff,
            last_error=str(exc).removeprefix("all_failed: ")[:300],
        )
        logger.warning("message %s delivery failed (attempt %s)", message.pk, message.attempts)
        if failed and message.channel in WORK_PERSON_CHANNELS:
            fall_back_to_sms(message)
        return False
    if backend.scrubs_after_send:
        _scrub(message)
    Message.objects.filter(pk=message.pk, claimed_by=worker).update(
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        provider=getattr(backend, "name", "")[:20],
        provider_id=provider_id[:100],
        last_error=failed_over[:300],  # kept when a failover sent it: why the first provider did not
        body=message.body,
        params=message.params,
    )
    return True


def deliver_due(*, limit: int = 200, worker: str | None = None) -> int:
    """Deliver queued messages whose time has come (retries, and any whose task was lost)."""
    worker = worker or worker_name()
    now = timezone.now()
    Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_SENDING_AFTER).update(
        status=MessageStatus.UNCERTAIN, last_error="worker stopped while sending"
    )
    due = Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at")
    sent = 0
    for message_id in due.values_list("pk", flat=True)[:limit]:
        sent += deliver(message_id, worker=worker)
    return sent


def resend(message: Message, *, by, request=None) -> Message:
    """Queue a copy of a failed or uncertain message (the original row stays as it was)."""
    from xinan.audit.enums import AuditAction
    from xinan.audit.services.record import record

    copy = Message.objects.create(
        channel=message.channel,
        account=message.account,  # a 企业微信/钉钉 copy goes through the same school's application
        template=message.template,
        recipient=message.recipient,
        to_address=message.to_address,
        subject=message.subject,
        body=message.body,
        html_body=message.html_body,
        params=message.params,
        sensitive=message.sensitive,
    )
    record(AuditAction.MESSAGE_RESENT, actor=by, obj=message, request=request, after={"copy": copy.pk})
    transaction.on_commit(lambda: _enqueue_delivery(copy.pk))
    return copy


def recall(message: Message, *, by=None, reason: str, request=None) -> bool:
    """Take a sent 企业微信 message back from the person's chat (within 24 h); audited. True when recalled."""
    from xinan.audit.enums import AuditAction
    from xinan.audit.services.record import record

    backend = get_backends(message.channel)[0]
    if message.status != MessageStatus.SENT or not hasattr(backend, "recall"):
        return False
    try:
        backend.recall(message)
    except DeliveryError as exc:
        logger.warning("message %s not recalled: %s", message.pk, exc.code)
        return False
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).update(status=MessageStatus.RECALLED)
        record(AuditAction.MESSAGE_RECALLED, actor=by, obj=message, request=request, reason=reason)
    return True


def recall_case_messages(reference: str, *, school_id: int | None = None, by=None, reason: str) -> int:
    """Recall what was sent about case ``reference`` (of ``school_id``) in the last 24 h where the channel can."""
    since = timezone.now() - dt.timedelta(hours=24)
    candidates = Message.objects.filter(
        channel=Channel.WECOM, status=MessageStatus.SENT, sent_at__gte=since, template__startswith="case_"
    )
    if school_id is not None:  # the school's own application sent them
        candidates = candidates.filter(account__organisation_id=school_id)
    # The reference sits in the encrypted parameters: matched here, among one day's case messages.
    return sum(
        recall(message, by=by, reason=reason)
        for message in candidates
        if (message.params or {}).get("reference") == reference
    )
