"""Every table's ids start at a different offset in the test database.

An id of one table passed where another table's id is expected must fail at once, not pass
because the two happened to be equal (both 1 in a small test world). Each table with an
auto-incrementing primary key starts at ``(n + 1) * STRIDE + n`` for its position ``n`` in the
sorted list of tables, so no two tables share an id unless one of them grows past ``STRIDE``
rows in a test run.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models import AutoField, BigAutoField, SmallAutoField

STRIDE = 100_000


def offset_tables() -> list[tuple[str, str]]:
    """(table, primary-key column) of every auto-incrementing integer key, in a stable order."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        pk = model._meta.pk
        if model._meta.managed and not model._meta.proxy and isinstance(pk, AutoField | BigAutoField | SmallAutoField):
            tables.add((model._meta.db_table, pk.column))
    return sorted(tables)


def start_of(position: int) -> int:
    return (position + 1) * STRIDE + position


def offset_table_ids() -> dict[str, int]:
    """Move every table's next id to its own range; returns table → first id."""
    keys = offset_tables()
    starts = {table: start_of(n) for n, (table, _column) in enumerate(keys)}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table, column in keys:
            first = starts[table]
            if table not in existing:
                continue
            if connection.vendor == "sqlite":
                # Django declares SQLite primary keys AUTOINCREMENT, whose counter is this row.
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first - 1])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column])
                (sequence,) = cursor.fetchone()
                if sequence:
                    cursor.execute("SELECT setval(%s, %s, false)", [sequence, first])
    return starts
