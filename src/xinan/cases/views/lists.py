"""Case list and the person's own tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinan.audit.services.record import record
from xinan.cases.enums import OPEN_STATES
from xinan.cases.forms import CaseFilterForm
from xinan.cases.services.queries import cases_for_user, tasks_for_user


@login_required
@require_GET
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    cases = cases_for_user(request.user).select_related("student", "assigned_counsellor", "school")
    state = level = ""
    if form.is_valid():
        state, level = form.cleaned_data["state"], form.cleaned_data["level"]
    cases = cases.filter(state=state) if state else cases.filter(state__in=OPEN_STATES)
    if level:
        cases = cases.filter(risk_level=level)
    page = Paginator(cases.order_by("-opened_at", "-pk"), 50).get_page(request.GET.get("page"))
    record("xinan.case.list", request=request)
    return render(request, "cases/list.html", {"form": form, "page": page})


@login_required
@require_GET
def my_tasks(request):
    tasks = tasks_for_user(request.user).order_by("due_at")
    return render(request, "cases/my_tasks.html", {"tasks": tasks, "now": timezone.now()})


urlpatterns = [
    path("", case_list, name="list"),
    path("tasks/", my_tasks, name="my_tasks"),
]
