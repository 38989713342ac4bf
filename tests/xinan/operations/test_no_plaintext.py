"""No plaintext of known secrets at rest: the raw database and every byte of the storage folder.

Canary values (a student's name, number and birth date, a guardian's name and phone, case
narrative, counselling and follow-up notes, a safety plan, an uploaded file and its name) go
in through the real services; the raw bytes must not contain them, in UTF-8 or any of the other
encodings a database might use for them.
"""

from __future__ import annotations

import base64
import shutil
import sqlite3
import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.xinan.operations.conftest import CANARIES, populate
from xinan.accounts.services import otp
from xinan.operations.services.backup import postgres_client


def encodings(canary: str) -> list[bytes]:
    forms = [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.encode("utf-16-be")]
    if canary.isascii():
        return forms
    forms.append(canary.encode("gb18030"))
    forms.append(canary.encode("unicode_escape"))  # JSON written with ensure_ascii: \\u5c0f...
    forms.append(canary.encode("unicode_escape").replace(b"\\u", b"\\\\u"))
    return forms


def found_in(data: bytes) -> list[str]:
    return [canary for canary in CANARIES if any(form in data for form in encodings(canary))]


def raw_database() -> bytes:
    if connection.vendor == "sqlite":
        # Every page of the database, freelist included, as SQLite would write it to disk.
        copy = sqlite3.connect(":memory:")
        connection.ensure_connection()
        connection.connection.backup(copy)
        data = copy.serialize()
        copy.close()
        return data
    parts = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 - names from the catalogue
            parts += [row[0].encode("utf-8") for row in cursor.fetchall()]
    return b"\n".join(parts)


def signed_in_secrets(world) -> list[bytes]:
    """A TOTP seed enrolled through the service and a live session's key: the table of devices
    and the table of sessions must hold neither (issue 13.6)."""
    admin = world.national_admin
    device = otp.pending_device(admin)
    seed = device.key
    client = Client()
    client.force_login(admin)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [seed.encode(), base64.b32encode(bytes.fromhex(seed)), session_key.encode()]


@pytest.mark.django_db(transaction=True)
def test_no_canary_in_the_database_or_the_storage_folder(world, use_keys, new_key, own_storage):
    use_keys(new_key)
    made = populate(world)
    secrets = signed_in_secrets(world)
    assert found_in(made.file_bytes)  # the scan would see them if they were there
    database = raw_database()
    assert world.school_a.name.encode("utf-8") in database  # and it reads the rows' text (not secret)
    assert found_in(database) == []
    assert [secret for secret in secrets if secret in database] == []
    storage_bytes = b"".join(p.read_bytes() for p in own_storage.rglob("*") if p.is_file())
    assert len(storage_bytes) > len(made.file_bytes)
    assert found_in(storage_bytes) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_canary_in_a_pg_dump(world, use_keys, new_key):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    use_keys(new_key)
    populate(world)
    secrets = signed_in_secrets(world)
    args, env = postgres_client("pg_dump")
    dump = subprocess.run(
        [*args, "--format=plain", "--dbname", connection.settings_dict["NAME"]],
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    assert b"students_guardian" in dump
    assert found_in(dump) == []
    assert [secret for secret in secrets if secret in dump] == []


def test_the_migration_encrypts_values_written_before_it(world, use_keys, new_key):
    """cases 0005 turned four plaintext columns into encrypted ones; rows already there are encrypted."""
    import importlib

    from django.apps import apps

    from xinan.cases.models import Disclosure

    use_keys(new_key)
    made = populate(world)
    disclosure = Disclosure.objects.get(case=made.case)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_disclosure SET told_whom = %s WHERE id = %s", ["迁移前的明文", disclosure.pk])
    migration = importlib.import_module("xinan.cases.migrations.0005_encrypt_names_and_reasons")
    migration.encrypt_existing(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT told_whom FROM cases_disclosure WHERE id = %s", [disclosure.pk])
        assert cursor.fetchone()[0].startswith("enc1:")
    disclosure.refresh_from_db()
    assert disclosure.told_whom == "迁移前的明文"
