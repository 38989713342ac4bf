"""Permission predicates for organisations, named as questions.

Each object rule has its list query in ``services/queries.py``.
"""

from __future__ import annotations

import rules

from xinan.organisations.enums import AUDIT_VIEWER_ROLES, CRISIS_TEAM_ROLES, SCHOOL_ROLES, OrgKind, Role
from xinan.organisations.services.queries import held_roles


def _holds(user, roles, organisation) -> bool:
    if organisation is None:
        return False
    return any(held.role in roles and organisation.path.startswith(held.organisation_path) for held in held_roles(user))


@rules.predicate
def is_national_admin(user) -> bool:
    return any(held.role == Role.NATIONAL_ADMIN for held in held_roles(user))


@rules.predicate
def is_provincial_admin(user) -> bool:
    return any(held.role == Role.PROVINCIAL_ADMIN for held in held_roles(user))


@rules.predicate
def is_provincial_admin_of(user, organisation) -> bool:
    return _holds(user, {Role.PROVINCIAL_ADMIN}, organisation)


@rules.predicate
def is_staff_of_school(user, organisation) -> bool:
    """Holds any school role in the school (or department) ``organisation`` belongs to."""
    school = organisation.school if organisation is not None else None
    return _holds(user, SCHOOL_ROLES, school)


@rules.predicate
def is_crisis_team_member_of(user, organisation) -> bool:
    school = organisation.school if organisation is not None else None
    if school is None:
        return False
    return any(held.role in CRISIS_TEAM_ROLES and held.school_id == school.pk for held in held_roles(user))


@rules.predicate
def is_team_leader_of(user, organisation) -> bool:
    school = organisation.school if organisation is not None else None
    return school is not None and any(
        held.role == Role.TEAM_LEADER and held.organisation_id == school.pk for held in held_roles(user)
    )


@rules.predicate
def is_audit_viewer_of(user, organisation) -> bool:
    """Admins read their own organisation's trail; an auditor also everything under theirs."""
    if organisation is None:
        return False
    return any(
        (held.role in AUDIT_VIEWER_ROLES and held.organisation_id == organisation.pk)
        or (held.role == Role.AUDITOR and organisation.path.startswith(held.organisation_path))
        for held in held_roles(user)
    )


@rules.predicate
def is_auditor(user) -> bool:
    return any(held.role == Role.AUDITOR for held in held_roles(user))


@rules.predicate
def is_school(user, organisation) -> bool:
    return organisation is not None and organisation.kind == OrgKind.SCHOOL


rules.add_perm("organisations.view_organisation", is_national_admin | is_provincial_admin_of | is_staff_of_school)
rules.add_perm("organisations.view_crisis_team", is_school & is_crisis_team_member_of)
rules.add_perm("organisations.change_crisis_team", is_school & is_team_leader_of)
rules.add_perm("organisations.view_audit_log", is_audit_viewer_of)
rules.add_perm("organisations.verify_audit_chain", is_auditor)
