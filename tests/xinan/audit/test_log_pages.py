"""The audit log reads newest first by seeking (at, id), and finds a person by the exact name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.audit.services.queries import decode_cursor, keyset_page, search_entries

pytestmark = pytest.mark.django_db


def _entries(organisation, count: int, *, same_time: bool = False, actor_label: str = "测试人员甲") -> list[int]:
    start = timezone.now() - dt.timedelta(hours=1)
    made = AuditEntry.objects.bulk_create(
        AuditEntry(
            at=start if same_time else start + dt.timedelta(seconds=i),
            organisation=organisation,
            action="xinan.case.view",
            actor_label=actor_label,
        )
        for i in range(count)
    )
    return [entry.pk for entry in made]


@pytest.mark.parametrize("same_time", [False, True])
def test_keyset_pages_give_every_entry_once_newest_first(world, same_time):
    # Arrange: entries at distinct times, and entries that share one timestamp (ties broken by id).
    made = set(_entries(world.school_b, 123, same_time=same_time))
    queryset = AuditEntry.objects.filter(organisation=world.school_b)

    # Act: follow the cursors to the end.
    seen, cursor, pages = [], "", 0
    while True:
        page = keyset_page(queryset, cursor, size=50)
        seen += [(e.at, e.pk) for e in page.rows]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor

    # Assert: all of them, once each, in (at, id) descending order, in three pages.
    assert {pk for _, pk in seen} == made
    assert len(seen) == len(made)
    assert seen == sorted(seen, reverse=True)
    assert pages == 3


def test_a_deep_page_costs_one_query_like_the_first(world, django_assert_num_queries):
    # Arrange
    _entries(world.school_b, 120)
    queryset = AuditEntry.objects.filter(organisation=world.school_b)
    second = keyset_page(queryset, size=50).next_cursor
    third = keyset_page(queryset, second, size=50).next_cursor

    # Act / Assert: no count and no offset, one query at any depth.
    with django_assert_num_queries(1):
        keyset_page(queryset, third, size=50)


def test_a_tampered_cursor_gives_the_first_page(world):
    # Arrange
    _entries(world.school_b, 3)
    queryset = AuditEntry.objects.filter(organisation=world.school_b)

    # Act
    page = keyset_page(queryset, "'; DROP TABLE x; --~abc")

    # Assert
    assert decode_cursor("'; DROP TABLE x; --~abc") is None
    assert page.is_first
    assert len(page.rows) == 3


def test_search_by_person_is_an_exact_name(world):
    # Arrange
    _entries(world.school_b, 2, actor_label="测试人员甲")
    _entries(world.school_b, 2, actor_label="测试人员甲乙")
    queryset = AuditEntry.objects.filter(organisation=world.school_b)

    # Act
    found = search_entries(queryset, actor=" 测试人员甲 ")

    # Assert
    assert found.count() == 2
    assert set(found.values_list("actor_label", flat=True)) == {"测试人员甲"}


def test_the_auditor_walks_the_log_by_its_links(client, world):
    # Arrange: more than a page of entries for school A, read by its team leader.
    _entries(world.school_a, 60)
    client.force_login(world.team_leader_a)
    url = reverse("audit:log", args=[world.school_a.pk])

    # Act: the first page, then the page its "更早的记录" link points at.
    first = client.get(url, {"refusals_only": ""})
    cursor = first.context["page"].next_cursor
    older = client.get(url, {"refusals_only": "", "after": cursor})

    # Assert
    assert first.status_code == older.status_code == 200
    assert "更早的记录" in first.content.decode()
    assert "回到最新" in older.content.decode()
    first_ids = {e.pk for e in first.context["page"].rows}
    assert first_ids.isdisjoint({e.pk for e in older.context["page"].rows})
