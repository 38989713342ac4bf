"""Shared case fixtures: a student with a guardian and a class teacher, and a reported case.

Imported by the root conftest, so every test directory (e2e included) can use them."""

from __future__ import annotations

import datetime as dt

import pytest

from xinan.cases.enums import ObservationCategory
from xinan.cases.services.reporting import file_first_report
from xinan.students.models import Guardian, SchoolClass, Student

NO_DANGER = {"emotion": 1, "behaviour": 1, "social": 1, "coping": 1, "support": 0, "danger": 0}
HIGH_DANGER = {"emotion": 3, "behaviour": 2, "social": 2, "coping": 2, "support": 1, "danger": 3}
PLAN_SCREEN = {"q1": True, "q2": True, "q3": True, "q4": True, "q5": True, "q6": False}


@pytest.fixture
def student(world):
    school_class = SchoolClass.objects.create(
        school=world.school_a, grade="2024级", name="心理学1班", class_teacher=world.class_teacher_a
    )
    student = Student.objects.create(
        school=world.school_a,
        school_class=school_class,
        name="测试学生甲",
        student_number="20240001",
        sex="male",
        birth_date=dt.date(2005, 3, 1),
    )
    Guardian.objects.create(student=student, relation="mother", name="测试家长甲", phone="13912340000", is_primary=True)
    return student


@pytest.fixture
def case(world, student):
    """A freshly reported case of school A, assigned to counsellor A."""
    report = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=[ObservationCategory.SUICIDE_NOTE],
        observed="收到告别短信",
        measures="联系了同学陪伴",
    )
    case = report.case
    case.assigned_counsellor = world.counsellor_a
    case.save(update_fields=["assigned_counsellor"])
    return case
