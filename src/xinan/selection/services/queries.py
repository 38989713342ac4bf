from __future__ import annotations

from django.db.models import Max, Prefetch, Q, QuerySet

from xinan.campaigns.models import Submission, SubmissionEvent
from xinan.organisations.enums import Role
from xinan.organisations.rules import is_national_admin
from xinan.organisations.services.queries import held_roles
from xinan.selection.models import Anthology, Commentary, Recommendation, RecommendationItem
from xinan.selection.rules import is_national_reviewer


def recommendations_for_user(user) -> QuerySet[Recommendation]:
    """Their own province's recommendations for provincial admins; submitted ones for the national admin."""
    provinces = {held.organisation_id for held in held_roles(user) if held.role == Role.PROVINCIAL_ADMIN}
    mine = Recommendation.objects.filter(province_id__in=provinces)
    if is_national_admin(user):
        mine = mine | Recommendation.objects.filter(state="submitted")
    return mine.select_related("campaign", "province")


def items_of(recommendation: Recommendation) -> QuerySet[RecommendationItem]:
    return recommendation.items.select_related("submission__school", "submission__filer").order_by("position", "pk")


def approved_candidates(recommendation: Recommendation) -> QuerySet[Submission]:
    """The province's approved cases that are not yet in its recommendation (of the campaign's school types)."""
    campaign = recommendation.campaign
    return (
        Submission.objects.filter(
            campaign.admitted_schools("school"),
            campaign=campaign,
            school__parent=recommendation.province,
            state="approved",
        )
        .exclude(recommendation_item__isnull=False)
        .select_related("school")
        .order_by("school__name", "pk")
    )


def selection_submissions_for_user(user) -> QuerySet[Submission]:
    """Cases in national selection (recommended or selected), for the national admin and national reviewers."""
    if not (is_national_admin(user) or is_national_reviewer(user)):
        return Submission.objects.none()
    return Submission.objects.filter(state__in=["recommended", "selected"])


def submitted_recommendations(campaign) -> QuerySet[Recommendation]:
    items = RecommendationItem.objects.select_related("submission__school", "submission__commentary").order_by(
        "position", "pk"
    )
    return (
        Recommendation.objects.filter(campaign=campaign, state="submitted")
        .select_related("province")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("province__code", "province__name")
    )


def selected_for_anthology(campaign) -> QuerySet[Submission]:
    """Selected cases in the order of the anthology: by province (as recommended), then position."""
    return (
        Submission.objects.filter(campaign=campaign, state="selected")
        .select_related("school__parent", "recommendation_item", "commentary")
        .order_by("school__parent__code", "recommendation_item__position", "pk")
    )


def anthologies_for_user(user) -> QuerySet[Anthology]:
    if not is_national_admin(user):
        return Anthology.objects.none()
    return Anthology.objects.select_related("campaign")


def selection_changed_at(campaign):
    """When the anthology's content last changed: a case selected or unselected, a commentary written."""
    moved = SubmissionEvent.objects.filter(submission__campaign=campaign).filter(
        Q(to_state="selected") | Q(from_state="selected")
    )
    latest = [
        moved.aggregate(at=Max("at"))["at"],
        Commentary.objects.filter(submission__campaign=campaign).aggregate(at=Max("written_at"))["at"],
    ]
    return max((at for at in latest if at is not None), default=None)


def anthologies_with_staleness(user, campaign) -> list[Anthology]:
    """The campaign's latest anthologies, each marked ``stale`` when the selection changed after it."""
    changed = selection_changed_at(campaign)
    anthologies = list(anthologies_for_user(user).filter(campaign=campaign)[:5])
    for anthology in anthologies:
        anthology.stale = changed is not None and changed > anthology.generated_at
    return anthologies
