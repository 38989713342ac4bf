"""Generated data at named scales. Bulk inserts; idempotent per data directory."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.demo.services.people import make_name
from xinan.organisations.enums import OrgKind, Role, SchoolType
from xinan.organisations.models import Membership, Organisation

PASSWORD = "bench-password-2026"  # noqa: S105 - generated benchmark accounts only


@dataclass(frozen=True)
class Scale:
    provinces: int
    schools_per_province: int
    people_per_school: int
    audit_entries: int


SCALES = {
    "school": Scale(provinces=1, schools_per_province=1, people_per_school=60, audit_entries=2_000),
    "province": Scale(provinces=1, schools_per_province=100, people_per_school=20, audit_entries=100_000),
    "nation": Scale(provinces=31, schools_per_province=97, people_per_school=10, audit_entries=300_000),
}
SCHOOL_ROLE_CYCLE = [
    Role.TEAM_LEADER,
    Role.COORDINATOR,
    Role.COUNSELLOR,
    Role.COUNSELLOR,
    Role.HEALTH_TEACHER,
    Role.CLASS_TEACHER,
    Role.CLASS_TEACHER,
    Role.STAFF,
    Role.STAFF,
    Role.FILER,
]


def _set_paths(orgs: list[Organisation]) -> None:
    for org in orgs:
        parent_path = org.parent.path if org.parent_id else "/"
        org.path = f"{parent_path}{org.pk}/"
        org.depth = org.path.count("/") - 2
    Organisation.objects.bulk_update(orgs, ["path", "depth"], batch_size=1000)


@transaction.atomic
def generate(scale_name: str) -> dict:
    if Organisation.objects.filter(kind=OrgKind.NATION, code="B00000").exists():
        return {"generated": False}
    scale = SCALES[scale_name]
    rng = random.Random(42)
    nation = Organisation.objects.create(kind=OrgKind.NATION, name="基准测试全国", code="B00000")
    provinces = Organisation.objects.bulk_create(
        Organisation(kind=OrgKind.PROVINCE, name=f"基准省{i:02d}", code=f"B{i:05d}", parent=nation)
        for i in range(1, scale.provinces + 1)
    )
    for province in provinces:
        province.parent = nation
    _set_paths(provinces)
    schools = Organisation.objects.bulk_create(
        Organisation(
            kind=OrgKind.SCHOOL,
            name=f"基准学校{p.code[-2:]}-{i:03d}",
            code=f"S{p.code[-2:]}{i:05d}",
            parent=p,
            school_type=SchoolType.UNIVERSITY if i % 3 else SchoolType.MIDDLE_SCHOOL,
        )
        for p in provinces
        for i in range(1, scale.schools_per_province + 1)
    )
    by_pk = {p.pk: p for p in provinces}
    for school in schools:
        school.parent = by_pk[school.parent_id]
    _set_paths(schools)

    password = make_password(PASSWORD)
    users, roles = [], []
    phone = 16600000000
    for org, role in [(nation, Role.NATIONAL_ADMIN)] + [(p, Role.PROVINCIAL_ADMIN) for p in provinces]:
        phone += 1
        users.append(get_user_model()(phone=str(phone), name=make_name(rng), password=password))
        roles.append((org, role))
    for school in schools:
        for n in range(scale.people_per_school):
            phone += 1
            users.append(get_user_model()(phone=str(phone), name=make_name(rng), password=password))
            roles.append((school, SCHOOL_ROLE_CYCLE[n % len(SCHOOL_ROLE_CYCLE)]))
    users = get_user_model().objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(
        (Membership(user=u, organisation=org, role=role) for u, (org, role) in zip(users, roles, strict=True)),
        batch_size=2000,
    )
    now = timezone.now()
    audit_orgs = [nation, *provinces, *schools]
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                at=now - dt.timedelta(minutes=i),
                actor=users[i % len(users)],
                actor_label="基准",
                organisation=audit_orgs[i % len(audit_orgs)] if i % 4 else provinces[0],
                action=("xinan.auth.login", "xinan.access.denied", "xinan.auth.code.requested")[i % 3],
                ip="10.0.0.1",
            )
            for i in range(scale.audit_entries)
        ),
        batch_size=5000,
    )
    return {"generated": True, "organisations": 1 + len(provinces) + len(schools), "people": len(users)}


# --- Crisis cases (bench/cases_scale.py) -------------------------------------------------
# "province-cases": the province scale's organisations and people, plus the crisis-case data
# of a province served by one deployment. The existing scales are left as they were.
SCALES["province-cases"] = SCALES["province"]
CASE_SCALES = {"province-cases"}  # more are added below
_generate_people = generate


def generate(scale_name: str) -> dict:  # extends the generator above with case data
    from bench.cases_scale import generate_cases

    info = _generate_people(scale_name)
    if scale_name in CASE_SCALES:
        cases = generate_cases()
        if cases:
            info = {**info, "generated": True, "cases": cases}
    return info


# --- A national campaign (scale "nation-campaign") ---------------------------------------
# 31 provinces of 97 schools (3,007), one person per school who files, one published campaign
# with 9,000 submissions (three per school for the first 3,000 schools) in every state a
# campaign reaches, and the quota ledger to match. Reviews belong to the reviews app.
SCALES["nation-campaign"] = Scale(provinces=31, schools_per_province=97, people_per_school=1, audit_entries=20_000)
CAMPAIGN_SCALES = {"nation-campaign"}  # more are added below
BENCH_CAMPAIGN_TITLE = "基准测试全国案例征集"
_generate_before_campaigns = generate


# The same shapes with ten times less (cases) or ten times more (submissions) data, to show that a
# page's time and query count stay flat when its data grows tenfold (bench/compare.py).
SCALES["province-cases-tenth"] = Scale(provinces=1, schools_per_province=10, people_per_school=20, audit_entries=10_000)
CASE_SCALES.add("province-cases-tenth")
SCALES["nation-campaign-x10"] = SCALES["nation-campaign"]
CAMPAIGN_SCALES.add("nation-campaign-x10")
CAMPAIGN_SIZES = {"nation-campaign": (9_000, 3), "nation-campaign-x10": (90_000, 30)}


def generate(scale_name: str) -> dict:  # extends the generators above with a campaign
    info = _generate_before_campaigns(scale_name)
    if scale_name in CAMPAIGN_SCALES:
        submissions = generate_campaign(*CAMPAIGN_SIZES[scale_name])
        if submissions:
            info = {**info, "generated": True, "submissions": submissions}
    return info


@transaction.atomic
def generate_campaign(submissions: int = 9_000, per_school: int = 3) -> int:
    from django.db import connection

    from xinan.campaigns.enums import DEFAULT_NATURES, DEFAULT_TRIGGERS, SubmissionState
    from xinan.campaigns.models import Campaign, FilingRight, ProvinceQuota, SchoolQuota, Submission

    if Campaign.objects.filter(title=BENCH_CAMPAIGN_TITLE).exists():
        return 0
    rng = random.Random(7)
    now = timezone.now()
    admin = Membership.objects.filter(role=Role.NATIONAL_ADMIN).select_related("user").order_by("pk").first().user
    campaign = Campaign.objects.create(
        title=BENCH_CAMPAIGN_TITLE,
        notice="基准测试通知",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=5),
        province_review_closes_at=now + dt.timedelta(days=40),
        created_by=admin,
        published_at=now - dt.timedelta(days=30),
    )
    filers = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(
            organisation__kind=OrgKind.SCHOOL, organisation__code__startswith="S"
        ).select_related("user")
    }
    schools = list(Organisation.objects.filter(kind=OrgKind.SCHOOL, code__startswith="S").order_by("pk"))
    provinces = list(Organisation.objects.filter(kind=OrgKind.PROVINCE, code__startswith="B").order_by("pk"))
    FilingRight.objects.bulk_create(
        (FilingRight(campaign=campaign, filer=filers[s.pk], school=s, granted_by=admin) for s in schools),
        batch_size=2000,
    )
    # Most filed cases wait for review; some were returned, rejected, approved; about three per
    # province were recommended, a third of those selected; a few drafts and withdrawals remain.
    states = (
        [SubmissionState.SUBMITTED] * 70
        + [SubmissionState.RETURNED] * 4
        + [SubmissionState.REJECTED] * 8
        + [SubmissionState.APPROVED] * 10
        + [SubmissionState.DRAFT] * 6
        + [SubmissionState.WITHDRAWN] * 2
    )
    recommended = {rng.randrange(submissions) for _ in range(3 * len(provinces))}
    rows, used = [], {}
    for n in range(submissions):
        school = schools[(n // per_school) % len(schools)]
        state = rng.choice(states)
        if n in recommended:
            state = SubmissionState.SELECTED if n % 3 == 0 else SubmissionState.RECOMMENDED
        trigger = rng.choice(DEFAULT_TRIGGERS)
        nature = rng.choice(DEFAULT_NATURES)
        filed = state != SubmissionState.DRAFT
        rows.append(
            Submission(
                campaign=campaign,
                school=school,
                filer=filers[school.pk],
                state=state,
                title=f"基准案例{n:05d}",
                subtitle=f"——一例由{trigger}引发的{nature}危机的干预报告",
                trigger=trigger,
                nature=nature,
                outcome=rng.choice(["successful", "successful", "successful", "unsuccessful"]),
                char_count=rng.randint(1500, 2000),
                submitted_at=now - dt.timedelta(minutes=n) if filed else None,
                revision=1 if filed else 0,
                created_at=now - dt.timedelta(days=20, minutes=-n),
            )
        )
        if state not in {SubmissionState.DRAFT, SubmissionState.WITHDRAWN, SubmissionState.REJECTED}:
            used[school.pk] = used.get(school.pk, 0) + 1
    Submission.objects.bulk_create(rows, batch_size=2000)
    SchoolQuota.objects.bulk_create(
        (SchoolQuota(campaign=campaign, school=s, quota=per_school, used=used.get(s.pk, 0)) for s in schools),
        batch_size=2000,
    )
    ProvinceQuota.objects.bulk_create(ProvinceQuota(campaign=campaign, province=p, quota=3) for p in provinces)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(rows)
