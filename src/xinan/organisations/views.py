from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinan.organisations.enums import CRISIS_TEAM_ROLES, OrgKind
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import members_of, organisations_for_user
from xinan.web.access import get_for_user_or_404

PAGE_SIZE = 50


@require_GET
@login_required
def organisation_list(request):
    """Every organisation in the user's reach, 50 to a page (the nation has thousands of schools)."""
    organisations = organisations_for_user(request.user).exclude(kind=OrgKind.DEPARTMENT)
    query = " ".join(request.GET.get("q", "").split())[:40]
    if query:
        organisations = organisations.filter(Q(name__contains=query) | Q(code=query))
    page = Paginator(organisations.order_by("path", "pk").values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Count members only for the rows on the page, not for every organisation in reach.
    rows = (
        Organisation.objects.filter(pk__in=list(page.object_list))
        .select_related("parent")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("path", "pk")
    )
    return render(request, "organisations/list.html", {"organisations": rows, "page": page, "query": query})


@require_GET
@login_required
def organisation_detail(request, pk: int):
    organisation = get_for_user_or_404(
        request, "organisations.view_organisation", Organisation.objects.select_related("parent"), pk=pk
    )
    children = organisation.children.filter(is_active=True).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return render(
        request,
        "organisations/detail.html",
        {"organisation": organisation, "children": children, "members": members_of(organisation)},
    )


@require_GET
@login_required
def crisis_team(request, pk: int):
    """The school's crisis-team roster: the entry to the school's crisis area."""
    school = get_for_user_or_404(request, "organisations.view_crisis_team", Organisation.objects.all(), pk=pk)
    members = members_of(school).filter(role__in=CRISIS_TEAM_ROLES)
    return render(request, "organisations/team.html", {"school": school, "members": members})
