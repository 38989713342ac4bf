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

# A national campaign (scale "nation-campaign"): the first province's submission list (~290
# submissions of 97 schools) and the national statistics over 9,000 submissions.


def _bench_campaign_url(name: str):
    def url() -> str:
        from bench.scales import BENCH_CAMPAIGN_TITLE
        from xinan.campaigns.models import Campaign

        campaign = Campaign.objects.filter(title=BENCH_CAMPAIGN_TITLE).first()
        return reverse(name, args=[campaign.pk]) if campaign else reverse("campaigns:list")

    return url


PAGES += [
    Page("campaign: province submissions", _holder(Role.PROVINCIAL_ADMIN), _bench_campaign_url("campaigns:province")),
    Page("campaign: national statistics", _holder(Role.NATIONAL_ADMIN), _bench_campaign_url("campaigns:statistics")),
    Page("campaign: province statistics", _holder(Role.PROVINCIAL_ADMIN), _bench_campaign_url("campaigns:statistics")),
]
