"""xinan backup / xinan restore: a populated platform comes back row for row and file for file."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.xinan.operations.conftest import CANARY_NUMBER, populate
from tests.xinan.operations.helpers import (
    drop_postgres_database,
    files_under,
    postgres_url,
    recreate_postgres_database,
    run_xinan,
    source_rows,
    sqlite_rows,
    xinan_env,
)
from xinan.audit.models import AuditEntry
from xinan.crypto.keys import key_id
from xinan.operations.services.backup import MANIFEST, BackupError, verify_backup
from xinan.students.models import Student


def backup(dest) -> str:
    out = io.StringIO()
    call_command("backup", str(dest), stdout=out)
    return out.getvalue()


def restore(*args) -> str:
    out = io.StringIO()
    call_command("restore", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def target(tmp_path, new_key):
    """An empty second installation: its own data folder and an empty database."""
    data_dir = tmp_path / "restored"
    if connection.vendor == "sqlite":
        env = xinan_env(data_dir, f"sqlite:///{data_dir / 'xinan.sqlite3'}", new_key)
        yield env
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    recreate_postgres_database(name)
    yield xinan_env(data_dir, postgres_url(name), new_key)
    drop_postgres_database(name)


def restored_rows(env) -> dict[str, list]:
    if connection.vendor == "sqlite":
        db = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))
        try:
            return sqlite_rows(db)
        finally:
            db.close()
    import psycopg

    from tests.xinan.operations.helpers import postgres_rows

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        return postgres_rows(conn)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_platform(world, use_keys, new_key, own_storage, tmp_path, target):
    use_keys(new_key)
    made = populate(world)
    dest = tmp_path / "backup"
    output = backup(dest)
    assert "files: 1 copied" in output

    manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["keys"] == [key_id(new_key.encode())]
    assert "students.0001_initial" in manifest["migrations"]
    assert manifest["database"]["tables"]["students_student"] == 1
    assert [f["name"] for f in manifest["files"]] == [made.document.storage_name]
    every_byte = b"".join(p.read_bytes() for p in dest.rglob("*") if p.is_file())
    assert new_key.encode() not in every_byte  # fingerprints only, never a key

    result = run_xinan(target, "restore", str(dest))
    assert result.returncode == 0, result.stderr
    assert "database restored" in result.stdout
    assert "files restored and verified: 1" in result.stdout
    assert "static files collected" in result.stdout

    original = source_rows()
    restored = restored_rows(target)
    assert set(restored) == set(original)
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert sum(len(rows) for rows in original.values()) > 400
    restored_files = files_under(tmp_path / "restored" / "files")
    assert restored_files == files_under(own_storage)
    assert len(restored_files) == 1

    # The restored platform reads its data with the same key, and its schema is complete.
    check = run_xinan(target, "rotate_keys", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert run_xinan(target, "migrate", "--check").returncode == 0
    probe = run_xinan(
        target,
        "shell",
        "-c",
        "from xinan.students.models import Student; from xinan.dossier.models import Document;"
        "from xinan.dossier.services.documents import document_bytes;"
        f"print(Student.objects.get().student_number == {CANARY_NUMBER!r},"
        " len(document_bytes(Document.objects.get())))",
    )
    assert probe.stdout.splitlines()[-1].split() == ["True", str(len(made.file_bytes))], probe.stderr
    # …and serves its pages straight after the restore (static manifest present), without a manual step.
    page = run_xinan(
        target, "shell", "-c",
        "from django.test import Client; print(Client().get('/accounts/login/', HTTP_HOST='127.0.0.1').status_code)",
    )
    assert page.stdout.splitlines()[-1] == "200", page.stderr[-2000:]
    # A second restore into the now populated platform is refused without --force.
    again = run_xinan(target, "restore", str(dest))
    assert again.returncode == 1
    assert "the target is not empty" in again.stderr
    assert run_xinan(target, "restore", str(dest), "--force").returncode == 0


@pytest.mark.django_db(transaction=True)
def test_a_tar_backup_round_trips(world, use_keys, new_key, tmp_path, target):
    use_keys(new_key)
    populate(world)
    dest = tmp_path / "backup.tar.gz"
    backup(dest)
    with tarfile.open(dest) as archive:
        names = archive.getnames()
    assert MANIFEST in names
    assert any(name.startswith("files/dossier/") for name in names)
    assert "backup verified" in restore(dest, "--verify-only")
    result = run_xinan(target, "restore", str(dest))
    assert result.returncode == 0, result.stderr
    assert restored_rows(target)["students_guardian"] == source_rows()["students_guardian"]


@pytest.fixture
def folder_backup(transactional_db, world, use_keys, new_key, tmp_path):
    use_keys(new_key)
    populate(world)
    dest = tmp_path / "backup"
    backup(dest)
    return dest


def refused(source, *args) -> str:
    with pytest.raises(CommandError) as caught:
        restore(source, *args)
    return str(caught.value)


def test_a_changed_file_is_refused(folder_backup):
    stored = next((folder_backup / "files").rglob("*.bin"))
    data = bytearray(stored.read_bytes())
    data[100] ^= 1
    stored.write_bytes(bytes(data))
    message = refused(folder_backup)
    assert "does not match the checksum in the manifest" in message
    assert stored.relative_to(folder_backup).as_posix() in message


def test_a_changed_database_is_refused(folder_backup):
    database = next(p for p in folder_backup.iterdir() if p.name.startswith("database."))
    with open(database, "ab") as handle:
        handle.write(b"\0")
    assert f"{database.name} does not match the checksum" in refused(folder_backup, "--force")


def test_an_added_file_is_refused(folder_backup):
    (folder_backup / "files" / "dossier" / "extra.bin").write_bytes(b"x")
    assert "a file its manifest does not list: files/dossier/extra.bin" in refused(folder_backup)


def test_an_edited_manifest_is_refused(folder_backup):
    manifest = json.loads((folder_backup / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][0]["sha256"] = "0" * 64
    (folder_backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert "does not match the checksum" in refused(folder_backup)
    manifest["files"][0]["name"] = "../../etc/passwd"
    (folder_backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert "outside its folder" in refused(folder_backup)
    (folder_backup / MANIFEST).write_text("{", encoding="utf-8")
    assert "not valid JSON" in refused(folder_backup)
    (folder_backup / MANIFEST).unlink()
    assert "manifest.json is missing" in refused(folder_backup)


def test_a_non_empty_target_or_missing_key_is_refused(folder_backup, use_keys):
    entries = AuditEntry.objects.count()
    students = Student.objects.count()
    assert "the target is not empty" in refused(folder_backup)
    use_keys("M0xkNmR2b3g0a0hJcG9nVmNQd2V2cGZ4c0t5c3hQb3E=")
    assert "is not configured" in refused(folder_backup)
    assert (AuditEntry.objects.count(), Student.objects.count()) == (entries, students)  # nothing touched


def test_verify_only_accepts_a_good_backup(folder_backup):
    manifest = verify_backup(folder_backup)
    assert manifest["platform"]["name"] == "xinan"
    with pytest.raises(BackupError):
        verify_backup(folder_backup.parent / "nothing-here")


WRITER = """
import os, pathlib
from django.db import transaction
from xinan.organisations.models import Organisation
from xinan.students.models import Student
school = Organisation.objects.create(
    kind="school", name="并发测试学校", code="91110000123456789X", school_type="university"
)
stop, count, n = pathlib.Path(os.environ["STOP_FILE"]), pathlib.Path(os.environ["COUNT_FILE"]), 0
while not stop.exists():
    with transaction.atomic():  # a student and a guardian together: a consistent copy has them in pairs
        student = Student.objects.create(school=school, name=f"并发写入{n}")
        Guardian.objects.create(student=student, relation="father", name="家长", phone="13900000000")
    n += 1
    count.write_text(str(n))
"""


@pytest.fixture
def source(tmp_path, new_key):
    """A separate running platform on a real database file (or PostgreSQL database)."""
    data_dir = tmp_path / "source"
    data_dir.mkdir()
    if connection.vendor == "sqlite":
        yield xinan_env(data_dir, f"sqlite:///{data_dir / 'xinan.sqlite3'}", new_key)
        return
    name = f"{connection.settings_dict['NAME']}_source"
    recreate_postgres_database(name)
    yield xinan_env(data_dir, postgres_url(name), new_key)
    drop_postgres_database(name)


def _written(path) -> int:
    try:
        return int(path.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _wait_for(count: int, path, writer: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while _written(path) < count:
        assert writer.poll() is None, "the writer stopped"
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.05)
    return _written(path)


def test_a_backup_taken_during_writes_is_one_snapshot(source, target, tmp_path):
    migrated = run_xinan(source, "migrate", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    stop, count = tmp_path / "stop", tmp_path / "count"
    writer_env = {**source, "STOP_FILE": str(stop), "COUNT_FILE": str(count)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "xinan", "shell", "-c", WRITER],
        env=writer_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(5, count, writer)
        made = run_xinan(source, "backup", str(tmp_path / "backup"))
        assert made.returncode == 0, made.stderr
        during = _written(count)
        _wait_for(during + 5, count, writer)  # and the platform went on writing afterwards
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=60)  # closes the pipes too
    assert writer.returncode == 0, errors[-3000:]
    tables = json.loads((tmp_path / "backup" / MANIFEST).read_text(encoding="utf-8"))["database"]["tables"]
    assert tables["students_student"] == tables["students_guardian"]  # no half transaction
    assert 5 <= tables["students_student"] < _written(count)
    result = run_xinan(target, "restore", str(tmp_path / "backup"))  # checks the counts against the manifest
    assert result.returncode == 0, result.stderr
    rows = restored_rows(target)
    assert len(rows["students_student"]) == len(rows["students_guardian"]) == tables["students_student"]
