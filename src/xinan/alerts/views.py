from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinan.alerts.enums import AlertAction
from xinan.alerts.services.queries import alerts_for_user
from xinan.alerts.services.raising import acknowledge_alert
from xinan.audit.services.record import record
from xinan.web.access import get_for_user_or_404, require_perm


@require_GET
@login_required
def alert_list(request):
    require_perm(request, "alerts.view_alerts")
    alerts = alerts_for_user(request.user)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    record(AlertAction.LISTED, request=request, after={"page": page.number})
    return render(request, "alerts/list.html", {"page": page})


@require_POST
@login_required
def alert_acknowledge(request, pk: int):
    alert = get_for_user_or_404(request, "alerts.acknowledge_alert", alerts_for_user(request.user), pk=pk)
    acknowledge_alert(alert, by=request.user, request=request)
    messages.success(request, _("已确认该告警。"))
    return redirect("alerts:list")
