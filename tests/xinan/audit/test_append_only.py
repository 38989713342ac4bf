import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from xinan.audit.models import AuditEntry
from xinan.audit.services.record import mask_secrets, purge_expired_entries, record


def test_record_masks_secrets_in_before_and_after(db):
    entry = record("xinan.test", before={"password": "x", "nested": {"code": "123456"}}, after={"name": "ok"})
    entry.refresh_from_db()
    assert entry.before == {"password": "******", "nested": {"code": "******"}}
    assert entry.after == {"name": "ok"}


def test_mask_secrets_leaves_plain_values():
    assert mask_secrets([{"token": 1}, "x"]) == [{"token": "******"}, "x"]


def test_audit_entry_update_refused_by_database(db):
    entry = record("xinan.test", reason="original")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    entry.refresh_from_db()
    assert entry.reason == "original"


def test_audit_entry_raw_sql_update_refused(db):
    entry = record("xinan.test", reason="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])


def test_audit_entry_delete_refused_by_database(db):
    entry = record("xinan.test")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@override_settings(AUDIT_RETENTION_DAYS=180)
def test_purge_removes_only_entries_past_retention(db):
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=181), tick=False):
        old = record("xinan.old")
    with time_machine.travel(now - dt.timedelta(days=179), tick=False):
        recent = record("xinan.recent")
    with time_machine.travel(now, tick=False):
        deleted = purge_expired_entries()
    assert deleted == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(action="xinan.audit.purge").exists()
