"""Separation of duties (三员分立) checked by the database itself, beside ``Membership.save``.

A write that bypasses the model (``QuerySet.update``, ``bulk_create``, a raw statement in a shell)
must not make one person hold a duty together with another duty, or with a role that reads case,
student or submission data, or with the national/provincial admin role. The role lists are frozen
here as the migration runs; ``tests/xinan/organisations/test_three_duties.py`` checks they match
``xinan.organisations.enums``, so a new role needs a new migration that replaces the trigger.

On PostgreSQL the trigger locks the person's row first, so two grants to one person at the same
moment are checked one after the other.
"""

from django.db import migrations

DUTIES = ("system_admin", "security_admin", "auditor")
CONFLICTING = (
    "national_admin",
    "provincial_admin",
    "reviewer",
    "filer",
    "team_leader",
    "deputy_leader",
    "coordinator",
    "counsellor",
    "health_teacher",
    "team_member",
    "class_teacher",
    "staff",
)
MESSAGE = "separation of duties: this person may not hold both roles"


def _list(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


# The same condition for both engines: an active row of the person, other than this one, whose
# role may not sit beside the new role.
CLASH = f"""
    EXISTS (
        SELECT 1 FROM organisations_membership other
        WHERE other.user_id = NEW.user_id AND other.is_active AND other.id IS DISTINCT FROM NEW.id
          AND (
            (NEW.role IN ({_list(DUTIES)}) AND other.role IN ({_list(DUTIES)}) AND other.role <> NEW.role)
            OR (NEW.role IN ({_list(DUTIES)}) AND other.role IN ({_list(CONFLICTING)}))
            OR (NEW.role IN ({_list(CONFLICTING)}) AND other.role IN ({_list(DUTIES)}))
          )
    )
"""

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION xinan_membership_separation_of_duties() RETURNS trigger AS $$
BEGIN
    IF NEW.is_active THEN
        PERFORM 1 FROM accounts_user WHERE id = NEW.user_id FOR UPDATE;
        IF {CLASH} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER organisations_membership_separation_of_duties
    BEFORE INSERT OR UPDATE ON organisations_membership
    FOR EACH ROW EXECUTE FUNCTION xinan_membership_separation_of_duties();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS organisations_membership_separation_of_duties ON organisations_membership;
DROP FUNCTION IF EXISTS xinan_membership_separation_of_duties();
"""
# SQLite writes one transaction at a time, so no lock is needed; "IS NOT" is its "IS DISTINCT FROM".
SQLITE_CLASH = CLASH.replace("IS DISTINCT FROM", "IS NOT")
SQLITE_INSTALL = [
    f"""CREATE TRIGGER organisations_membership_duties_insert BEFORE INSERT ON organisations_membership
        WHEN NEW.is_active AND {SQLITE_CLASH}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER organisations_membership_duties_update BEFORE UPDATE ON organisations_membership
        WHEN NEW.is_active AND {SQLITE_CLASH}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS organisations_membership_duties_insert;",
    "DROP TRIGGER IF EXISTS organisations_membership_duties_update;",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_three_duty_roles"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
