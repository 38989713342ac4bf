"""The national admin runs campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinan.campaigns.forms_national import CampaignForm
from xinan.campaigns.models import Campaign
from xinan.campaigns.services.campaigns import publish, save_campaign
from xinan.campaigns.services.errors import FilingError
from xinan.web.access import get_for_user_or_404, require_perm


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    require_perm(request, "campaigns.manage_campaign")
    campaign = get_for_user_or_404(request, "campaigns.manage_campaign", Campaign.objects.all(), pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = save_campaign(form, by=request.user, request=request)
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("征集活动已保存。"))
            return redirect("campaigns:campaign", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def campaign_publish(request, pk: int):
    campaign = get_for_user_or_404(request, "campaigns.manage_campaign", Campaign.objects.all(), pk=pk)
    try:
        publish(campaign, by=request.user, request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布，各省与填报人员现在可以看到该活动。"))
    return redirect("campaigns:campaign", pk=campaign.pk)


urlpatterns = [
    path("new/", campaign_edit, name="create"),
    path("<int:pk>/edit/", campaign_edit, name="edit"),
    path("<int:pk>/publish/", campaign_publish, name="publish"),
]
