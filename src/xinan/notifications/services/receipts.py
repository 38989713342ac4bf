"""Delivery reports pulled back from the providers into the outbox rows: Tencent SMS
reports, and 钉钉 work-notice results (read / unread / failed / forbidden).

A provider hands each report out once; a report is matched to its row by the
provider's name and receipt id, never by phone number (reports carry the phone;
it is neither stored nor logged here).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from xinan.notifications.backends import get_backends, sms_backends
from xinan.notifications.backends.base import DeliveryError
from xinan.notifications.enums import Channel, Delivery, MessageStatus
from xinan.notifications.models import Message

logger = logging.getLogger(__name__)
# Calls per backend per run: at 100 reports a call, 2 000 reports every five minutes.
MAX_PULLS_PER_RUN = 20
# Aliyun reports are asked for per message, for two days after sending, 200 messages a run.
SMS_POLL_FOR = dt.timedelta(days=2)
SMS_POLLS_PER_RUN = 200
# 钉钉 results are asked for while the notice is unread, for three days, 200 notices a run.
DINGTALK_POLL_FOR = dt.timedelta(days=3)
DINGTALK_POLLS_PER_RUN = 200


def record_receipts(provider: str, receipts) -> int:
    """Write delivery reports onto the rows ``provider`` sent; returns how many rows matched."""
    matched = 0
    for receipt in receipts:
        matched += Message.objects.filter(provider=provider, provider_id=receipt.provider_id).update(
            delivery=Delivery.DELIVERED if receipt.delivered else Delivery.UNDELIVERED,
            delivery_detail=receipt.detail[:200],
            delivery_at=receipt.at or timezone.now(),
        )
    return matched


def pull_sms_receipts() -> int:
    """Pull the reports of every configured SMS provider that offers them; returns rows updated."""
    updated = 0
    for backend in sms_backends():
        pull = getattr(backend, "pull_receipts", None)
        if pull is None:
            continue
        for _ in range(MAX_PULLS_PER_RUN):
            try:
                receipts = pull()
            except DeliveryError as exc:
                logger.warning("delivery reports from %s not pulled: %s", backend.name, exc.code)
                break
            updated += record_receipts(backend.name, receipts)
            if len(receipts) < backend.PULL_LIMIT:
                break
    return updated


def poll_dingtalk_results() -> int:
    """Ask 钉钉 what became of recent work notices; a notice about a case that was not delivered
    (over a limit, failed, invalid user) goes out by SMS instead. Returns rows updated."""
    from xinan.notifications.services.outbox import fall_back_to_sms

    backend = get_backends(Channel.DINGTALK)[0]
    waiting = Message.objects.filter(
        channel=Channel.DINGTALK,
        status=MessageStatus.SENT,
        delivery__in=("", Delivery.UNREAD),
        sent_at__gte=timezone.now() - DINGTALK_POLL_FOR,
    ).select_related("account", "recipient")[:DINGTALK_POLLS_PER_RUN]
    updated = 0
    for message in waiting:
        try:
            result = backend.send_result(message)
        except DeliveryError as exc:
            logger.warning("钉钉 result of message %s not read: %s", message.pk, exc.code)
            continue
        if result is None or result[0] == message.delivery:
            continue
        delivery, detail = result
        Message.objects.filter(pk=message.pk).update(
            delivery=delivery, delivery_detail=detail, delivery_at=timezone.now()
        )
        updated += 1
        if delivery == Delivery.UNDELIVERED and message.confidential:
            fall_back_to_sms(message)
    return updated


def poll_sms_receipts() -> int:
    """Ask, message by message, the SMS providers that answer that way (Aliyun's QuerySendDetails)
    about recent messages without a report. Returns rows updated."""
    updated = 0
    for backend in sms_backends():
        ask = getattr(backend, "receipt", None)
        if ask is None:
            continue
        waiting = Message.objects.filter(
            channel=Channel.SMS,
            status=MessageStatus.SENT,
            provider=backend.name,
            delivery="",
            sent_at__gte=timezone.now() - SMS_POLL_FOR,
        ).exclude(provider_id="")[:SMS_POLLS_PER_RUN]
        for message in waiting:
            try:
                receipt = ask(message)
            except DeliveryError as exc:
                logger.warning("delivery report of message %s not read from %s: %s", message.pk, backend.name, exc.code)
                continue
            if receipt is not None:
                updated += record_receipts(backend.name, [receipt])
    return updated


def pull_receipts() -> int:
    """Every delivery report the providers hold for us: SMS reports and 钉钉 results."""
    return pull_sms_receipts() + poll_sms_receipts() + poll_dingtalk_results()
