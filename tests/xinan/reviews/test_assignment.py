from collections import Counter

import pytest

from tests.factories import make_org, person
from tests.xinan.reviews.conftest import make_submission
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import SubmissionState
from xinan.notifications.models import Message
from xinan.organisations.enums import OrgKind, Role
from xinan.reviews.enums import AssignmentState, RoundLevel
from xinan.reviews.models import Assignment
from xinan.reviews.services.assignment import (
    assign_automatically,
    assign_reviewer,
    declare_conflict,
    open_round,
    plan_assignments,
)
from xinan.reviews.services.errors import ReviewError
from xinan.reviews.services.queries import reviewers_for_round


def test_plan_balances_load_within_one():
    submissions = [(n, 100 + n % 4) for n in range(1, 12)]
    reviewers = list(range(1, 8))
    pairs, short = plan_assignments(submissions, reviewers, k=3, load={}, assigned={}, excluded={})
    loads = Counter(reviewer for _s, reviewer in pairs)
    assert short == {}
    assert len(pairs) == 33
    assert max(loads.values()) - min(loads.values()) <= 1
    assert all(len({r for s, r in pairs if s == sub}) == 3 for sub, _school in submissions)


def test_plan_never_gives_a_reviewer_their_own_school():
    submissions = [(n, 100 + n % 3) for n in range(1, 10)]
    reviewers = [1, 2, 3, 4, 5, 6]
    excluded = {1: {100}, 2: {101}, 3: {102}}
    pairs, short = plan_assignments(submissions, reviewers, k=3, load={}, assigned={}, excluded=excluded)
    schools = dict(submissions)
    assert short == {}
    assert all(schools[s] not in excluded.get(r, set()) for s, r in pairs)
    loads = Counter(r for _s, r in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_plan_is_deterministic_and_reports_shortfall():
    args = ([(1, 100), (2, 100)], [1, 2])
    first = plan_assignments(*args, k=3, load={}, assigned={}, excluded={2: {100}})
    second = plan_assignments(*args, k=3, load={}, assigned={}, excluded={2: {100}})
    assert first == second
    assert first[1] == {1: 2, 2: 2}


@pytest.fixture
def many(world, campaign):
    """Province A with a third school, 9 submissions over its schools and 5 reviewers (one held in school A)."""
    school_a3 = make_org(OrgKind.SCHOOL, world.province_a, name="甲省第三测试学院")
    schools = [world.school_a, world.school_a2, school_a3]
    submissions = [make_submission(campaign, schools[n % 3], title=f"案例{n}") for n in range(9)]
    reviewers = [world.reviewer_a, person(Role.REVIEWER, world.province_a), person(Role.REVIEWER, world.province_a)]
    reviewers += [person(Role.REVIEWER, world.school_a), person(Role.REVIEWER, school_a3)]
    return submissions, reviewers


def test_auto_assignment_balanced_and_never_own_school(world, campaign, province_round, many):
    submissions, reviewers = many
    result = assign_automatically(province_round, by=world.provincial_admin_a)
    assignments = list(Assignment.objects.filter(round=province_round).select_related("submission"))
    assert len(result.created) == 27
    assert result.short == {}
    per_submission = Counter(a.submission_id for a in assignments)
    assert set(per_submission.values()) == {3}
    loads = Counter(a.reviewer_id for a in assignments)
    assert set(loads) == {r.pk for r in reviewers}
    assert max(loads.values()) - min(loads.values()) <= 1
    own = {reviewers[3].pk: world.school_a.pk, reviewers[4].pk: submissions[2].school_id}
    assert not [a for a in assignments if own.get(a.reviewer_id) == a.submission.school_id]
    assert AuditEntry.objects.filter(action="xinan.review.assign.auto").count() == 1


def test_auto_assignment_honours_declared_conflicts(world, campaign, province_round, many):
    _submissions, reviewers = many
    declare_conflict(reviewers[1], world.school_a2, reason="曾在该校任职")
    assign_automatically(province_round, by=world.provincial_admin_a)
    assert not Assignment.objects.filter(reviewer=reviewers[1], submission__school=world.school_a2).exists()


def test_auto_assignment_twice_adds_nothing(world, campaign, province_round, many):
    assign_automatically(province_round, by=world.provincial_admin_a)
    again = assign_automatically(province_round, by=world.provincial_admin_a)
    assert again.created == []
    assert Assignment.objects.count() == 27


def test_conflict_declines_open_assignments_and_reassignment_fills_the_gap(world, campaign, province_round, many):
    assign_automatically(province_round, by=world.provincial_admin_a)
    victim = Assignment.objects.filter(reviewer=world.reviewer_a).select_related("submission__school").first()
    declare_conflict(world.reviewer_a, victim.submission.school)
    victim.refresh_from_db()
    assert victim.state == AssignmentState.DECLINED
    assign_automatically(province_round, by=world.provincial_admin_a)
    active = Assignment.objects.filter(submission=victim.submission).exclude(state=AssignmentState.DECLINED)
    assert active.count() == 3
    assert world.reviewer_a.pk not in set(active.values_list("reviewer_id", flat=True))


def test_assignment_by_hand_refuses_own_school_reviewer(world, campaign, province_round):
    submission = make_submission(campaign, world.school_a)
    own = person(Role.REVIEWER, world.school_a)
    with pytest.raises(ReviewError, match="本校"):
        assign_reviewer(province_round, submission, own, by=world.provincial_admin_a)
    assignment = assign_reviewer(province_round, submission, world.reviewer_a, by=world.provincial_admin_a)
    assert assignment.state == AssignmentState.ASSIGNED
    with pytest.raises(ReviewError, match="已被指派"):
        assign_reviewer(province_round, submission, world.reviewer_a, by=world.provincial_admin_a)


def test_assignment_by_hand_refuses_a_reviewer_of_another_province(world, campaign, province_round):
    submission = make_submission(campaign, world.school_a)
    other = person(Role.REVIEWER, world.province_b)
    with pytest.raises(ReviewError, match="不是本轮评审"):
        assign_reviewer(province_round, submission, other, by=world.provincial_admin_a)


def test_reviewer_is_told_in_app_and_by_sms(world, campaign, province_round, django_capture_on_commit_callbacks):
    submission = make_submission(campaign, world.school_a2)
    with django_capture_on_commit_callbacks(execute=True):
        assign_reviewer(province_round, submission, world.reviewer_a, by=world.provincial_admin_a)
    sms = Message.objects.get(template="review_assigned")
    assert sms.to_address == world.reviewer_a.phone
    assert "1 个新的案例评审任务" in sms.body
    assert world.reviewer_a.notifications.filter(title__contains="评审任务").exists()


def test_national_round_reviewers_are_national_and_pool_is_recommended(world, campaign):
    national = person(Role.REVIEWER, world.nation)
    recommended = make_submission(campaign, world.school_b, state=SubmissionState.RECOMMENDED)
    make_submission(campaign, world.school_a, state=SubmissionState.SUBMITTED)
    nation_round = open_round(campaign, level=RoundLevel.NATION, by=world.national_admin, reviews_per_submission=1)
    assert list(reviewers_for_round(nation_round)) == [national]
    result = assign_automatically(nation_round, by=world.national_admin)
    assert [(a.submission_id, a.reviewer_id) for a in result.created] == [(recommended.pk, national.pk)]


def test_a_round_opens_once(world, campaign, province_round):
    with pytest.raises(ReviewError, match="已经开启"):
        open_round(campaign, level=RoundLevel.PROVINCE, province=world.province_a, by=world.provincial_admin_a)
