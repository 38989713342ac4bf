"""Encrypt the outbox's template parameters (a sign-in code until it is scrubbed, names of filers).

The column becomes text holding one token; existing rows are converted in place (raw SQL, in
batches). Reversible: going back decrypts to JSON text before the column is JSON again.
"""

from django.db import migrations

import xinan.crypto.fields
from xinan.crypto.fields import decrypt_text, encrypt_text

BATCH_SIZE = 500


def _convert(apps, schema_editor, *, forward):
    table = apps.get_model("notifications", "Message")._meta.db_table
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    last = 0
    with connection.cursor() as reader, connection.cursor() as writer:
        while True:
            reader.execute(
                f"SELECT id, {qn('params')} FROM {qn(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608 - quoted names
                [last, BATCH_SIZE],
            )
            rows = reader.fetchall()
            if not rows:
                return
            for pk, value in rows:
                plain = decrypt_text(value) if value else "{}"
                stored = encrypt_text(plain) if forward else plain
                writer.execute(f"UPDATE {qn(table)} SET {qn('params')} = %s WHERE id = %s", [stored, pk])  # noqa: S608
            last = rows[-1][0]


def encrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, forward=True)


def decrypt_rows(apps, schema_editor):
    _convert(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_encrypt_outbox"),
    ]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="params",
            field=xinan.crypto.fields.EncryptedTextField(default=dict),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="message",
            name="params",
            field=xinan.crypto.fields.EncryptedJSONField(default=dict),
        ),
    ]
