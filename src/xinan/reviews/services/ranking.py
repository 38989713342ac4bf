"""The ranking of a round: each submission's weighted totals, mean and median."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from xinan.reviews.enums import ACTIVE_ASSIGNMENT_STATES
from xinan.reviews.models import Assignment, Review, ReviewRound, StagedDecision
from xinan.reviews.services.queries import ranked_submissions_for_round

TWO_PLACES = Decimal("0.01")


@dataclass
class RankedSubmission:
    submission: object
    totals: list[Decimal] = field(default_factory=list)
    assigned: int = 0
    staged: StagedDecision | None = None
    rank: int | None = None

    @property
    def reviews(self) -> int:
        return len(self.totals)

    @property
    def mean(self) -> Decimal | None:
        if not self.totals:
            return None
        return (sum(self.totals) / len(self.totals)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def median(self) -> Decimal | None:
        if not self.totals:
            return None
        return Decimal(statistics.median(self.totals)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ranking(review_round: ReviewRound) -> list[RankedSubmission]:
    """Every submission of the round, best mean first (then median, then id); unreviewed ones last.

    A fixed number of queries whatever the number of submissions; the national selection calls this."""
    submissions = list(ranked_submissions_for_round(review_round).select_related("school").order_by("pk"))
    rows = {submission.pk: RankedSubmission(submission) for submission in submissions}
    for submission_id, total in Review.objects.filter(assignment__round=review_round).values_list(
        "assignment__submission_id", "total"
    ):
        if submission_id in rows:
            rows[submission_id].totals.append(total)
    counts = defaultdict(int)
    for submission_id in Assignment.objects.filter(round=review_round, state__in=ACTIVE_ASSIGNMENT_STATES).values_list(
        "submission_id", flat=True
    ):
        counts[submission_id] += 1
    for decision in StagedDecision.objects.filter(round=review_round, published_at__isnull=True):
        if decision.submission_id in rows:
            rows[decision.submission_id].staged = decision
    for submission_id, row in rows.items():
        row.assigned = counts[submission_id]
    ordered = sorted(
        rows.values(),
        key=lambda row: (row.mean is None, -(row.mean or 0), -(row.median or 0), row.submission.pk),
    )
    for position, row in enumerate(ordered, start=1):
        row.rank = position if row.mean is not None else None
    return ordered
