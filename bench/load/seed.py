"""Generated people for the load run, on top of the demo world (``xinan demo`` runs first).

    DJANGO_SETTINGS_MODULE=xinan.settings python -m bench.load.seed

200 generated universities in the demo's first province, each with one filer (SMS sign-in, no
password) holding a filing right in an open load campaign; the first ten schools also get a
team leader and a counsellor (password) and five open crisis cases made through the real
services. Names are generated; phone numbers are in a range of their own. Idempotent per database.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.load.common import (
    CAMPAIGN_TITLE,
    CASE_SCHOOLS,
    CASES_PER_SCHOOL,
    FILERS,
    STAFF_PASSWORD,
    counsellor_phone,
    filer_phone,
    leader_phone,
)

CASE_STORIES = [
    (["suicide_talk"], "课间谈到不想活了。"),
    (["self_harm"], "手臂上有新的划痕。"),
    (["sudden_event"], "家中突发变故，情绪低落。"),
    (["other"], "近期失眠，不愿与人交流。"),
]


def _user(phone: str, name: str, password_hash: str | None, unit: str):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    user = users.filter(phone=phone).first()
    if user is None:
        user = users.create_user(phone, name, None, unit=unit)
        if password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
    return user


def _cases(school, leader, counsellor, rng: random.Random) -> None:
    from xinan.cases.enums import CaseState
    from xinan.cases.models import SchoolCrisisSettings
    from xinan.cases.services.reporting import file_first_report
    from xinan.cases.services.workflow import transition_case
    from xinan.demo.services.people import make_name
    from xinan.students.models import SchoolClass, Student

    SchoolCrisisSettings.objects.get_or_create(
        school=school, defaults={"duty_counsellor": counsellor, "duty_phone": "020-00000000"}
    )
    school_class, _created = SchoolClass.objects.get_or_create(school=school, grade="2025级", name="负载测试1班")
    for index in range(CASES_PER_SCHOOL):
        student = Student.objects.create(
            school=school,
            school_class=school_class,
            name=make_name(rng),
            student_number=f"L{school.pk:04d}{index:03d}",
            sex="male" if index % 2 else "female",
            birth_date=dt.date(2006, 1 + index, 10),
        )
        categories, observed = CASE_STORIES[index % len(CASE_STORIES)]
        case = file_first_report(
            school=school, reporter=leader, student=student, categories=categories, observed=observed
        ).case
        case.assigned_counsellor = counsellor
        case.save(update_fields=["assigned_counsellor"])
        if index % 2:
            transition_case(case, CaseState.ASSESSING, by=counsellor)


def seed(password: str) -> dict:
    from django.db import transaction

    with transaction.atomic():
        return _seed(password)


def _seed(password: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from xinan.campaigns.models import Campaign, FilingRight
    from xinan.demo.services.people import make_name
    from xinan.organisations.enums import OrgKind, Role, SchoolType
    from xinan.organisations.models import Membership, Organisation

    if Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        return {"seeded": False}
    rng = random.Random(20261124)
    province = Organisation.objects.get(kind=OrgKind.PROVINCE, code="440000")
    users = get_user_model().objects
    national = users.get(phone="13900000001")
    province_admin = users.get(phone="13900000011")
    now = timezone.now()
    campaign = Campaign.objects.create(
        title=CAMPAIGN_TITLE,
        notice="负载测试用的征集活动，数据均为生成数据。",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        province_review_closes_at=now + dt.timedelta(days=45),
        created_by=national,
        published_at=now - dt.timedelta(days=1),
        school_types=["university"],
    )
    staff_hash = make_password(password)  # one hash (production Argon2 parameters) for every staff account
    cases = 0
    for n in range(1, FILERS + 1):
        school = Organisation.objects.create(
            kind=OrgKind.SCHOOL,
            code=f"L44{n:05d}",
            name=f"负载测试大学{n:03d}",
            short_name=f"负载{n:03d}",
            parent=province,
            school_type=SchoolType.UNIVERSITY,
        )
        filer = _user(filer_phone(n), make_name(rng), None, school.name)
        Membership.objects.create(user=filer, organisation=school, role=Role.FILER)
        FilingRight.objects.create(campaign=campaign, filer=filer, school=school, granted_by=province_admin)
        if n <= CASE_SCHOOLS:
            leader = _user(leader_phone(n), make_name(rng), staff_hash, school.name)
            counsellor = _user(counsellor_phone(n), make_name(rng), staff_hash, school.name)
            Membership.objects.create(user=leader, organisation=school, role=Role.TEAM_LEADER, position="分管校领导")
            Membership.objects.create(user=counsellor, organisation=school, role=Role.COUNSELLOR, position="专职咨询师")
            _cases(school, leader, counsellor, rng)
            cases += CASES_PER_SCHOOL
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"seeded": True, "campaign": campaign.pk, "schools": FILERS, "filers": FILERS, "cases": cases}


if __name__ == "__main__":
    import json
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinan.settings")
    django.setup()
    print(json.dumps(seed(STAFF_PASSWORD)))
    sys.exit(0)
