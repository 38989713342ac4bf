"""Delivery reports pulled back from the providers into the outbox rows.

A provider hands each report out once; a report is matched to its row by the
provider's name and receipt id, never by phone number (reports carry the phone;
it is neither stored nor logged here).
"""

from __future__ import annotations

import logging

from django.utils import timezone

from xinan.notifications.backends import sms_backends
from xinan.notifications.backends.base import DeliveryError
from xinan.notifications.enums import Delivery
from xinan.notifications.models import Message

logger = logging.getLogger(__name__)
# Calls per backend per run: at 100 reports a call, 2 000 reports every five minutes.
MAX_PULLS_PER_RUN = 20


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
