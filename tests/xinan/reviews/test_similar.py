"""Reviewers see the originality flags of the report they review, without the other report's name."""

from tests.xinan.campaigns.test_originality import REPORT_A, REPORT_A_COPY, REPORT_B, _attach
from xinan.reviews.services.reviewing import similar_passages


def test_reviewer_sees_matching_passages_side_by_side(world, campaign, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        _attach(campaign, UserFactory(), world.school_a, REPORT_A, world.provincial_admin_a)
        _attach(campaign, UserFactory(), world.school_a, REPORT_B, world.provincial_admin_a)
        copy = _attach(campaign, UserFactory(), world.school_b, REPORT_A_COPY, world.provincial_admin_a)
    found = similar_passages(copy)
    assert len(found) == 1
    assert found[0]["containment"] >= 30
    assert any("值班辅导员五分钟内赶到" in passage["mine"] for passage in found[0]["passages"])
    assert set(found[0]) == {"jaccard", "containment", "passages"}  # the other report is not named
