"""Campaign statistics for national and provincial admins (charts, tables, Excel)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from xinan.audit.services.record import record
from xinan.campaigns.services.queries import campaigns_for_user
from xinan.campaigns.services.stats import campaign_statistics, may_see_statistics, statistics_workbook
from xinan.web.access import get_for_user_or_404, refuse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign(request, pk: int):
    if not may_see_statistics(request.user):
        refuse(request, permission="campaigns.view_statistics", object_ref=f"campaign={pk}")
    return get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)


@login_required
@require_GET
def statistics(request, pk: int):
    campaign = _campaign(request, pk)
    stats = campaign_statistics(request.user, campaign)
    record("xinan.campaign.statistics.view", request=request, obj=campaign)
    return render(request, "campaigns/statistics.html", {"campaign": campaign, "stats": stats})


@login_required
@require_GET
def statistics_export(request, pk: int):
    campaign = _campaign(request, pk)
    stats = campaign_statistics(request.user, campaign)
    record("xinan.campaign.statistics.export", request=request, obj=campaign)
    response = HttpResponse(statistics_workbook(stats), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-statistics.xlsx"'
    return response


urlpatterns = [
    path("<int:pk>/statistics/", statistics, name="statistics"),
    path("<int:pk>/statistics.xlsx", statistics_export, name="statistics_export"),
]
