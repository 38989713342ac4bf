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
    scales: frozenset[str] | None = None  # the scales whose data the page is about (None: every scale)


def _anyone():
    """Someone signed in, at every scale (the nation-campaign scale has no counsellor)."""
    membership = Membership.objects.filter(is_active=True).select_related("user").order_by("pk").first()
    return membership.user if membership else None


def _holder(role: Role):
    def find():
        membership = Membership.objects.filter(role=role).select_related("user").order_by("pk").first()
        return membership.user if membership else None

    return find


def _first(kind: OrgKind) -> Organisation:
    return Organisation.objects.filter(kind=kind).order_by("pk").first()


PAGES: list[Page] = [
    Page("baseline (bare base.html)", _anyone, lambda: reverse("bench-baseline")),
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
CASES = frozenset({"province-cases", "province-cases-tenth"})


def _busiest_case_url(name: str):
    def url() -> str:
        from django.db.models import Count

        from xinan.cases.models import Case

        case = Case.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
        return reverse(name, args=[case.pk])

    return url


PAGES += [
    Page("team dashboard (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:dashboard"), CASES),
    Page("case list (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:list"), CASES),
    Page("case list (counsellor)", _holder(Role.COUNSELLOR), lambda: reverse("cases:list"), CASES),
    Page("case list page 3 (team leader)", _holder(Role.TEAM_LEADER), lambda: reverse("cases:list") + "?page=3",
         CASES),
    Page("case access log (team leader)", lambda: _case_leader(), _busiest_case_url("cases:access_log"), CASES),
]


def _case_leader():
    from django.db.models import Count

    from xinan.cases.models import Case

    case = Case.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    membership = Membership.objects.filter(organisation_id=case.school_id, role=Role.TEAM_LEADER).first()
    return membership.user if membership else None


def _audit_deep_url() -> str:
    """The 20th page of the province's audit log, reached by following "更早的记录" as a user would."""
    from xinan.audit.models import AuditEntry
    from xinan.audit.services.queries import keyset_page

    province = _first(OrgKind.PROVINCE)
    cursor = ""
    for _ in range(19):  # the cursors the page's links carry, as the view computes them
        page = keyset_page(AuditEntry.objects.filter(organisation=province), cursor)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return reverse("audit:log", args=[province.pk]) + f"?after={cursor}"


def _audit_person_url() -> str:
    from xinan.audit.models import AuditEntry

    province = _first(OrgKind.PROVINCE)
    label = AuditEntry.objects.filter(organisation=province).exclude(actor_label="").values_list(
        "actor_label", flat=True).first() or "基准"
    return reverse("audit:log", args=[province.pk]) + f"?actor={label}"


PAGES += [
    Page("audit log page 20 (province)", _holder(Role.PROVINCIAL_ADMIN), _audit_deep_url),
    Page("audit log by person (province)", _holder(Role.PROVINCIAL_ADMIN), _audit_person_url),
    Page("organisation list (nation)", _holder(Role.NATIONAL_ADMIN), lambda: reverse("organisations:list")),
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


CAMPAIGN = frozenset({"nation-campaign", "nation-campaign-x10"})
PAGES += [
    Page("campaign: province submissions", _holder(Role.PROVINCIAL_ADMIN), _bench_campaign_url("campaigns:province"),
         CAMPAIGN),
    Page("campaign: national statistics", _holder(Role.NATIONAL_ADMIN), _bench_campaign_url("campaigns:statistics"),
         CAMPAIGN),
    Page("campaign: province statistics", _holder(Role.PROVINCIAL_ADMIN),
         _bench_campaign_url("campaigns:statistics"), CAMPAIGN),
]
