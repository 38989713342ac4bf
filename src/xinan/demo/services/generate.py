"""The demo world: a nation, two provinces, four schools, people of every role.

Idempotent: running it again changes nothing. All names are generated; phone
numbers are in a fixed demo range and do not belong to anyone we know of.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from xinan.accounts.services.duties import refuse_conflicting_grant
from xinan.demo.services.people import make_name
from xinan.organisations.enums import OrgKind, Role, SchoolType
from xinan.organisations.models import Membership, Organisation

DEMO_PASSWORD = "xinan-demo-2026"  # noqa: S105 - published demo password, for demo data only


@dataclass(frozen=True)
class DemoPerson:
    phone: str
    role: Role
    org_code: str
    with_password: bool = True
    position: str = ""


ORGANISATIONS = [
    # (kind, code, name, short, parent_code, school_type)
    (OrgKind.NATION, "100000", "教育部思想政治工作司", "思政司", None, ""),
    (OrgKind.PROVINCE, "440000", "广东省教育厅", "粤", "100000", ""),
    (OrgKind.PROVINCE, "330000", "浙江省教育厅", "浙", "100000", ""),
    (OrgKind.SCHOOL, "9144000001", "岭南示范大学", "岭南示大", "440000", SchoolType.UNIVERSITY),
    (OrgKind.SCHOOL, "9144000002", "珠江实验中学", "珠江实中", "440000", SchoolType.MIDDLE_SCHOOL),
    (OrgKind.SCHOOL, "9133000001", "钱塘示范大学", "钱塘示大", "330000", SchoolType.UNIVERSITY),
    (OrgKind.SCHOOL, "9133000002", "西湖实验中学", "西湖实中", "330000", SchoolType.MIDDLE_SCHOOL),
    (OrgKind.DEPARTMENT, "D01", "心理健康教育与咨询中心", "心理中心", "9144000001", ""),
    (OrgKind.DEPARTMENT, "D02", "计算机学院", "计算机学院", "9144000001", ""),
]

PEOPLE = [
    DemoPerson("13900000001", Role.NATIONAL_ADMIN, "100000"),
    DemoPerson("13900000002", Role.SYSTEM_ADMIN, "100000"),
    DemoPerson("13900000003", Role.SECURITY_ADMIN, "100000"),
    DemoPerson("13900000004", Role.AUDITOR, "100000"),
    DemoPerson("13900000011", Role.PROVINCIAL_ADMIN, "440000"),
    DemoPerson("13900000012", Role.REVIEWER, "440000"),
    DemoPerson("13900000021", Role.PROVINCIAL_ADMIN, "330000"),
    DemoPerson("13900000022", Role.REVIEWER, "330000"),
    DemoPerson("13900000101", Role.TEAM_LEADER, "9144000001", position="分管校领导"),
    DemoPerson("13900000102", Role.DEPUTY_LEADER, "9144000001", position="学生工作部部长"),
    DemoPerson("13900000103", Role.COORDINATOR, "9144000001", position="心理中心主任"),
    DemoPerson("13900000104", Role.COUNSELLOR, "9144000001", position="专职咨询师"),
    DemoPerson("13900000105", Role.COUNSELLOR, "9144000001", position="辅导员"),
    DemoPerson("13900000106", Role.HEALTH_TEACHER, "9144000001", position="校医"),
    DemoPerson("13900000107", Role.TEAM_MEMBER, "9144000001", position="教务处处长"),
    DemoPerson("13900000108", Role.CLASS_TEACHER, "9144000001"),
    DemoPerson("13900000109", Role.STAFF, "9144000001"),
    DemoPerson("13900000110", Role.FILER, "9144000001", with_password=False),
    DemoPerson("13900000111", Role.REVIEWER, "9144000001"),
    DemoPerson("13900000201", Role.TEAM_LEADER, "9144000002", position="校长"),
    DemoPerson("13900000202", Role.COUNSELLOR, "9144000002", position="心理老师"),
    DemoPerson("13900000203", Role.CLASS_TEACHER, "9144000002"),
    DemoPerson("13900000204", Role.STAFF, "9144000002"),
    DemoPerson("13900000301", Role.TEAM_LEADER, "9133000001", position="分管校领导"),
    DemoPerson("13900000302", Role.COUNSELLOR, "9133000001", position="专职咨询师"),
    DemoPerson("13900000303", Role.FILER, "9133000001", with_password=False),
    DemoPerson("13900000401", Role.TEAM_LEADER, "9133000002", position="校长"),
    DemoPerson("13900000402", Role.COUNSELLOR, "9133000002", position="心理老师"),
]


def ensure_organisations() -> dict[str, Organisation]:
    by_code: dict[str, Organisation] = {}
    for kind, code, name, short, parent_code, school_type in ORGANISATIONS:
        org, _created = Organisation.objects.get_or_create(
            kind=kind,
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "parent": by_code.get(parent_code) if parent_code else None,
                "school_type": school_type,
            },
        )
        by_code[code] = org
    return by_code


def refuse_conflicting_demo_grants(organisations: dict[str, Organisation]) -> None:
    """A demo phone already held by someone whose roles conflict with the demo role (三员分立)
    is refused, audited and alerted like any other grant, before anything is written."""
    users = get_user_model().objects
    for person in PEOPLE:
        user = users.filter(phone=person.phone).first()
        refuse_conflicting_grant(user, organisations[person.org_code], person.role, by=None, path="demo")


def generate_demo() -> list[tuple[DemoPerson, Organisation, str]]:
    """Create the demo world; return (person, organisation, name) for printing."""
    refuse_conflicting_demo_grants(ensure_organisations())
    return _generate_demo()


@transaction.atomic
def _generate_demo() -> list[tuple[DemoPerson, Organisation, str]]:
    rng = random.Random(20261123)
    organisations = ensure_organisations()
    users = get_user_model().objects
    result = []
    for person in PEOPLE:
        name = make_name(rng)
        org = organisations[person.org_code]
        user = users.filter(phone=person.phone).first()
        if user is None:
            user = users.create_user(
                person.phone,
                name,
                DEMO_PASSWORD if person.with_password else None,
                unit=org.name,
            )
        Membership.objects.get_or_create(
            user=user, organisation=org, role=person.role, defaults={"position": person.position}
        )
        result.append((person, org, user.name))
    from xinan.demo.services.cases import ensure_demo_cases

    ensure_demo_cases(organisations["9144000001"], rng)
    from xinan.demo.services.campaign import ensure_demo_campaign

    ensure_demo_campaign()
    return result
