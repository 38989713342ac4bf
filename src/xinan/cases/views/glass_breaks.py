"""Break-the-glass grants and their reasons, for the team leader and the auditor (issue 13.9)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from xinan.audit.services.record import record
from xinan.cases.services.queries import glass_breaks_for_user
from xinan.web.access import require_perm

PER_PAGE = 50


@login_required
@require_GET
def glass_break_list(request):
    require_perm(request, "cases.view_glass_breaks")
    page = Paginator(glass_breaks_for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    # Reading the reasons is itself recorded (they may say why a student was in danger).
    record("xinan.case.glass_break.list", request=request, after={"page": page.number, "shown": len(page)})
    return render(request, "cases/glass_breaks.html", {"page": page})


urlpatterns = [path("glass-breaks/", glass_break_list, name="glass_breaks")]
