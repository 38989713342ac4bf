import threading
from collections import Counter

import pytest
from django.db import connection

from tests.factories import person
from tests.xinan.reviews.conftest import make_submission
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import SubmissionEvent
from xinan.organisations.enums import Role
from xinan.reviews.enums import Decision, RoundLevel
from xinan.reviews.models import Assignment, ReviewRound
from xinan.reviews.services.assignment import assign_automatically, open_round
from xinan.reviews.services.decisions import publish_decisions, stage_decision
from xinan.reviews.services.errors import ReviewError


def _in_parallel(n, action):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(action())
        except ReviewError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_automatic_assignment_and_publication_happen_once(world, campaign):
    review_round = open_round(
        campaign, level=RoundLevel.PROVINCE, province=world.province_a, by=world.provincial_admin_a
    )
    for _ in range(4):
        person(Role.REVIEWER, world.province_a)
    submissions = [make_submission(campaign, world.school_a2, title=f"并发{n}") for n in range(5)]

    _in_parallel(
        4, lambda: assign_automatically(ReviewRound.objects.get(pk=review_round.pk), by=world.provincial_admin_a)
    )
    per_submission = Counter(Assignment.objects.values_list("submission_id", flat=True))
    assert per_submission == {submission.pk: 3 for submission in submissions}

    for submission in submissions:
        stage_decision(review_round, submission, decision=Decision.APPROVE, reason="", by=world.provincial_admin_a)
    outcomes = _in_parallel(
        4, lambda: publish_decisions(ReviewRound.objects.get(pk=review_round.pk), by=world.provincial_admin_a)
    )
    assert sum(1 for outcome in outcomes if not isinstance(outcome, str)) == 1
    assert all("没有待发布" in outcome for outcome in outcomes if isinstance(outcome, str))
    assert campaign.submissions.filter(state=SubmissionState.APPROVED).count() == 5
    assert SubmissionEvent.objects.filter(to_state=SubmissionState.APPROVED).count() == 5
