"""List queries of account and role administration; each matches a rule in ``accounts.rules``.

A system administrator manages the people who hold a role (active or not) in their
organisation or under it; a security administrator the roles held there.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.services.queries import held_roles


def admin_paths(user, role: Role) -> set[str]:
    """Paths of the organisations where ``user`` holds ``role``: their scope is everything under them."""
    return {held.organisation_path for held in held_roles(user) if held.role == role}


def _under(paths: set[str], field: str) -> Q | None:
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def scope_organisations(user, role: Role) -> QuerySet[Organisation]:
    """Active organisations in the scope of ``user``'s ``role`` (their organisation and below)."""
    condition = _under(admin_paths(user, role), "path")
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition, is_active=True).order_by("path")


def home_organisations_for_user(user) -> QuerySet[Organisation]:
    """Where a system administrator may create a person: schools and departments in scope
    (the new account is affiliated there as staff; every other role is the security administrator's)."""
    return scope_organisations(user, Role.SYSTEM_ADMIN).filter(kind__in=[OrgKind.SCHOOL, OrgKind.DEPARTMENT])


def people_for_user(user) -> QuerySet:
    """People a system administrator manages: anyone holding a role (active or not) in scope."""
    condition = _under(admin_paths(user, Role.SYSTEM_ADMIN), "organisation__path")
    people = get_user_model().objects.all()
    if condition is None:
        return people.none()
    return people.filter(pk__in=Membership.objects.filter(condition).values("user_id")).order_by("name", "pk")


def memberships_for_user(user) -> QuerySet[Membership]:
    """Roles a security administrator manages: every membership held in scope."""
    condition = _under(admin_paths(user, Role.SECURITY_ADMIN), "organisation__path")
    if condition is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(condition)
        .select_related("user", "organisation")
        .order_by("organisation__path", "role", "user__name", "pk")
    )


def grantees_for_user(user) -> QuerySet:
    """People a security administrator may give a role to: those already holding one in scope."""
    condition = _under(admin_paths(user, Role.SECURITY_ADMIN), "organisation__path")
    people = get_user_model().objects.filter(is_active=True)
    if condition is None:
        return people.none()
    return people.filter(pk__in=Membership.objects.filter(condition).values("user_id"))


def messages_for_user(user) -> QuerySet:
    """The outbox as a system administrator sees it: messages to the people they manage and
    the pings of their schools' group robots (guardian messages are shown on their case)."""
    from django.db.models import Q

    from xinan.notifications.models import Message

    if not admin_paths(user, Role.SYSTEM_ADMIN):
        return Message.objects.none()
    in_scope = Q(recipient__in=people_for_user(user)) | Q(
        account__organisation__in=scope_organisations(user, Role.SYSTEM_ADMIN)
    )
    return Message.objects.filter(in_scope).select_related("recipient").order_by("-created_at", "-pk")
