"""Let the sealing job fill an entry's hash columns once; every other UPDATE stays refused.

On SQLite, 0003's AddField rebuilt the table (SQLite cannot add a column with a default in
place), which dropped both triggers: this migration creates both again. Any later migration
that changes this table on SQLite must do the same (tests/xinan/audit catch a missing trigger).
"""

from django.db import migrations

COLUMNS = ("id", "at", "actor_id", "actor_label", "organisation_id", "action", "object_type", "object_id", "ip",
           "reason", "before", "after")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION xinan_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('xinan.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.entry_hash = '' AND NEW.entry_hash <> ''
       AND (%(new)s) IS NOT DISTINCT FROM (%(old)s) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: %% refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" % {
    "new": ", ".join(f'NEW."{c}"' for c in COLUMNS),
    "old": ", ".join(f'OLD."{c}"' for c in COLUMNS),
}

PG_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION xinan_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('xinan.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: %% refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_SEAL_ONCE = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
WHEN NOT (OLD.entry_hash = '' AND NEW.entry_hash <> '' AND %s)
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END;
""" % " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in COLUMNS)

SQLITE_NO_DELETE = """
CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
WHEN NOT EXISTS (SELECT 1 FROM xinan_audit_purge_permit)
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END;
"""

SQLITE_NO_UPDATE = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete;")
        schema_editor.execute(SQLITE_SEAL_ONCE)
        schema_editor.execute(SQLITE_NO_DELETE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_BEFORE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditentry_no_delete;")
        schema_editor.execute(SQLITE_NO_UPDATE)
        schema_editor.execute(SQLITE_NO_DELETE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
