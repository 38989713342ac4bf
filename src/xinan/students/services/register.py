"""Keeping the student register: students with their guardians, and classes.

Audit entries carry ids and counts only, never a name or a phone.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.crypto.keys import blind_index
from xinan.students.models import Guardian, SchoolClass, Student


class RegisterError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def number_taken(school, number: str, *, exclude_pk: int | None = None) -> bool:
    """Another student of ``school`` already has this student number (compared by blind index)."""
    if not number:
        return False
    others = Student.objects.filter(school=school, number_index=blind_index("student-number", number))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def class_taken(school, grade: str, name: str, *, exclude_pk: int | None = None) -> bool:
    others = SchoolClass.objects.filter(school=school, grade=grade, name=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def save_student(
    student: Student,
    *,
    guardians: list[Guardian],
    removed: list[Guardian],
    by,
    request=None,
) -> Student:
    """Add or change a student and their guardians in one transaction (one audit entry).

    ``student`` carries the new values (unsaved when new); ``guardians`` are the new and changed
    guardians, ``removed`` those to delete. Exactly one remaining guardian is primary.
    """
    adding = student.pk is None
    if number_taken(student.school, student.student_number, exclude_pk=student.pk):
        raise RegisterError(_("本校已有学生使用该学号。"))
    with transaction.atomic():
        student.save()
        for guardian in removed:
            if guardian.pk and guardian.student_id == student.pk:
                guardian.delete()
        for guardian in guardians:
            guardian.student = student
            guardian.save()
        _ensure_one_primary(student)
        record(
            "xinan.student.add" if adding else "xinan.student.change",
            actor=by,
            obj=student,
            request=request,
            after={"class_id": student.school_class_id, "guardians": student.guardians.count()},
        )
    return student


def _ensure_one_primary(student: Student) -> None:
    guardians = list(student.guardians.order_by("-is_primary", "pk"))
    for index, guardian in enumerate(guardians):
        primary = index == 0
        if guardian.is_primary != primary:
            guardian.is_primary = primary
            guardian.save(update_fields=["is_primary"])


def save_class(school_class: SchoolClass, *, by, request=None) -> SchoolClass:
    """Add or change a class (grade, name, class teacher) of a school."""
    adding = school_class.pk is None
    if class_taken(school_class.school, school_class.grade, school_class.name, exclude_pk=school_class.pk):
        raise RegisterError(_("本校已有同名的年级班级。"))
    with transaction.atomic():
        school_class.save()
        record(
            "xinan.student.class.add" if adding else "xinan.student.class.change",
            actor=by,
            obj=school_class,
            request=request,
            after={"class_teacher_id": school_class.class_teacher_id},
        )
    return school_class
