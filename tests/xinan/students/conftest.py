"""A register of school A: the class teacher's own class, another class, one student in each."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

import pytest
from openpyxl import Workbook

from xinan.demo.services.people import make_name
from xinan.students.models import Guardian, SchoolClass, Student
from xinan.students.services.importing import HEADERS

_rng = random.Random(2026)


def generated_name() -> str:
    return make_name(_rng)


@dataclass
class Register:
    own_class: SchoolClass
    other_class: SchoolClass
    own_student: Student
    other_student: Student


@pytest.fixture
def register(world) -> Register:
    own = SchoolClass.objects.create(
        school=world.school_a, grade="2024级", name="一班", class_teacher=world.class_teacher_a
    )
    other = SchoolClass.objects.create(school=world.school_a, grade="2024级", name="二班")
    own_student = Student.objects.create(
        school=world.school_a,
        school_class=own,
        name=generated_name(),
        student_number="S0001",
        sex="female",
        birth_date=dt.date(2009, 6, 1),
    )
    Guardian.objects.create(
        student=own_student, relation="mother", name=generated_name(), phone="13912345601", is_primary=True
    )
    other_student = Student.objects.create(
        school=world.school_a, school_class=other, name=generated_name(), student_number="S0002"
    )
    return Register(own, other, own_student, other_student)


def workbook_bytes(rows, *, headers=HEADERS) -> bytes:
    """A generated .xlsx: the header row, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
