"""The test database's ids cannot coincide across tables (tests/id_offsets.py)."""

from __future__ import annotations

import pytest

from tests.id_offsets import STRIDE, offset_tables, start_of
from xinan.accounts.models import User
from xinan.organisations.models import Membership, Organisation


@pytest.mark.django_db
def test_ids_of_different_tables_never_coincide(world):
    firsts = {table: start_of(n) for n, (table, _column) in enumerate(offset_tables())}
    rows = {
        Organisation._meta.db_table: Organisation.objects.values_list("pk", flat=True),
        User._meta.db_table: User.objects.values_list("pk", flat=True),
        Membership._meta.db_table: Membership.objects.values_list("pk", flat=True),
    }
    seen: dict[int, str] = {}
    for table, ids in rows.items():
        for pk in ids:
            assert firsts[table] <= pk < firsts[table] + STRIDE, (table, pk)
            assert pk not in seen, f"{table} and {seen[pk]} share id {pk}"
            seen[pk] = table


@pytest.mark.django_db(transaction=True)
def test_ids_keep_their_offsets_after_a_flush(world):
    assert Organisation.objects.order_by("pk").first().pk >= start_of(
        [table for table, _column in offset_tables()].index(Organisation._meta.db_table)
    )
