"""The audit trail's hash chain: each sealed entry carries the hash of the one before it.

Entries are written without a hash, so audited transactions never wait on one another; the
sealing job (every minute, and before every verification) hashes entries older than a few
minutes in id order. The database lets the two hash columns be filled once and refuses any
other change, so changing, inserting or deleting an old entry breaks the chain at that entry,
and ``verify`` names it. A retention purge removes the oldest entries and records the new
first entry's ``prev_hash`` as the anchor the chain then starts from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from xinan.audit.models import AuditEntry

GENESIS = "0" * 64
SEAL_AFTER = dt.timedelta(minutes=2)  # lets open transactions commit before their rows are sealed
UNSEALED_IS_BROKEN_AFTER = dt.timedelta(minutes=30)
CHAIN_LOCK = 0x5A11A  # advisory lock key: one sealer at a time on PostgreSQL


def _canonical(value) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def entry_digest(prev_hash: str, entry: AuditEntry) -> str:
    at = entry.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "at": at,
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip or "",
        "reason": entry.reason,
        "before": _canonical(entry.before),
        "after": _canonical(entry.after),
    }
    payload = prev_hash + json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal_pending(*, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Hash the unsealed entries older than SEAL_AFTER, in id order. Returns how many."""
    cutoff = (now or timezone.now()) - SEAL_AFTER
    sealed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEntry.objects.exclude(entry_hash="").order_by("-id").only("id", "entry_hash").first()
        prev = last.entry_hash if last else _first_anchor()
        pending = AuditEntry.objects.filter(entry_hash="", at__lt=cutoff, id__gt=last.id if last else 0)
        for entry in pending.order_by("id")[:batch]:
            digest = entry_digest(prev, entry)
            AuditEntry.objects.filter(pk=entry.pk, entry_hash="").update(prev_hash=prev, entry_hash=digest)
            prev = digest
            sealed += 1
    return sealed


def _first_anchor() -> str:
    """Where a chain with no sealed entry starts: the last purge's anchor, else the genesis."""
    purge = AuditEntry.objects.filter(action="xinan.audit.purge").order_by("-id").first()
    anchor = (purge.after or {}).get("anchor") if purge else None
    return anchor or GENESIS


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_id: int | None = None
    problem: str = ""


def verify(*, now: dt.datetime | None = None) -> Verdict:
    """Walk the sealed chain from its start; name the first entry that does not fit."""
    now = now or timezone.now()
    seal_pending(now=now)
    entries = AuditEntry.objects.exclude(entry_hash="").order_by("id")
    first = entries.only("prev_hash").first()
    checked = 0
    if first is not None and first.prev_hash != GENESIS:
        anchors = {(entry.after or {}).get("anchor") for entry in AuditEntry.objects.filter(action="xinan.audit.purge")}
        if first.prev_hash not in anchors:
            return Verdict(False, 0, first.pk, "链条开头之前的记录被删除")
    prev = first.prev_hash if first is not None else GENESIS
    for entry in entries.iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return Verdict(False, checked, entry.pk, "与上一条记录的链接不符（其前的记录被删除或插入）")
        if entry_digest(prev, entry) != entry.entry_hash:
            return Verdict(False, checked, entry.pk, "记录内容与其哈希不符（记录被修改）")
        prev = entry.entry_hash
        checked += 1
    stale = AuditEntry.objects.filter(entry_hash="", at__lt=now - UNSEALED_IS_BROKEN_AFTER).order_by("id").first()
    if stale is not None:
        return Verdict(False, checked, stale.pk, "记录长时间未封存（可能被插入到已封存的范围内）")
    return Verdict(True, checked)
