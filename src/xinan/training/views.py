"""The crisis team's education, training and drill activities, and the year's coverage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinan.organisations.models import Organisation
from xinan.training.forms import ActivityForm, YearForm
from xinan.training.services.activities import add_activity
from xinan.training.services.coverage import year_coverage
from xinan.training.services.errors import TrainingError
from xinan.training.services.queries import activities_for_user, training_schools_for_user
from xinan.web.access import get_for_user_or_404, refuse


def _school(request, permission: str, school_id: int) -> Organisation:
    return get_for_user_or_404(request, permission, Organisation.objects.all(), pk=school_id)


@login_required
@require_GET
def home(request):
    """The first school where the user is on the crisis team."""
    school = training_schools_for_user(request.user).first()
    if school is None:
        refuse(request, permission="training.view_school_training")
    return redirect("training:list", school_id=school.pk)


@login_required
@require_GET
def activity_list(request, school_id: int):
    school = _school(request, "training.view_school_training", school_id)
    form = YearForm(request.GET or None)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or timezone.localdate().year
    activities = activities_for_user(request.user).filter(school=school)
    coverage = year_coverage(activities, year)
    page = Paginator(
        activities.filter(held_on__year=year).select_related("recorded_by").order_by("-held_on", "-pk"), 50
    ).get_page(request.GET.get("page"))
    context = {
        "school": school,
        "year": year,
        "years": [year - 1, year, year + 1],
        "coverage": coverage,
        "page": page,
        "can_add": request.user.has_perm("training.add_activity", school),
        "schools": training_schools_for_user(request.user),
    }
    return render(request, "training/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, school_id: int):
    school = _school(request, "training.add_activity", school_id)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_activity(school, by=request.user, request=request, **form.cleaned_data)
        except TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录该活动。"))
            return redirect("training:list", school_id=school.pk)
    return render(request, "training/add.html", {"school": school, "form": form})


urlpatterns = [
    path("", home, name="home"),
    path("<int:school_id>/", activity_list, name="list"),
    path("<int:school_id>/add/", activity_add, name="add"),
]
