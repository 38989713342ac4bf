"""The crisis team's dashboard: open cases by level and state, due work, recent moves,
escalations and monthly counts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinan.audit.services.record import record
from xinan.cases.services.school_admin import setup_tasks_for
from xinan.cases.services.stats import may_see_dashboard, team_dashboard
from xinan.web.access import refuse


@login_required
@require_GET
def dashboard(request):
    if not may_see_dashboard(request.user):
        refuse(request, permission="cases.view_dashboard")
    now = timezone.now()
    board = team_dashboard(request.user, now=now)
    record("xinan.case.dashboard.view", request=request)
    context = {"board": board, "now": now, "setup_tasks": setup_tasks_for(request.user)}
    return render(request, "cases/dashboard.html", context)


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
