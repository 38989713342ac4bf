"""The audit trail's hash chain: sealing, verification, and tampering named by entry."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from xinan.audit.models import AuditEntry
from xinan.audit.services.chain import GENESIS, seal_pending, verify
from xinan.audit.services.record import purge_expired_entries, record

START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _entries(n: int) -> list[AuditEntry]:
    with time_machine.travel(START, tick=False) as traveller:
        entries = []
        for index in range(n):
            entries.append(record("xinan.test", reason=f"第{index}条", after={"n": index}))
            traveller.shift(dt.timedelta(seconds=1))
    return entries


def _tamper(sql: str, params) -> None:
    """What someone with direct database access would do: switch the guard off, change a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_auditentry_no_update'")
            (trigger_sql,) = cursor.fetchone()
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete")
            cursor.execute(sql, params)
            cursor.execute(trigger_sql)


def test_sealing_links_each_entry_to_the_previous(db):
    entries = _entries(5)
    assert seal_pending(now=START + dt.timedelta(hours=1)) == 5
    rows = list(AuditEntry.objects.order_by("id"))
    assert rows[0].prev_hash == GENESIS
    assert all(rows[i].prev_hash == rows[i - 1].entry_hash for i in range(1, 5))
    assert [row.pk for row in rows] == [entry.pk for entry in entries]


def test_fresh_entries_wait_before_sealing(db):
    _entries(2)
    assert seal_pending(now=START) == 0


def test_verify_intact_chain(db):
    _entries(4)
    verdict = verify(now=START + dt.timedelta(hours=1))
    assert verdict.ok
    assert verdict.checked == 4


def test_changing_one_row_makes_verify_fail_and_name_it(db):
    entries = _entries(5)
    seal_pending(now=START + dt.timedelta(hours=1))
    _tamper("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改过的原因", entries[2].pk])
    verdict = verify(now=START + dt.timedelta(hours=1))
    assert not verdict.ok
    assert verdict.broken_id == entries[2].pk
    assert "被修改" in verdict.problem


def test_deleting_one_row_is_detected_at_the_next(db):
    entries = _entries(5)
    seal_pending(now=START + dt.timedelta(hours=1))
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    verdict = verify(now=START + dt.timedelta(hours=1))
    assert verdict.broken_id == entries[2].pk


def test_verify_command_fails_on_tampering(db):
    entries = _entries(3)
    seal_pending(now=START + dt.timedelta(hours=1))
    _tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["xinan.other", entries[0].pk])
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False), pytest.raises(CommandError) as info:
        call_command("audit_verify")
    assert f"#{entries[0].pk}" in str(info.value)


def test_database_refuses_changing_a_sealed_row_even_its_hash(db):
    entries = _entries(1)
    seal_pending(now=START + dt.timedelta(hours=1))
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(entry_hash="f" * 64)


def test_database_refuses_changing_content_while_sealing(db):
    entries = _entries(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(entry_hash="f" * 64, reason="顺手改了")


def test_purge_keeps_the_chain_verifiable(db, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    _entries(3)
    later = START + dt.timedelta(days=200)
    with time_machine.travel(later, tick=False):
        record("xinan.test", reason="保留")
    with time_machine.travel(later + dt.timedelta(hours=1), tick=False):
        assert purge_expired_entries() == 3
    assert verify(now=later + dt.timedelta(hours=2)).ok
