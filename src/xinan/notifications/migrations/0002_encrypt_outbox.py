"""Encrypt the outbox's addresses and bodies, with a blind index for looking messages up by address.

Existing rows are converted in place (raw SQL, in batches): plaintext values are encrypted and the
index is computed from the normalised address. Reversible: going back decrypts the values.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import migrations, models

import xinan.crypto.fields
from xinan.accounts.validators import normalise_phone
from xinan.crypto.fields import decrypt_text, encrypt_text
from xinan.crypto.keys import blind_index

BATCH_SIZE = 500
COLUMNS = ("to_address", "body", "html_body")


def _address_index(address):
    # The same normal form as xinan.notifications.models.message.address_index at this migration.
    text = (address or "").strip()
    if "@" not in text:
        with contextlib.suppress(ValidationError):
            text = normalise_phone(text)
    return blind_index("outbox-address", text.casefold())


def _rows(cursor, qn, table):
    last = 0
    while True:
        cursor.execute(
            f"SELECT id, {', '.join(qn(c) for c in COLUMNS)} FROM {qn(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608 - quoted names
            [last, BATCH_SIZE],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _convert(apps, schema_editor, *, forward):
    table = apps.get_model("notifications", "Message")._meta.db_table
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in (*COLUMNS, "to_index"))
    with connection.cursor() as reader, connection.cursor() as writer:
        for pk, *values in _rows(reader, qn, table):
            plain = [decrypt_text(v) if v else (v or "") for v in values]
            stored = [encrypt_text(v) if forward and v else v for v in plain]
            index = _address_index(plain[0]) if forward else ""
            writer.execute(f"UPDATE {qn(table)} SET {sets} WHERE id = %s", [*stored, index, pk])  # noqa: S608


def encrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, forward=True)


def decrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="to_index",
            field=models.CharField(db_index=True, default="", editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="message",
            name="body",
            field=xinan.crypto.fields.EncryptedTextField(verbose_name="内容"),
        ),
        migrations.AlterField(
            model_name="message",
            name="html_body",
            field=xinan.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="message",
            name="to_address",
            field=xinan.crypto.fields.EncryptedCharField(form_max_length=254, verbose_name="地址"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
