"""xinan rotate_keys: every encrypted value and file goes under the new key; the old key can go."""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from tests.xinan.operations.conftest import CANARIES, CANARY_NUMBER, populate
from xinan.audit.models import AuditEntry
from xinan.crypto.fields import PREFIX, encrypt_text
from xinan.crypto.files import stored_names
from xinan.dossier.services.documents import document_bytes
from xinan.operations.services import rotation
from xinan.students.models import Guardian, Student
from xinan.students.services.register import number_taken

SRC = Path(__file__).resolve().parents[3] / "src" / "xinan"


def rotate_keys(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("rotate_keys", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


def raw_values() -> list[str]:
    """Every non-empty stored value of every encrypted column, as the database holds it."""
    values = []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in rotation.encrypted_tables():
            cursor.execute(f"SELECT {', '.join(qn(c) for c in table.columns)} FROM {qn(table.table)}")  # noqa: S608
            values += [value for row in cursor.fetchall() for value in row if value]
    return values


def read_everything() -> int:
    """Load every row of every model with an encrypted field (decrypting each value)."""
    from django.apps import apps

    loaded = 0
    for table in rotation.encrypted_tables():
        model = apps.get_model(table.label)
        for row in model._base_manager.all():
            for column in table.columns:
                getattr(row, model._meta.get_field(column).attname)
            loaded += 1
    return loaded


def test_rotate_then_drop_the_old_key(world, use_keys, new_key):
    old_key = Fernet.generate_key().decode()
    use_keys(old_key)
    made = populate(world)
    assert all(Fernet(old_key.encode()).decrypt(v[len(PREFIX) :].encode()) for v in raw_values())

    use_keys(new_key, old_key)
    status, output = rotate_keys("--check")
    assert status == 1
    assert "students.Student: 0 current, 3 under an older key" in output
    assert "students.Guardian: 0 current, 2 under an older key" in output
    assert re.search(r"stored files: 0 current, [1-9]\d* under an older key", output)

    entries_before = list(AuditEntry.objects.order_by("pk").values())
    status, output = rotate_keys()
    assert status == 0, output
    assert "still to do: 0 values, 0 files, 0 indexes" in output
    assert not any(canary in output for canary in CANARIES)  # counts only, never a value
    # The audit trail holds no encrypted value: rotation left every entry as it was, and added one.
    assert list(AuditEntry.objects.order_by("pk").values())[: len(entries_before)] == entries_before
    rotated = AuditEntry.objects.get(action="xinan.operations.rotate_keys")
    assert rotated.after["values"] > 10
    assert rotated.after["files"] >= 1

    assert rotate_keys("--check")[0] == 0
    status, output = rotate_keys()  # idempotent: nothing left to do
    assert "re-encrypted 0 values and 0 files, recomputed 0 indexes" in output

    use_keys(new_key)  # the old key is gone
    assert read_everything() >= 8
    values = raw_values()
    assert values
    assert all(Fernet(new_key.encode()).decrypt(v[len(PREFIX) :].encode()) for v in values)
    student = Student.objects.get(pk=made.student.pk)
    assert student.student_number == CANARY_NUMBER
    assert document_bytes(made.document) == made.file_bytes  # the checksum still matches
    for name in stored_names():
        with default_storage.open(name, "rb") as handle:
            Fernet(new_key.encode()).decrypt(handle.read())
        assert stat.S_IMODE(os.stat(default_storage.path(name)).st_mode) == 0o600
    assert not [
        n for n in os.listdir(os.path.dirname(default_storage.path(made.document.storage_name))) if n.startswith(".")
    ]


def test_the_audit_trail_holds_no_encrypted_value(world, use_keys, new_key):
    from xinan.crypto.fields import ENCRYPTED_FIELD_CLASSES

    populate(world)
    assert not [f for f in AuditEntry._meta.get_fields() if isinstance(f, ENCRYPTED_FIELD_CLASSES)]
    for entry in AuditEntry.objects.all():
        assert PREFIX not in f"{entry.reason}{entry.before}{entry.after}"
    assert "auditentry" not in {t.table.split("_", 1)[1] for t in rotation.encrypted_tables()}


def test_an_interrupted_rotation_resumes(world, use_keys, new_key):
    old_key = Fernet.generate_key().decode()
    use_keys(old_key)
    populate(world)
    use_keys(new_key, old_key)
    tables = rotation.encrypted_tables()
    first = next(t for t in tables if t.label == "students.Guardian")
    done = rotation.process_table(first, rotate=True, batch_size=1)  # as if stopped after one table
    assert done.rotated == 2
    status, output = rotate_keys("--batch-size", "2")
    assert status == 0
    assert "students.Guardian: 2 current, 0 under an older key" in output
    use_keys(new_key)
    read_everything()


def test_a_row_changed_during_rotation_keeps_the_users_value(world, use_keys, new_key, monkeypatch):
    old_key = Fernet.generate_key().decode()
    use_keys(old_key)
    made = populate(world)
    guardian = made.student.guardians.get()
    use_keys(new_key, old_key)
    real = rotation.reencrypt_text
    calls = []

    def user_saves_meanwhile(stored):
        if not calls:
            Guardian.objects.filter(pk=guardian.pk).update(name="用户刚改的名字", phone="13900001111")
        calls.append(1)
        return real(stored)

    monkeypatch.setattr(rotation, "reencrypt_text", user_saves_meanwhile)
    table = next(t for t in rotation.encrypted_tables() if t.label == "students.Guardian")
    counts = rotation.process_table(table, rotate=True)
    assert counts.changed_meanwhile == 2
    assert counts.rotated == 0
    guardian.refresh_from_db()
    assert (guardian.name, guardian.phone) == ("用户刚改的名字", "13900001111")


def test_a_value_written_before_encryption_is_encrypted(world, use_keys, new_key):
    use_keys(new_key)
    made = populate(world)
    guardian = made.student.guardians.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE students_guardian SET phone = %s WHERE id = %s", ["13900002222", guardian.pk])
    status, output = rotate_keys("--check", "--skip-files")
    assert status == 1
    assert "(1 not encrypted)" in output
    assert rotate_keys("--skip-files")[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM students_guardian WHERE id = %s", [guardian.pk])
        assert cursor.fetchone()[0].startswith(PREFIX)
    guardian.refresh_from_db()
    assert guardian.phone == "13900002222"


def test_a_value_under_an_unknown_key_is_reported_and_left(world, use_keys, new_key):
    lost_key = Fernet.generate_key().decode()
    use_keys(new_key)
    made = populate(world)
    guardian = made.student.guardians.get()
    lost_value = PREFIX + Fernet(lost_key.encode()).encrypt(b"13900003333").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE students_guardian SET phone = %s WHERE id = %s", [lost_value, guardian.pk])
    status, output = rotate_keys("--check")
    assert status == 1
    assert "UNREADABLE" in output
    status, output = rotate_keys()
    assert status == 1
    assert "unreadable with the configured keys" in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM students_guardian WHERE id = %s", [guardian.pk])
        assert cursor.fetchone()[0] == lost_value  # never overwritten
    with pytest.raises(InvalidToken):
        Fernet(new_key.encode()).decrypt(lost_value[len(PREFIX) :].encode())


def test_blind_indexes_follow_a_secret_key_change(world, use_keys, new_key):
    use_keys(new_key)
    made = populate(world)
    with override_settings(SECRET_KEY="another-secret-key-" + "y" * 60):
        assert not number_taken(world.school_a, CANARY_NUMBER)  # the index is under the old secret key
        status, output = rotate_keys("--check", "--skip-files")
        assert status == 1
        assert "students.Student blind indexes: 0 current, 1 stale" in output
        assert rotate_keys("--skip-files")[0] == 0
        assert number_taken(world.school_a, CANARY_NUMBER)
        student = Student.objects.get(pk=made.student.pk)
        indexes = (student.name_index, student.number_index)
        student.save()  # the model computes the same indexes as the rotation
        assert (student.name_index, student.number_index) == indexes


def test_every_blind_index_kind_is_recomputed():
    kinds = set()
    for path in SRC.rglob("*.py"):
        kinds |= set(re.findall(r"""blind_index\(\s*["']([a-z-]+)["']""", path.read_text(encoding="utf-8")))
    assert kinds == set(rotation.BLIND_INDEX_KINDS)
    assert {source.label for source in rotation.blind_index_sources()} == {
        "students.Student",
        "reports.FlagDecision",
        "notifications.Message",
    }


def test_every_encrypted_field_is_found(db):
    labels = {t.label for t in rotation.encrypted_tables()}
    assert {"students.Student", "students.Guardian", "cases.CounsellingNote", "dossier.Document"} <= labels
    declared = set()
    for path in SRC.rglob("models/*.py"):
        if "Encrypted" in path.read_text(encoding="utf-8"):
            # The app is the folder under the package, whatever the clone's folders are called.
            declared.add(path.relative_to(SRC).parts[0])
    assert declared == {label.split(".")[0] for label in labels}


def test_generate_prints_a_key():
    status, output = rotate_keys("--generate")
    assert status == 0
    Fernet(output.splitlines()[0].encode())


def test_encrypt_text_is_under_the_first_key(use_keys, new_key):
    old_key = Fernet.generate_key().decode()
    use_keys(new_key, old_key)
    Fernet(new_key.encode()).decrypt(encrypt_text("x")[len(PREFIX) :].encode())
