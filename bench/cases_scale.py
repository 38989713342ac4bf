"""The crisis-case data of a province served by one deployment (scale "province-cases").

100 schools, 200,000 students, 40,000 cases (~400 per school), 200,000 follow-ups and
200,000 tasks, with transitions, class-teacher members, guardian contacts and referrals;
dossier documents (two real PDFs per case of the first school, uploaded through the service
with its checks and encryption) and 200,000 case-access entries in the audit trail (five per
case), so the dossier and access-log pages read realistic data.
Everything goes through ``bulk_create``, so encrypted fields are encrypted by the model
fields themselves (one Fernet token per value), exactly as the application stores them.
Idempotent: nothing is generated when the bench schools already have cases.

Generation time, measured on PostgreSQL 15 with 2 shared cores: 67 s for the whole scale
(organisations, people and 100,000 audit entries included), of which ~40 s for the case data:
students 14.5 s (three Fernet tokens and two blind indexes each), follow-ups 7.3 s, tasks 9.1 s,
transitions 3.8 s, cases 2.7 s, the rest under 1 s each, then ANALYZE. ``bench/run.py`` prints
the stage timings of every generation.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from xinan.cases.enums import (
    LEVEL_ORDER,
    OPEN_STATES,
    CaseRole,
    CaseState,
    ContactChannel,
    GuardianResponse,
    ObservationCategory,
    Outcome,
    RiskLevel,
    TaskKind,
)
from xinan.cases.models import Case, CaseMember, FollowUp, GuardianContact, Referral, Task, Transition
from xinan.crypto.keys import blind_index
from xinan.demo.services.people import make_name
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.students.models import SchoolClass, Student


@dataclass(frozen=True)
class CaseScale:
    students_per_school: int
    cases_per_school: int
    follow_ups_per_case: int
    tasks_per_case: int
    classes_per_school: int


PROVINCE_CASES = CaseScale(
    students_per_school=2_000, cases_per_school=400, follow_ups_per_case=5, tasks_per_case=5, classes_per_school=40
)
BATCH = 5_000
# Paths of an open case, and of a closed one, through the state machine.
OPEN_PATHS = {
    CaseState.REPORTED: [CaseState.REPORTED],
    CaseState.ASSESSING: [CaseState.REPORTED, CaseState.ASSESSING],
    CaseState.CARE_TRACKING: [CaseState.REPORTED, CaseState.ASSESSING, CaseState.CARE_TRACKING],
    CaseState.INTERVENTION: [CaseState.REPORTED, CaseState.ASSESSING, CaseState.INTERVENTION],
    CaseState.REFERRED: [CaseState.REPORTED, CaseState.ASSESSING, CaseState.INTERVENTION, CaseState.REFERRED],
    CaseState.AFTERCARE: [CaseState.REPORTED, CaseState.ASSESSING, CaseState.INTERVENTION, CaseState.AFTERCARE],
}
CLOSED_PATH = [CaseState.REPORTED, CaseState.ASSESSING, CaseState.CARE_TRACKING, CaseState.CLOSED]
OPEN_STATE_WEIGHTS = [
    (CaseState.REPORTED, 1),
    (CaseState.ASSESSING, 1),
    (CaseState.CARE_TRACKING, 5),
    (CaseState.INTERVENTION, 2),
    (CaseState.REFERRED, 1),
    (CaseState.AFTERCARE, 2),
]
CATEGORIES = list(ObservationCategory.values)
FOLLOW_UP_NOTES = ["情绪平稳，按时上课", "睡眠改善，与室友关系缓和", "仍有低落情绪，继续关注", "主动求助，已约下次谈话"]


def _bulk(model, rows, timings: dict, label: str):
    started = time.perf_counter()
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
    timings[label] = round(time.perf_counter() - started, 1)
    return created


def generate_cases(scale: CaseScale = PROVINCE_CASES, *, seed: int = 7) -> dict:
    schools = list(Organisation.objects.filter(kind=OrgKind.SCHOOL, code__startswith="S").order_by("pk"))
    if not schools or Case.objects.filter(school__in=schools).exists():
        return {}
    rng = random.Random(seed)
    now = timezone.now()
    timings: dict[str, float] = {}
    people: dict[int, dict[Role, list]] = {school.pk: {} for school in schools}
    for membership in Membership.objects.filter(organisation__in=schools).order_by("pk"):
        people[membership.organisation_id].setdefault(Role(membership.role), []).append(membership.user_id)

    with transaction.atomic():
        classes = _bulk(
            SchoolClass,
            [
                SchoolClass(
                    school=school,
                    grade=f"{2022 + n % 4}级",
                    name=f"{n // 4 + 1}班",
                    class_teacher_id=_pick(people[school.pk], Role.CLASS_TEACHER, n),
                )
                for school in schools
                for n in range(scale.classes_per_school)
            ],
            timings,
            "classes",
        )
        classes_of: dict[int, list[SchoolClass]] = {}
        for school_class in classes:
            classes_of.setdefault(school_class.school_id, []).append(school_class)

        students = []
        for school in schools:
            for n in range(scale.students_per_school):
                name, number = make_name(rng), f"{school.code[-5:]}{n:05d}"
                students.append(
                    Student(
                        school=school,
                        school_class=classes_of[school.pk][n % scale.classes_per_school],
                        name=name,
                        name_index=blind_index("student-name", name),
                        student_number=number,
                        number_index=blind_index("student-number", number),
                        sex=("male", "female")[n % 2],
                        birth_date=dt.date(2004 + n % 8, 1 + n % 12, 1 + n % 28),
                    )
                )
        students = _bulk(Student, students, timings, "students")
        students_of: dict[int, list[Student]] = {}
        for student in students:
            students_of.setdefault(student.school_id, []).append(student)

        cases, paths = [], []
        open_states = [state for state, _w in OPEN_STATE_WEIGHTS]
        open_weights = [weight for _s, weight in OPEN_STATE_WEIGHTS]
        for school in schools:
            counsellors = people[school.pk].get(Role.COUNSELLOR, [])
            reporters = people[school.pk].get(Role.STAFF, []) or counsellors
            for n in range(scale.cases_per_school):
                opened = now - dt.timedelta(days=rng.uniform(0, 3 * 365))
                is_open = opened > now - dt.timedelta(days=150) or rng.random() < 0.15
                state = rng.choices(open_states, open_weights)[0] if is_open else CaseState.CLOSED
                path = OPEN_PATHS[state] if is_open else CLOSED_PATH
                assessed = len(path) > 2
                level = rng.choice(LEVEL_ORDER) if assessed else ""
                if state in {CaseState.INTERVENTION, CaseState.REFERRED}:
                    level = rng.choice([RiskLevel.RED, RiskLevel.ORANGE])
                student = students_of[school.pk][rng.randrange(scale.students_per_school)]
                cases.append(
                    Case(
                        school=school,
                        reference=f"{opened.year}-{n + 1:04d}",
                        student=student,
                        state=state,
                        risk_level=level,
                        in_crisis=(state in {CaseState.INTERVENTION, CaseState.REFERRED}) if assessed else None,
                        categories=rng.sample(CATEGORIES, rng.choice((1, 1, 2))),
                        assigned_counsellor_id=counsellors[n % len(counsellors)] if counsellors else None,
                        outcome=Outcome.RESOLVED if state == CaseState.CLOSED else "",
                        opened_at=opened,
                        closed_at=opened + dt.timedelta(days=60) if state == CaseState.CLOSED else None,
                        level_changed_at=opened + dt.timedelta(hours=6) if level else None,
                        created_by_id=reporters[n % len(reporters)],
                    )
                )
                paths.append(path)
        cases = _bulk(Case, cases, timings, "cases")

        transitions, members, follow_ups, tasks, contacts, referrals = [], [], [], [], [], []
        for case, path in zip(cases, paths, strict=True):
            is_open = case.state in OPEN_STATES
            span = ((case.closed_at or now) - case.opened_at) / (len(path) + 1)
            previous = ""
            for step, state in enumerate(path):
                transitions.append(
                    Transition(
                        case=case,
                        from_state=previous,
                        to_state=state,
                        by_id=case.assigned_counsellor_id or case.created_by_id,
                        at=case.opened_at + span * step,
                    )
                )
                previous = state
            class_teacher = case.student.school_class.class_teacher_id
            if class_teacher:
                members.append(CaseMember(case=case, user_id=class_teacher, role=CaseRole.CLASS_TEACHER))
            worker = case.assigned_counsellor_id or case.created_by_id
            for k in range(scale.follow_ups_per_case):
                follow_ups.append(
                    FollowUp(
                        case=case,
                        by_id=worker,
                        at=case.opened_at + span * (k + 1) / 2,
                        channel=ContactChannel.IN_PERSON,
                        note=FOLLOW_UP_NOTES[k % len(FOLLOW_UP_NOTES)],
                    )
                )
            for k in range(scale.tasks_per_case):
                last = k == scale.tasks_per_case - 1
                due = (
                    now + dt.timedelta(hours=rng.uniform(-72, 120))
                    if is_open and last
                    else case.opened_at + span * (k + 1)
                )
                kind = TaskKind.FOLLOW_UP if k % 2 == 0 else TaskKind.REASSESSMENT
                tasks.append(
                    Task(
                        case=case,
                        kind=kind,
                        title="回访" if kind == TaskKind.FOLLOW_UP else "复评",
                        assignee_id=worker,
                        due_at=due,
                        done_at=None if is_open and last else due,
                        done_by_id=None if is_open and last else worker,
                        cancelled_at=None,
                        created_at=case.opened_at,
                    )
                )
            if case.risk_level in {RiskLevel.RED, RiskLevel.ORANGE} and rng.random() < 0.8:
                contacts.append(
                    GuardianContact(
                        case=case,
                        at=case.level_changed_at + dt.timedelta(hours=1),
                        channel=ContactChannel.PHONE,
                        by_id=worker,
                        said="告知学生近况及学校建议",
                        response=GuardianResponse.INFORMED,
                    )
                )
            if case.state in {CaseState.REFERRED, CaseState.AFTERCARE}:
                received = rng.random() < 0.6 or case.state == CaseState.AFTERCARE
                referrals.append(
                    Referral(
                        case=case,
                        agency="市精神卫生中心",
                        department="心理科",
                        reason="需专业评估",
                        referred_at=case.opened_at + span * 2,
                        by_id=worker,
                        diagnosis_received_at=case.opened_at + span * 3 if received else None,
                        diagnosis="抑郁状态" if received else "",
                    )
                )
        _bulk(Transition, transitions, timings, "transitions")
        _bulk(CaseMember, members, timings, "members")
        _bulk(FollowUp, follow_ups, timings, "follow_ups")
        _bulk(Task, tasks, timings, "tasks")
        _bulk(GuardianContact, contacts, timings, "guardian_contacts")
        _bulk(Referral, referrals, timings, "referrals")
    documents = _documents_and_access(cases, rng, timings)
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = round(time.perf_counter() - started, 1)
    return {
        "students": len(students),
        "cases": len(cases),
        "follow_ups": len(follow_ups),
        "tasks": len(tasks),
        "transitions": len(transitions),
        "documents": documents,
        "seconds": timings,
    }


def _pick(roles: dict, role: Role, n: int):
    holders = roles.get(role) or []
    return holders[n % len(holders)] if holders else None


def _documents_and_access(cases: list[Case], rng: random.Random, timings: dict) -> int:
    """Dossier documents for the first school's cases, and who-opened-which-case audit entries for all."""
    from bench.dossier_export import real_pdf
    from xinan.audit.models import AuditEntry
    from xinan.dossier.enums import DocumentSlot
    from xinan.dossier.services.documents import upload_document

    started = time.perf_counter()
    first_school = cases[0].school_id
    documents = 0
    for case in (c for c in cases if c.school_id == first_school):
        uploader = case.assigned_counsellor or case.created_by
        for n in range(2):
            upload_document(case, slot=DocumentSlot.LEAVE_RECORD, chunks=[real_pdf(3_000 + n * 500, rng)],
                            original_name=f"请假记录{n + 1}.pdf", by=uploader)
            documents += 1
    timings["documents"] = round(time.perf_counter() - started, 1)
    entries = [
        AuditEntry(
            at=case.opened_at + dt.timedelta(hours=k + 1),
            actor_id=case.assigned_counsellor_id or case.created_by_id,
            actor_label="基准",
            organisation_id=case.school_id,
            action="xinan.case.view",
            object_type="cases.case",
            object_id=str(case.pk),
        )
        for case in cases
        for k in range(5)
    ]
    _bulk(AuditEntry, entries, timings, "access_entries")
    return documents
