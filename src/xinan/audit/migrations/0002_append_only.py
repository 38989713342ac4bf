"""Make the audit trail append-only in the database itself.

UPDATE is always refused. (TRUNCATE is a table owner's privilege: the application's
database role must not own the tables, see docs/deployment.md.) DELETE is refused except for the retention purge:
on PostgreSQL it must set ``xinan.audit_purge`` in its transaction and may only
remove rows older than 180 days (the legal minimum); on SQLite a row must exist
in the purge-permit table, which only the purge's transaction fills.
"""

from django.db import migrations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION xinan_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('xinan.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION xinan_audit_refuse_change();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS xinan_audit_refuse_change();
"""
SQLITE_INSTALL = [
    "CREATE TABLE xinan_audit_purge_permit (granted integer NOT NULL)",
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM xinan_audit_purge_permit)
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END;""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
    "DROP TABLE IF EXISTS xinan_audit_purge_permit;",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
