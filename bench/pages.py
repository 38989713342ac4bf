"""Pages the harness measures. Later issues append theirs to PAGES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation


@dataclass(frozen=True)
class Page:
    name: str
    who: Callable[[], object | None]  # the user to sign in as (None: anonymous)
    url: Callable[[], str]


def _holder(role: Role):
    def find():
        membership = Membership.objects.filter(role=role).select_related("user").order_by("pk").first()
        return membership.user if membership else None

    return find


def _first(kind: OrgKind) -> Organisation:
    return Organisation.objects.filter(kind=kind).order_by("pk").first()


PAGES: list[Page] = [
    Page("baseline (bare base.html)", _holder(Role.COUNSELLOR), lambda: reverse("bench-baseline")),
    Page("sign-in page", lambda: None, lambda: reverse("accounts:login")),
    Page("home (counsellor)", _holder(Role.COUNSELLOR), lambda: reverse("web:home")),
    Page("crisis team roster", _holder(Role.TEAM_LEADER),
         lambda: reverse("organisations:team", args=[_holder(Role.TEAM_LEADER)().memberships.first().organisation_id])),
    Page("organisation list (province)", _holder(Role.PROVINCIAL_ADMIN), lambda: reverse("organisations:list")),
    Page("province page", _holder(Role.PROVINCIAL_ADMIN),
         lambda: reverse("organisations:detail", args=[_first(OrgKind.PROVINCE).pk])),
    Page("audit log (province)", _holder(Role.PROVINCIAL_ADMIN),
         lambda: reverse("audit:log", args=[_first(OrgKind.PROVINCE).pk])),
]

# Crisis cases (scale "province-cases": the first school's team leader and counsellor see ~400 cases).
PAGES += [
    Page("team dashboard (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:dashboard")),
    Page("case list (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:list")),
    Page("case list (counsellor)", _holder(Role.COUNSELLOR), lambda: reverse("cases:list")),
    Page("case list page 3 (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:list") + "?page=3"),
]
