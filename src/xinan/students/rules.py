"""Who may read and keep the student register. Predicates are questions; each object rule
has its list query in ``services/queries.py``.

The register is kept by the school's fixed crisis-team members (seed 001, 成员组成); a class
teacher (班主任) sees and keeps the students of their own classes only.
"""

from __future__ import annotations

import rules

from xinan.organisations.enums import CRISIS_TEAM_ROLES, OrgKind, Role
from xinan.organisations.services.queries import held_roles


def _school_id_of(obj) -> int | None:
    """The school of an organisation, a class or a student."""
    if obj is None:
        return None
    if obj._meta.label_lower == "organisations.organisation":
        if obj.kind == OrgKind.SCHOOL:
            return obj.pk
        return obj.parent_id if obj.kind == OrgKind.DEPARTMENT else None
    return obj.school_id


def _roles_in_school(user, school_id) -> set[Role]:
    if school_id is None:
        return set()
    return {held.role for held in held_roles(user) if held.school_id == school_id}


@rules.predicate
def is_register_keeper_of(user, obj) -> bool:
    """A fixed crisis-team member of the school the object belongs to."""
    return bool(_roles_in_school(user, _school_id_of(obj)) & CRISIS_TEAM_ROLES)


@rules.predicate
def is_class_teacher_in_school(user, obj) -> bool:
    """Holds the class-teacher role in the school the object belongs to."""
    return Role.CLASS_TEACHER in _roles_in_school(user, _school_id_of(obj))


@rules.predicate
def is_class_teacher_of_class(user, school_class) -> bool:
    return (
        school_class is not None
        and school_class.class_teacher_id == user.pk
        and Role.CLASS_TEACHER in _roles_in_school(user, school_class.school_id)
    )


@rules.predicate
def is_class_teacher_of_student(user, student) -> bool:
    if student is None or student.school_class_id is None:
        return False
    return is_class_teacher_of_class(user, student.school_class)


# The register of a school (the list, adding a student): keepers, and class teachers for their classes.
rules.add_perm("students.view_register", is_register_keeper_of | is_class_teacher_in_school)
rules.add_perm("students.add_student", is_register_keeper_of | is_class_teacher_in_school)
rules.add_perm("students.change_student", is_register_keeper_of | is_class_teacher_of_student)
# Classes and the Excel import change the school's whole register: keepers only.
rules.add_perm("students.manage_classes", is_register_keeper_of)
rules.add_perm("students.change_class", is_register_keeper_of)
rules.add_perm("students.import_students", is_register_keeper_of)
