import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import person
from tests.xinan.campaigns.test_filing import _ready
from tests.xinan.reviews.conftest import SCORES, make_submission, score_post
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.services import filing
from xinan.organisations.enums import Role
from xinan.reviews.enums import AssignmentState, Decision
from xinan.reviews.models import Assignment, ConflictDeclaration, Review, ReviewRound, StagedDecision
from xinan.reviews.services.assignment import open_round
from xinan.reviews.services.decisions import stage_decision
from xinan.reviews.services.reviewing import submit_review

DENIED = "xinan.access.denied"
ROLES = [
    "reviewer_assigned",
    "reviewer_not_assigned",
    "reviewer_own_school",
    "provincial_admin_a",
    "provincial_admin_b",
    "national_admin",
    "filer",
]


@pytest.fixture
def people(world, panel):
    # The own-school reviewer holds an assignment (made by hand, behind the services' back): still refused.
    Assignment.objects.create(
        round=panel.round, submission=panel.submission, reviewer=panel.own_school, assigned_by=world.provincial_admin_a
    )
    return {
        "reviewer_assigned": panel.assigned,
        "reviewer_not_assigned": panel.not_assigned,
        "reviewer_own_school": panel.own_school,
        "provincial_admin_a": world.provincial_admin_a,
        "provincial_admin_b": world.provincial_admin_b,
        "national_admin": world.national_admin,
        "filer": world.filer_a,
    }


def _call(client, user, method, url, data=None):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url) if method == "get" else client.post(url, data or {})
    denied = AuditEntry.objects.filter(action=DENIED).count() - before
    return response, denied


def _check(response, denied, expected):
    assert response.status_code == expected
    assert denied == (1 if expected == 404 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_review_page_role_matrix(client, people, panel, role):
    response, denied = _call(client, people[role], "get", reverse("reviews:review", args=[panel.assignment.pk]))
    _check(response, denied, 200 if role == "reviewer_assigned" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_review_submit_role_matrix(client, people, panel, role):
    assignment = (
        Assignment.objects.get(round=panel.round, reviewer=people[role])
        if role.startswith("reviewer_") and role != "reviewer_not_assigned"
        else panel.assignment
    )
    response, denied = _call(
        client, people[role], "post", reverse("reviews:review", args=[assignment.pk]), score_post()
    )
    ok = role == "reviewer_assigned"
    _check(response, denied, 302 if ok else 404)
    assert Review.objects.count() == (1 if ok else 0)


@pytest.mark.parametrize("role", ROLES)
def test_conflict_role_matrix(client, people, panel, role):
    url = reverse("reviews:conflict", args=[panel.assignment.pk])
    response, denied = _call(client, people[role], "post", url, {"reason": "亲属在该校"})
    ok = role == "reviewer_assigned"
    _check(response, denied, 302 if ok else 404)
    assert ConflictDeclaration.objects.count() == (1 if ok else 0)
    panel.assignment.refresh_from_db()
    assert panel.assignment.state == (AssignmentState.DECLINED if ok else AssignmentState.ASSIGNED)


@pytest.mark.parametrize("role", ROLES)
def test_my_assignments_role_matrix(client, people, panel, role):
    response, denied = _call(client, people[role], "get", reverse("reviews:mine"))
    _check(response, denied, 200 if role.startswith("reviewer_") else 404)
    if role == "reviewer_own_school":
        assert panel.submission.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_round_page_role_matrix(client, people, panel, role):
    response, denied = _call(client, people[role], "get", reverse("reviews:round", args=[panel.round.pk]))
    _check(response, denied, 200 if role == "provincial_admin_a" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_auto_assign_role_matrix(client, world, people, panel, role):
    person(Role.REVIEWER, world.province_a)
    before = Assignment.objects.count()
    response, denied = _call(client, people[role], "post", reverse("reviews:auto_assign", args=[panel.round.pk]))
    ok = role == "provincial_admin_a"
    _check(response, denied, 302 if ok else 404)
    assert (Assignment.objects.count() > before) is ok


@pytest.mark.parametrize("role", ROLES)
def test_assign_by_hand_role_matrix(client, world, people, panel, role):
    data = {"submission": panel.submission.pk, "reviewer": panel.not_assigned.pk}
    response, denied = _call(client, people[role], "post", reverse("reviews:assign", args=[panel.round.pk]), data)
    ok = role == "provincial_admin_a"
    _check(response, denied, 302 if ok else 404)
    assert Assignment.objects.filter(reviewer=panel.not_assigned).exists() is ok


@pytest.mark.parametrize("role", ROLES)
def test_stage_role_matrix(client, people, panel, role):
    url = reverse("reviews:stage", args=[panel.round.pk, panel.submission.pk])
    response, denied = _call(client, people[role], "post", url, {"decision": "approve", "reason": ""})
    ok = role == "provincial_admin_a"
    _check(response, denied, 302 if ok else 404)
    assert StagedDecision.objects.exists() is ok


@pytest.mark.parametrize("role", ROLES)
def test_publish_role_matrix(client, world, people, panel, role):
    stage_decision(panel.round, panel.submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)
    response, denied = _call(client, people[role], "post", reverse("reviews:publish", args=[panel.round.pk]))
    ok = role == "provincial_admin_a"
    _check(response, denied, 302 if ok else 404)
    panel.submission.refresh_from_db()
    assert panel.submission.state == (SubmissionState.APPROVED if ok else SubmissionState.SUBMITTED)


@pytest.mark.parametrize("role", ROLES)
def test_open_province_round_role_matrix(client, world, campaign, people, role):
    response, denied = _call(client, people[role], "get", reverse("reviews:province", args=[campaign.pk]))
    expected = {"provincial_admin_a": 302, "provincial_admin_b": 200}.get(role, 404)  # A's round is open already
    _check(response, denied, expected)


@pytest.mark.parametrize("role", ROLES)
def test_open_national_round_role_matrix(client, world, campaign, people, role):
    url = reverse("reviews:nation", args=[campaign.pk])
    response, denied = _call(client, people[role], "post", url, {"blind_to_authors": "on", "reviews_per_submission": 3})
    ok = role == "national_admin"
    _check(response, denied, 302 if ok else 404)
    assert ReviewRound.objects.filter(level="nation").exists() is ok


def test_province_opens_its_round_and_bad_input_is_a_clear_400(client, world, campaign):
    client.force_login(world.provincial_admin_b)
    url = reverse("reviews:province", args=[campaign.pk])
    response = client.post(url, {"reviews_per_submission": "很多"})
    assert response.status_code == 400
    assert "请填写 1 到 9 之间的整数" in response.content.decode()
    assert not ReviewRound.objects.exists()
    response = client.post(url, {"reviews_per_submission": 2})
    created = ReviewRound.objects.get()
    assert response.status_code == 302
    assert (created.province, created.reviews_per_submission, created.blind_to_authors) == (world.province_b, 2, False)


def test_review_form_bad_score_is_a_clear_400_and_keeps_the_input(client, panel):
    client.force_login(panel.assigned)
    data = score_post(comment="保留这段意见")
    data["score_0"] = "150"
    response = client.post(reverse("reviews:review", args=[panel.assignment.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "得分不能高于 100" in body
    assert "保留这段意见" in body
    assert not Review.objects.exists()


@pytest.fixture
def real_panel(world, campaign, right):
    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    reviewer = person(Role.REVIEWER, world.school_a2)
    other = person(Role.REVIEWER, world.province_a)
    round_ = open_round(campaign, level="province", province=world.province_a, by=world.provincial_admin_a)
    mine = Assignment.objects.create(round=round_, submission=submission, reviewer=reviewer, assigned_by=reviewer)
    theirs = Assignment.objects.create(round=round_, submission=submission, reviewer=other, assigned_by=reviewer)
    return round_, submission, mine, theirs


def test_blind_round_shows_the_report_but_not_authors_or_contact(client, real_panel):
    round_, submission, mine, _theirs = real_panel
    client.force_login(mine.reviewer)
    body = client.get(reverse("reviews:review", args=[mine.pk])).content.decode()
    assert submission.title in body
    assert "期中考试后" in body  # the report text, read from the stored Word file
    assert "测试作者" not in body
    assert submission.school.name not in body
    assert "13712345678" not in body
    round_.blind_to_authors = False
    round_.save()
    body = client.get(reverse("reviews:review", args=[mine.pk])).content.decode()
    assert "测试作者" in body
    assert "13712345678" not in body


def test_other_reviews_appear_only_after_submitting_ones_own(client, real_panel):
    _round, _submission, mine, theirs = real_panel
    submit_review(theirs, scores=SCORES, comment="他人的意见内容", by=theirs.reviewer)
    client.force_login(mine.reviewer)
    url = reverse("reviews:review", args=[mine.pk])
    assert "他人的意见内容" not in client.get(url).content.decode()
    client.post(url, score_post())
    body = client.get(url).content.decode()
    assert "他人的意见内容" in body
    assert "81.00" in body


def test_hard_quota_refusal_on_the_page(client, world, campaign, province_round):
    campaign.province_quota, campaign.province_quota_mode = 1, "hard"
    campaign.save()
    for title in ("一", "二"):
        submission = make_submission(campaign, world.school_a2, title=title)
        stage_decision(province_round, submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)
    client.force_login(world.provincial_admin_a)
    response = client.post(reverse("reviews:publish", args=[province_round.pk]))
    assert response.status_code == 400
    assert "本省推荐名额为 1 个" in response.content.decode()
    assert not campaign.submissions.filter(state=SubmissionState.APPROVED).exists()


def test_soft_quota_warning_shown_and_published(client, world, campaign, province_round):
    campaign.province_quota = 1
    campaign.save()
    for title in ("一", "二"):
        submission = make_submission(campaign, world.school_a2, title=title)
        stage_decision(province_round, submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)
    client.force_login(world.provincial_admin_a)
    page = client.get(reverse("reviews:round", args=[province_round.pk])).content.decode()
    assert 'data-test="quota-warning"' in page
    response = client.post(reverse("reviews:publish", args=[province_round.pk]), follow=True)
    assert "超出 1 个" in response.content.decode()
    assert campaign.submissions.filter(state=SubmissionState.APPROVED).count() == 2


def test_stage_with_missing_reason_is_a_clear_400(client, world, panel):
    client.force_login(world.provincial_admin_a)
    url = reverse("reviews:stage", args=[panel.round.pk, panel.submission.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "需要写明原因" in response.content.decode()
    assert not StagedDecision.objects.exists()


def _add_reviewed(world, campaign, province_round, n):
    for index in range(n):
        submission = make_submission(campaign, world.school_a2, title=f"排名{index}")
        reviewer = person(Role.REVIEWER, world.province_a)
        assignment = Assignment.objects.create(
            round=province_round, submission=submission, reviewer=reviewer, assigned_by=world.provincial_admin_a
        )
        submit_review(assignment, scores=SCORES, comment="", by=reviewer)
        stage_decision(province_round, submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)


def _page_queries(client, url, rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("data-submission=") == rows
    return len(queries)


def test_ranking_page_queries_do_not_grow_with_rows(client, world, campaign, province_round):
    client.force_login(world.provincial_admin_a)
    url = reverse("reviews:round", args=[province_round.pk])
    _add_reviewed(world, campaign, province_round, 1)
    client.get(url)  # the first request of a session does its own bookkeeping
    with_one = _page_queries(client, url, 1)
    _add_reviewed(world, campaign, province_round, 2)
    assert _page_queries(client, url, 3) == with_one


def test_province_page_links_to_the_review(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    body = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()
    assert reverse("reviews:province", args=[campaign.pk]) in body


def test_national_round_ranks_recommended_cases_without_decisions(client, world, campaign):
    national = person(Role.REVIEWER, world.nation)
    recommended = make_submission(campaign, world.school_b, state=SubmissionState.RECOMMENDED, title="推荐案例")
    make_submission(campaign, world.school_a, title="仅提交")
    client.force_login(world.national_admin)
    response = client.post(reverse("reviews:nation", args=[campaign.pk]), {"reviews_per_submission": 1})
    nation_round = ReviewRound.objects.get(level="nation")
    assert response.status_code == 302
    client.post(reverse("reviews:auto_assign", args=[nation_round.pk]))
    assignment = Assignment.objects.get(reviewer=national)
    client.force_login(national)
    assert client.post(reverse("reviews:review", args=[assignment.pk]), score_post()).status_code == 302
    client.force_login(world.national_admin)
    body = client.get(reverse("reviews:round", args=[nation_round.pk])).content.decode()
    assert "推荐案例" in body
    assert "仅提交" not in body
    assert 'data-test="publish"' not in body
    url = reverse("reviews:stage", args=[nation_round.pk, recommended.pk])
    response = client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 400
    assert "全国遴选" in response.content.decode()
    client.force_login(world.provincial_admin_b)
    assert client.get(reverse("reviews:round", args=[nation_round.pk])).status_code == 404


def test_closed_round_takes_no_more_reviews(client, world, panel):
    client.force_login(world.provincial_admin_a)
    assert client.post(reverse("reviews:close", args=[panel.round.pk])).status_code == 302
    client.force_login(panel.assigned)
    body = client.get(reverse("reviews:review", args=[panel.assignment.pk])).content.decode()
    assert 'data-test="review-form"' not in body
    response = client.post(reverse("reviews:review", args=[panel.assignment.pk]), score_post())
    assert response.status_code == 400
    assert "本轮评审已结束" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_close_round_role_matrix(client, people, panel, role):
    response, denied = _call(client, people[role], "post", reverse("reviews:close", args=[panel.round.pk]))
    ok = role == "provincial_admin_a"
    _check(response, denied, 302 if ok else 404)
    panel.round.refresh_from_db()
    assert (panel.round.closed_at is not None) is ok


def test_round_page_shows_each_experts_unit_for_manual_assignment(client, world, panel):
    # Arrange
    expert = person(Role.REVIEWER, world.province_a, name="同名专家", unit="甲省师范大学心理中心")
    person(Role.REVIEWER, world.province_a, name="同名专家", unit="甲省理工大学学生处")
    client.force_login(world.provincial_admin_a)

    # Act
    html = client.get(reverse("reviews:round", args=[panel.round.pk])).content.decode()

    # Assert
    assert f'<option value="{expert.pk}">同名专家（甲省师范大学心理中心）</option>' in html
    assert "同名专家（甲省理工大学学生处）" in html
    assert "<td>甲省师范大学心理中心</td>" in html
