"""Reusable querysets for organisations and memberships.

Each object rule in ``rules.py`` has its list query here, so views never
filter lists by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinan.organisations.enums import AUDIT_VIEWER_ROLES, CRISIS_TEAM_ROLES, OrgKind, Role
from xinan.organisations.models import Membership, Organisation


@dataclass(frozen=True)
class HeldRole:
    role: Role
    organisation_id: int
    organisation_path: str
    organisation_kind: OrgKind
    school_id: int | None


def held_roles(user) -> tuple[HeldRole, ...]:
    """The active roles of ``user``, loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_xinan_held_roles", None)
    if cached is not None:
        return cached
    rows = (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .only("role", "organisation__id", "organisation__path", "organisation__kind", "organisation__parent_id")
    )
    roles = []
    for membership in rows:
        org = membership.organisation
        if org.kind == OrgKind.SCHOOL:
            school_id = org.pk
        elif org.kind == OrgKind.DEPARTMENT:
            school_id = org.parent_id
        else:
            school_id = None
        roles.append(HeldRole(Role(membership.role), org.pk, org.path, OrgKind(org.kind), school_id))
    result = tuple(roles)
    user._xinan_held_roles = result
    return result


def forget_held_roles(user) -> None:
    if hasattr(user, "_xinan_held_roles"):
        del user._xinan_held_roles


def roles_in(user, organisation: Organisation) -> set[Role]:
    """Roles held in ``organisation`` itself or in one of its ancestors' subtree roots above it."""
    return {held.role for held in held_roles(user) if organisation.path.startswith(held.organisation_path)}


def school_ids_with_roles(user, roles) -> set[int]:
    return {held.school_id for held in held_roles(user) if held.role in roles and held.school_id}


def organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations the user may see: those where they hold a role, and everything under them."""
    paths = {held.organisation_path for held in held_roles(user)}
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition, is_active=True)


def schools_for_user(user) -> QuerySet[Organisation]:
    return organisations_for_user(user).filter(kind=OrgKind.SCHOOL)


def crisis_team_schools_for_user(user) -> QuerySet[Organisation]:
    """Schools whose crisis area the user may enter: fixed crisis-team members only."""
    ids = school_ids_with_roles(user, CRISIS_TEAM_ROLES)
    return Organisation.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL, is_active=True)


def audit_organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations whose audit trail the user may read: admins their own organisation;
    an auditor their organisation and everything under it."""
    roles = held_roles(user)
    ids = {held.organisation_id for held in roles if held.role in AUDIT_VIEWER_ROLES}
    condition = Q(pk__in=ids)
    for held in roles:
        if held.role == Role.AUDITOR:
            condition |= Q(path__startswith=held.organisation_path)
    return Organisation.objects.filter(condition)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user", "organisation")
        .order_by("role", "user__name")
    )
