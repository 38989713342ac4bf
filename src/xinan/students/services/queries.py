"""List queries for students. Names and numbers are encrypted: lookups are exact, by blind index."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from xinan.crypto.keys import blind_index
from xinan.organisations.enums import CRISIS_TEAM_ROLES, SCHOOL_ROLES, OrgKind, Role
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import school_ids_with_roles
from xinan.organisations.services.team import staff_of_school
from xinan.students.models import Guardian, SchoolClass, Student


def students_for_user(user) -> QuerySet[Student]:
    """Students of the schools where the user works (to pick one in a report)."""
    return Student.objects.filter(school_id__in=school_ids_with_roles(user, SCHOOL_ROLES)).select_related(
        "school_class"
    )


def find_students(queryset: QuerySet[Student], query: str) -> QuerySet[Student]:
    query = query.strip()
    if not query:
        return queryset.none()
    return queryset.filter(
        Q(number_index=blind_index("student-number", query)) | Q(name_index=blind_index("student-name", query))
    )


def register_schools_for_user(user) -> QuerySet[Organisation]:
    """Schools whose register the user may open (rule ``students.view_register``)."""
    ids = school_ids_with_roles(user, CRISIS_TEAM_ROLES | {Role.CLASS_TEACHER})
    return Organisation.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL, is_active=True).order_by("pk")


def classes_for_user(user) -> QuerySet[SchoolClass]:
    """Classes the user keeps: every class of their crisis-team schools, and their own classes."""
    keeper_of = school_ids_with_roles(user, CRISIS_TEAM_ROLES)
    teacher_in = school_ids_with_roles(user, {Role.CLASS_TEACHER})
    return SchoolClass.objects.filter(
        Q(school_id__in=keeper_of) | Q(school_id__in=teacher_in, class_teacher=user)
    ).select_related("class_teacher")


def register_students_for_user(user) -> QuerySet[Student]:
    """Students the user may read in the register (rule ``students.change_student``)."""
    keeper_of = school_ids_with_roles(user, CRISIS_TEAM_ROLES)
    teacher_in = school_ids_with_roles(user, {Role.CLASS_TEACHER})
    return Student.objects.filter(
        Q(school_id__in=keeper_of) | Q(school_id__in=teacher_in, school_class__class_teacher=user)
    ).select_related("school_class")


def with_guardians(queryset: QuerySet[Student]) -> QuerySet[Student]:
    return queryset.prefetch_related(Prefetch("guardians", queryset=Guardian.objects.order_by("-is_primary", "pk")))


__all__ = [
    "classes_for_user",
    "find_students",
    "register_schools_for_user",
    "register_students_for_user",
    "staff_of_school",
    "students_for_user",
    "with_guardians",
]
