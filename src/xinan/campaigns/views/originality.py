"""Near-duplicate reports of a campaign, with the matching passages side by side (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinan.audit.services.record import record
from xinan.campaigns.models import Campaign
from xinan.campaigns.services.originality import (
    matches_for_user,
    may_read_side,
    originality_scope,
    request_campaign_check,
)
from xinan.campaigns.services.queries import campaigns_for_user
from xinan.web.access import get_for_user_or_404, refuse, require_perm

SIDES = ("earlier__school", "later__school", "earlier__campaign", "later__campaign")


MATCHES_PER_PAGE = 50  # the strongest first; a campaign of thousands of reports may have hundreds


def _campaign(request, pk: int) -> Campaign:
    if originality_scope(request.user) is None:
        refuse(request, permission="campaigns.view_originality", object_ref=f"campaign={pk}")
    return get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)


@login_required
@require_GET
def originality(request, pk: int):
    campaign = _campaign(request, pk)
    page = Paginator(
        matches_for_user(request.user)
        .filter(Q(earlier__campaign=campaign) | Q(later__campaign=campaign))
        .select_related(*SIDES)
        .defer("passages_json")
        .order_by("-containment", "-jaccard", "pk"),
        MATCHES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    matches = list(page.object_list)
    for match in matches:
        match.earlier_visible = may_read_side(request.user, match.earlier)
        match.later_visible = may_read_side(request.user, match.later)
    return render(
        request,
        "campaigns/originality.html",
        {
            "campaign": campaign,
            "matches": matches,
            "page": page,
            "may_check": request.user.has_perm("campaigns.manage_campaign"),
        },
    )


@login_required
@require_GET
def originality_match(request, pk: int):
    match = matches_for_user(request.user).select_related(*SIDES).filter(pk=pk).first()
    if match is None:
        refuse(request, permission="campaigns.view_originality", object_ref=f"match={pk}")
    match.earlier_visible = may_read_side(request.user, match.earlier)
    match.later_visible = may_read_side(request.user, match.later)
    record("xinan.campaign.originality.view", request=request, obj=match.later)
    return render(request, "campaigns/originality_match.html", {"match": match})


@login_required
@require_POST
def originality_check(request, pk: int):
    require_perm(request, "campaigns.manage_campaign")
    campaign = _campaign(request, pk)
    request_campaign_check(campaign, by=request.user, request=request)
    messages.success(request, _("已开始重新比对，完成后刷新本页即可看到结果。"))
    return redirect("campaigns:originality", pk=campaign.pk)


urlpatterns = [
    path("<int:pk>/originality/", originality, name="originality"),
    path("<int:pk>/originality/check/", originality_check, name="originality_check"),
    path("originality/<int:pk>/", originality_match, name="originality_match"),
]
