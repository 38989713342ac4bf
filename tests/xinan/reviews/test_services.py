from decimal import Decimal

import pytest

from tests.factories import person
from tests.xinan.campaigns.test_filing import _ready
from tests.xinan.reviews.conftest import SCORES, SCORES_TOTAL, make_submission
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import QuotaMode, SubmissionState
from xinan.campaigns.models import SubmissionEvent
from xinan.campaigns.services import filing
from xinan.organisations.enums import Role
from xinan.reviews.enums import AssignmentState, Decision
from xinan.reviews.models import Assignment, StagedDecision
from xinan.reviews.services.decisions import publish_decisions, quota_status, stage_decision
from xinan.reviews.services.errors import ReviewError
from xinan.reviews.services.ranking import ranking
from xinan.reviews.services.reviewing import others_reviews, report_text, submit_review, weighted_total


def test_weighted_total_uses_the_rubric_weights(campaign):
    assert weighted_total(campaign.rubric, SCORES) == Decimal(SCORES_TOTAL)


def test_submit_review_once_with_scores_in_range(world, panel):
    with pytest.raises(ReviewError, match="0–100"):
        submit_review(panel.assignment, scores={**SCORES, "格式与文字": 101}, comment="", by=panel.assigned)
    with pytest.raises(ReviewError, match="请为"):
        submit_review(panel.assignment, scores={}, comment="", by=panel.assigned)
    review = submit_review(panel.assignment, scores=SCORES, comment="意见", by=panel.assigned)
    assert review.total == Decimal(SCORES_TOTAL)
    assert panel.assignment.state == AssignmentState.SUBMITTED
    with pytest.raises(ReviewError, match="不能重复"):
        submit_review(panel.assignment, scores=SCORES, comment="再来", by=panel.assigned)


def test_others_reviews_hidden_until_own_is_submitted(world, panel):
    second = Assignment.objects.create(
        round=panel.round,
        submission=panel.submission,
        reviewer=panel.not_assigned,
        assigned_by=world.provincial_admin_a,
    )
    submit_review(second, scores=SCORES, comment="另一位专家的意见", by=panel.not_assigned)
    assert others_reviews(panel.assignment) == []
    submit_review(panel.assignment, scores=SCORES, comment="我的意见", by=panel.assigned)
    panel.assignment.refresh_from_db()
    assert [r.comment for r in others_reviews(panel.assignment)] == ["另一位专家的意见"]


def _scored(round_, submission, totals, admin):
    """Reviews with the given weighted totals (all criteria scored alike gives that total)."""
    for total in totals:
        reviewer = person(Role.REVIEWER, round_.province)
        assignment = Assignment.objects.create(
            round=round_, submission=submission, reviewer=reviewer, assigned_by=admin
        )
        submit_review(assignment, scores=dict.fromkeys(SCORES, total), comment="", by=reviewer)


def test_ranking_mean_and_median(world, campaign, province_round):
    first = make_submission(campaign, world.school_a, title="甲")
    second = make_submission(campaign, world.school_a2, title="乙")
    unreviewed = make_submission(campaign, world.school_a2, title="丙")
    _scored(province_round, first, [60, 70, 95], world.provincial_admin_a)
    _scored(province_round, second, [80, 90], world.provincial_admin_a)
    rows = ranking(province_round)
    assert [row.submission for row in rows] == [second, first, unreviewed]
    assert (rows[0].mean, rows[0].median, rows[0].reviews) == (Decimal("85.00"), Decimal("85.00"), 2)
    assert (rows[1].mean, rows[1].median, rows[1].reviews) == (Decimal("75.00"), Decimal("70.00"), 3)
    assert (rows[2].mean, rows[2].rank) == (None, None)


def test_report_text_read_from_the_stored_word_file(world, campaign, right):
    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    assert "期中考试后" in report_text(submission)


def test_staged_decisions_published_in_one_batch(world, campaign, province_round):
    admin = world.provincial_admin_a
    approve = make_submission(campaign, world.school_a, title="通过")
    back = make_submission(campaign, world.school_a2, title="退回")
    refuse = make_submission(campaign, world.school_a2, title="不通过")
    stage_decision(province_round, approve, decision=Decision.APPROVE, reason="", by=admin)
    stage_decision(province_round, back, decision=Decision.RETURN, reason="请补充干预过程", by=admin)
    stage_decision(province_round, refuse, decision=Decision.REJECT, reason="不符合征集要求", by=admin)
    assert approve.state == SubmissionState.SUBMITTED  # staged only
    result = publish_decisions(province_round, by=admin)
    assert result.published == 3
    for submission, state in ((approve, "approved"), (back, "returned"), (refuse, "rejected")):
        submission.refresh_from_db()
        assert submission.state == state
        assert SubmissionEvent.objects.filter(submission=submission, to_state=state, by=admin).exists()
    assert not StagedDecision.objects.filter(published_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="xinan.review.decision.publish").count() == 1
    assert AuditEntry.objects.filter(action="xinan.campaign.submission.approve").count() == 1


def test_publishing_is_all_or_nothing(world, campaign, province_round):
    admin = world.provincial_admin_a
    good = make_submission(campaign, world.school_a, title="好")
    gone = make_submission(campaign, world.school_a2, title="撤回了")
    stage_decision(province_round, good, decision=Decision.APPROVE, reason="", by=admin)
    stage_decision(province_round, gone, decision=Decision.APPROVE, reason="", by=admin)
    filing.withdraw(gone, by=gone.filer)
    with pytest.raises(ReviewError, match="本批决定均未发布"):
        publish_decisions(province_round, by=admin)
    good.refresh_from_db()
    assert good.state == SubmissionState.SUBMITTED
    assert StagedDecision.objects.filter(published_at__isnull=True).count() == 2


def test_return_and_reject_need_a_reason(world, campaign, province_round):
    submission = make_submission(campaign, world.school_a)
    with pytest.raises(ReviewError, match="原因"):
        stage_decision(province_round, submission, decision=Decision.RETURN, reason="", by=world.provincial_admin_a)
    assert not StagedDecision.objects.exists()


def _approvals(world, campaign, round_, n):
    for index in range(n):
        submission = make_submission(campaign, world.school_a2, title=f"案例{index}")
        stage_decision(round_, submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)


def test_hard_quota_refuses_publishing_more_approvals(world, campaign, province_round):
    campaign.province_quota, campaign.province_quota_mode = 2, QuotaMode.HARD
    campaign.save()
    province_round.refresh_from_db()
    _approvals(world, campaign, province_round, 3)
    with pytest.raises(ReviewError, match="超出 1 个"):
        publish_decisions(province_round, by=world.provincial_admin_a)
    assert not campaign.submissions.filter(state=SubmissionState.APPROVED).exists()


def test_soft_quota_warns_and_publishes(world, campaign, province_round):
    campaign.province_quota, campaign.province_quota_mode = 2, QuotaMode.SOFT
    campaign.save()
    province_round.refresh_from_db()
    _approvals(world, campaign, province_round, 3)
    assert quota_status(province_round).over == 1
    result = publish_decisions(province_round, by=world.provincial_admin_a)
    assert "超出 1 个" in result.warning
    assert campaign.submissions.filter(state=SubmissionState.APPROVED).count() == 3
