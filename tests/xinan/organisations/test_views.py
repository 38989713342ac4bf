"""Role matrix of the organisation views: status per role, nothing changed, refusals audited."""

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry

DENIED = "xinan.access.denied"


def _get(client, user, url):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url)
    refusals = AuditEntry.objects.filter(action=DENIED).count() - before
    return response, refusals


TEAM_MATRIX = [
    ("team_leader_a", 200),
    ("coordinator_a", 200),
    ("counsellor_a", 200),
    ("health_teacher_a", 200),
    ("class_teacher_a", 404),
    ("staff_a", 404),
    ("filer_a", 404),
    ("counsellor_b", 404),
    ("team_leader_b", 404),
    ("counsellor_a2_school", 404),
    ("provincial_admin_a", 404),
    ("provincial_admin_b", 404),
    ("reviewer_a", 404),
    ("national_admin", 404),
]


@pytest.mark.parametrize(("who", "status"), TEAM_MATRIX)
def test_crisis_team_page_role_matrix(client, world, who, status):
    response, refusals = _get(client, getattr(world, who), reverse("organisations:team", args=[world.school_a.pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    if status == 404:
        assert "页面不存在" in response.content.decode()


def test_crisis_team_page_refusal_names_the_actor(client, world):
    _get(client, world.provincial_admin_a, reverse("organisations:team", args=[world.school_a.pk]))
    entry = AuditEntry.objects.filter(action=DENIED).latest("pk")
    assert entry.actor == world.provincial_admin_a
    assert entry.object_id == str(world.school_a.pk)
    assert "view_crisis_team" in entry.reason


def test_crisis_team_page_unknown_school_is_404_and_audited(client, world):
    response, refusals = _get(client, world.counsellor_a, reverse("organisations:team", args=[999999]))
    assert response.status_code == 404
    assert refusals == 1


def test_crisis_team_page_anonymous_redirected_to_login(client, world):
    response = client.get(reverse("organisations:team", args=[world.school_a.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("counsellor_a", "school_a", 200),
        ("counsellor_a", "school_b", 404),
        ("counsellor_b", "school_a", 404),
        ("provincial_admin_a", "school_a", 200),
        ("provincial_admin_a", "school_b", 404),
        ("provincial_admin_b", "province_a", 404),
        ("national_admin", "school_b", 200),
    ],
)
def test_organisation_detail_role_matrix(client, world, who, target, status):
    url = reverse("organisations:detail", args=[getattr(world, target).pk])
    response, refusals = _get(client, getattr(world, who), url)
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


def test_organisation_detail_masks_member_phones(client, world):
    response, _ = _get(client, world.provincial_admin_a, reverse("organisations:detail", args=[world.province_a.pk]))
    html = response.content.decode()
    assert world.provincial_admin_a.phone not in html
    assert world.provincial_admin_a.masked_phone in html


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, rows):
    from tests.factories import make_org
    from xinan.organisations.enums import OrgKind

    for _ in range(rows):
        make_org(OrgKind.SCHOOL, world.province_a)
    client.force_login(world.provincial_admin_a)
    with django_assert_max_num_queries(9):  # the page's rows, and one count for the pages
        assert client.get(reverse("organisations:list")).status_code == 200


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("team_leader_a", "school_a", 200),
        ("provincial_admin_a", "province_a", 200),
        ("national_admin", "nation", 200),
        ("provincial_admin_a", "school_a", 404),
        ("provincial_admin_b", "province_a", 404),
        ("counsellor_a", "school_a", 404),
        ("team_leader_b", "school_a", 404),
    ],
)
def test_audit_log_role_matrix(client, world, who, target, status):
    response, refusals = _get(client, getattr(world, who), reverse("audit:log", args=[getattr(world, target).pk]))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


def test_audit_log_shows_only_own_organisation_entries(client, world):
    from xinan.audit.services.record import record

    record("xinan.test.province", organisation=world.province_a, reason="省内")
    record("xinan.test.school", organisation=world.school_a, reason="校内")
    response, _ = _get(client, world.provincial_admin_a, reverse("audit:log", args=[world.province_a.pk]))
    html = response.content.decode()
    assert "xinan.test.province" in html
    assert "xinan.test.school" not in html


def test_audit_log_search_filters_by_action(client, world):
    from xinan.audit.services.record import record

    record("xinan.auth.login", organisation=world.province_a)
    record("xinan.access.denied", organisation=world.province_a)
    client.force_login(world.provincial_admin_a)
    response = client.get(reverse("audit:log", args=[world.province_a.pk]), {"action": "xinan.access.denied"})
    rows = response.content.decode().split('data-test="audit-table"')[1]
    assert "xinan.access.denied" in rows
    assert "xinan.auth.login</span>" not in rows


def test_organisation_list_pages_through_every_organisation_in_reach(client, world):
    # Arrange: more schools than one page holds (the list used to stop silently at 500 rows).
    from tests.factories import make_org
    from xinan.organisations.enums import OrgKind
    from xinan.organisations.views import PAGE_SIZE

    made = [make_org(OrgKind.SCHOOL, world.province_a) for _ in range(PAGE_SIZE + 5)]
    client.force_login(world.provincial_admin_a)

    # Act: walk every page.
    seen, page = set(), 1
    while True:
        response = client.get(reverse("organisations:list"), {"page": page})
        assert response.status_code == 200
        seen |= {org.pk for org in response.context["organisations"]}
        if not response.context["page"].has_next():
            break
        page += 1

    # Assert: every school made is listed once the pages are walked, and each page holds at most a page.
    assert {org.pk for org in made} <= seen
    assert page >= 2


def test_organisation_list_finds_a_school_by_name_or_code(client, world):
    # Arrange
    client.force_login(world.provincial_admin_a)

    # Act
    by_name = client.get(reverse("organisations:list"), {"q": world.school_a.name})
    by_code = client.get(reverse("organisations:list"), {"q": world.school_a.code})

    # Assert
    assert [o.pk for o in by_name.context["organisations"]] == [world.school_a.pk]
    assert world.school_a.pk in [o.pk for o in by_code.context["organisations"]]
