"""Demo students and crisis cases in several states, made through the real services."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from xinan.cases.enums import CaseState
from xinan.cases.models import Case, SchoolCrisisSettings
from xinan.cases.services import records
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.reporting import file_first_report
from xinan.cases.services.workflow import transition_case
from xinan.demo.services.people import make_name
from xinan.students.models import Guardian, SchoolClass, Student

CALM = {"emotion": 1, "behaviour": 1, "social": 1, "coping": 1, "support": 0, "danger": 0}
SEVERE = {"emotion": 3, "behaviour": 2, "social": 2, "coping": 2, "support": 1, "danger": 3}


def ensure_demo_cases(school, rng: random.Random) -> int:
    if Case.objects.filter(school=school).exists():
        return 0
    users = get_user_model().objects
    staff = users.get(phone="13900000109")
    counsellor = users.get(phone="13900000104")
    teacher = users.get(phone="13900000108")
    leader = users.get(phone="13900000101")
    SchoolCrisisSettings.objects.get_or_create(
        school=school, defaults={"duty_counsellor": counsellor, "duty_phone": "020-00000000"}
    )
    school_class, _created = SchoolClass.objects.get_or_create(
        school=school, grade="2024级", name="心理学1班", defaults={"class_teacher": teacher}
    )
    students = []
    for index in range(6):
        student = Student.objects.create(
            school=school,
            school_class=school_class,
            name=make_name(rng),
            student_number=f"2024{index + 1:04d}",
            sex="male" if index % 2 else "female",
            birth_date=dt.date(2005, 1 + index, 10),
        )
        Guardian.objects.create(
            student=student, relation="mother", name=make_name(rng), phone=f"1390009{index:04d}", is_primary=True
        )
        students.append(student)

    def report(student, categories, observed):
        case = file_first_report(
            school=school,
            reporter=staff,
            student=student,
            categories=categories,
            observed=observed,
            measures="已陪同至心理辅导室",
        ).case
        case.assigned_counsellor = counsellor
        case.save(update_fields=["assigned_counsellor"])
        return case

    report(students[0], ["suicide_note"], "同学收到其告别短信。")
    assessing = report(students[1], ["sudden_event"], "家中突发变故，情绪低落。")
    transition_case(assessing, CaseState.ASSESSING, by=counsellor)
    tracking = report(students[2], ["other"], "近期失眠，不愿与人交流。")
    transition_case(tracking, CaseState.ASSESSING, by=counsellor)
    record_assessment(
        tracking,
        by=counsellor,
        ratings=CALM,
        screen={},
        level="yellow",
        in_crisis=False,
        override_reason="持续失眠两周，需要关怀跟踪",
    )
    transition_case(tracking, CaseState.CARE_TRACKING, by=counsellor)
    crisis = report(students[3], ["suicide_talk", "self_harm"], "课间谈到不想活了，手臂有划痕。")
    transition_case(crisis, CaseState.ASSESSING, by=counsellor)
    record_assessment(
        crisis,
        by=counsellor,
        ratings=SEVERE,
        screen={"q1": True, "q2": True, "q3": True, "q4": True},
        level="red",
        in_crisis=True,
    )
    transition_case(crisis, CaseState.INTERVENTION, by=counsellor)
    records.add_guardian_contact(
        crisis,
        by=counsellor,
        at=timezone.now(),
        channel="phone",
        said="告知学生情况，建议尽快到医院心理科就诊。",
        response="informed",
    )
    records.add_consultation(
        crisis,
        by=leader,
        held_at=timezone.now(),
        attendees=[leader, counsellor, teacher],
        other_attendees="",
        decisions="24小时陪护；联系家长；转介精神卫生中心评估。",
    )
    return 4
