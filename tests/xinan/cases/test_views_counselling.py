"""The clinical wall across every case page: a counselling note's text reaches counselling
staff only; the team sees exactly the excerpt that was shared on purpose."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.xinan.cases.test_views_work import VIEWS
from xinan.audit.models import AuditEntry
from xinan.cases import urls
from xinan.cases.services import counselling

SHARED = "金丝雀甲号：学生说近期有轻生念头"
PRIVATE = "金丝雀乙号：学生谈到的家庭隐私"
READERS = ["team_leader_a", "coordinator_a", "class_teacher_a", "counsellor_a"]
COUNSELLING_STAFF = {"coordinator_a", "counsellor_a"}


def case_pages(case, world, note) -> list[str]:
    """Every page of the cases app addressed by the case alone, and each of ours with its objects."""
    pages = {
        reverse(f"cases:{pattern.name}", args=[case.pk])
        for pattern in urls.urlpatterns
        if pattern.name and set(pattern.pattern.converters) == {"pk"}
    }
    pages |= {reverse(f"cases:{view.name}", args=view.args(case, world)) for view in VIEWS}
    pages.add(reverse("cases:counselling_share", args=[case.pk, note.pk]))
    return sorted(pages)


def _pages_seen(client, user, pages) -> dict[str, str]:
    client.force_login(user)
    seen = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 302, 404, 405}, url
        if response.status_code == 200:
            seen[url] = response.content.decode()
    return seen


@pytest.mark.parametrize("who", READERS)
def test_counselling_note_stays_behind_the_clinical_wall(client, world, case, who):
    note = counselling.add_note(case, by=world.counsellor_a, text=f"{SHARED}。{PRIVATE}。")
    seen = _pages_seen(client, getattr(world, who), case_pages(case, world, note))
    assert seen, "every reader sees at least one page"
    leaking = [url for url, html in seen.items() if SHARED in html or PRIVATE in html]
    if who in COUNSELLING_STAFF:
        assert reverse("cases:detail", args=[case.pk]) in leaking
        assert reverse("cases:counselling_share", args=[case.pk, note.pk]) in leaking
    else:
        assert leaking == []


@pytest.mark.parametrize("who", READERS)
def test_team_sees_only_the_shared_excerpt(client, world, case, who):
    note = counselling.add_note(case, by=world.counsellor_a, text=f"{SHARED}。{PRIVATE}。")
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("cases:counselling_share", args=[case.pk, note.pk]),
        {"excerpt": SHARED, "reason": "需要小组安排陪护"},
    )
    assert response.status_code == 302
    seen = _pages_seen(client, getattr(world, who), case_pages(case, world, note))
    detail = seen.get(reverse("cases:detail", args=[case.pk]), "")
    if who in COUNSELLING_STAFF:
        assert PRIVATE in detail
    else:
        assert all(PRIVATE not in html for html in seen.values())
    if who == "team_leader_a":
        shared_at = detail.index("来自咨询记录的共享摘录")
        assert detail.index(SHARED) > shared_at
        assert [url for url, html in seen.items() if SHARED in html] == [reverse("cases:detail", args=[case.pk])]
    if who == "class_teacher_a":
        assert all(SHARED not in html for html in seen.values())


def test_sharing_is_audited_with_its_reason(client, world, case):
    note = counselling.add_note(case, by=world.counsellor_a, text=f"{SHARED}。{PRIVATE}。")
    client.force_login(world.coordinator_a)
    client.post(
        reverse("cases:counselling_share", args=[case.pk, note.pk]), {"excerpt": SHARED, "reason": "需要小组安排陪护"}
    )
    entry = AuditEntry.objects.get(action="xinan.case.counselling_note.share")
    assert entry.actor == world.coordinator_a
    shared = case.shared_excerpts.get()
    assert entry.after["shared_excerpt"] == shared.pk
    assert entry.reason == "见共享记录"
    assert "需要小组安排陪护" not in str(entry.after) + entry.reason  # the audit trail is not encrypted
    assert SHARED not in str(entry.after) + entry.reason
    assert shared.reason == "需要小组安排陪护"  # kept, encrypted, with the shared excerpt


def test_share_refuses_text_not_in_the_note_and_keeps_what_was_typed(client, world, case):
    note = counselling.add_note(case, by=world.counsellor_a, text=f"{SHARED}。{PRIVATE}。")
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("cases:counselling_share", args=[case.pk, note.pk]), {"excerpt": "编造的内容", "reason": "需要小组安排"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "原文摘录" in html
    assert "编造的内容" in html
    assert case.shared_excerpts.count() == 0


def test_add_note_from_case_page(client, world, case):
    client.force_login(world.counsellor_a)
    response = client.post(reverse("cases:counselling_note_add", args=[case.pk]), {"text": "第一次咨询"}, follow=True)
    assert response.status_code == 200
    assert "第一次咨询" in response.content.decode()
    assert case.counselling_notes.get().author == world.counsellor_a
