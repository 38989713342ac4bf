"""Reusable querysets of the expert review; each object rule in rules.py has its list query here."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Submission
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership
from xinan.organisations.services.queries import held_roles
from xinan.reviews.enums import RoundLevel
from xinan.reviews.models import Assignment, ConflictDeclaration, ReviewRound

# The submissions a round reviews: a province reviews what its schools submitted, the nation what
# the provinces recommended.
POOL_STATES = {
    RoundLevel.PROVINCE: (SubmissionState.SUBMITTED,),
    RoundLevel.NATION: (SubmissionState.RECOMMENDED,),
}


def own_school_ids(user) -> set[int]:
    """Schools the user belongs to (any role, in the school or one of its departments)."""
    return {held.school_id for held in held_roles(user) if held.school_id is not None}


def conflict_school_ids(user) -> set[int]:
    return set(ConflictDeclaration.objects.filter(reviewer=user).values_list("school_id", flat=True))


def excluded_school_ids(user) -> set[int]:
    """Schools whose cases this reviewer must never review: their own and those they declared a conflict with."""
    return own_school_ids(user) | conflict_school_ids(user)


def excluded_schools_by_reviewer(reviewer_ids) -> dict[int, set[int]]:
    """The same, for many reviewers at once (two queries)."""
    excluded: dict[int, set[int]] = defaultdict(set)
    memberships = Membership.objects.filter(
        user_id__in=reviewer_ids,
        is_active=True,
        organisation__kind__in=[OrgKind.SCHOOL, OrgKind.DEPARTMENT],
    ).values_list("user_id", "organisation_id", "organisation__kind", "organisation__parent_id")
    for user_id, org_id, kind, parent_id in memberships:
        excluded[user_id].add(org_id if kind == OrgKind.SCHOOL else parent_id)
    for user_id, school_id in ConflictDeclaration.objects.filter(reviewer_id__in=reviewer_ids).values_list(
        "reviewer_id", "school_id"
    ):
        excluded[user_id].add(school_id)
    return excluded


def reviewers_for_round(review_round: ReviewRound) -> QuerySet:
    """The experts of a round: a province's reviewers (held in the province or one of its schools) for a
    provincial round; the nation's reviewers for the national round."""
    if review_round.level == RoundLevel.PROVINCE:
        where = Q(organisation=review_round.province_id) | Q(
            organisation__parent=review_round.province_id, organisation__kind=OrgKind.SCHOOL
        )
    else:
        where = Q(organisation__kind=OrgKind.NATION)
    memberships = Membership.objects.filter(where, role=Role.REVIEWER, is_active=True, organisation__is_active=True)
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


def submissions_for_round(review_round: ReviewRound) -> QuerySet[Submission]:
    """The submissions the round can still assign and decide on (of the campaign's school types only)."""
    qs = Submission.objects.filter(
        review_round.campaign.admitted_schools("school"),
        campaign=review_round.campaign_id,
        state__in=POOL_STATES[review_round.level],
    )
    if review_round.level == RoundLevel.PROVINCE:
        qs = qs.filter(school__parent=review_round.province_id)
    return qs


def ranked_submissions_for_round(review_round: ReviewRound) -> QuerySet[Submission]:
    """What the ranking lists: the pool, and every submission reviewed or decided in this round."""
    reviewed = Assignment.objects.filter(round=review_round).values("submission_id")
    return Submission.objects.filter(Q(pk__in=submissions_for_round(review_round).values("pk")) | Q(pk__in=reviewed))


def assignments_for_user(user) -> QuerySet[Assignment]:
    """A reviewer's own assignments, never those of a school they belong to or declared a conflict with."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    return Assignment.objects.filter(reviewer=user).exclude(submission__school_id__in=excluded_school_ids(user))


def rounds_for_user(user) -> QuerySet[ReviewRound]:
    """Rounds the user manages: their province's as provincial admin, the national one as national admin."""
    roles = held_roles(user)
    provinces = {held.organisation_id for held in roles if held.role == Role.PROVINCIAL_ADMIN}
    condition = Q(level=RoundLevel.PROVINCE, province_id__in=provinces)
    if any(held.role == Role.NATIONAL_ADMIN for held in roles):
        condition |= Q(level=RoundLevel.NATION)
    return ReviewRound.objects.filter(condition)
