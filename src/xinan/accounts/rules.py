"""Permission predicates of account and role administration, named as questions.

Separation of duties (三员分立): the system administrator manages accounts, the security
administrator roles; neither reads case content (no case rule names them). Each object
rule has its list query in ``services/queries.py``.
"""

from __future__ import annotations

import rules

from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.services.queries import held_roles


def _holds_over(user, role: Role, organisation) -> bool:
    if organisation is None:
        return False
    return any(held.role == role and organisation.path.startswith(held.organisation_path) for held in held_roles(user))


@rules.predicate
def is_system_admin(user) -> bool:
    return any(held.role == Role.SYSTEM_ADMIN for held in held_roles(user))


@rules.predicate
def is_security_admin(user) -> bool:
    return any(held.role == Role.SECURITY_ADMIN for held in held_roles(user))


@rules.predicate
def is_system_admin_over(user, organisation) -> bool:
    """Holds the system administrator role in ``organisation`` or above it."""
    return _holds_over(user, Role.SYSTEM_ADMIN, organisation)


@rules.predicate
def is_security_admin_over(user, organisation) -> bool:
    """Holds the security administrator role in ``organisation`` or above it."""
    return _holds_over(user, Role.SECURITY_ADMIN, organisation)


@rules.predicate
def is_system_admin_over_person(user, person) -> bool:
    """The person holds a role (active or not) somewhere in the system administrator's scope."""
    if person is None:
        return False
    paths = {held.organisation_path for held in held_roles(user) if held.role == Role.SYSTEM_ADMIN}
    if not paths:
        return False
    person_paths = Membership.objects.filter(user=person).values_list("organisation__path", flat=True)
    return any(path.startswith(scope) for path in person_paths for scope in paths)


@rules.predicate
def is_security_admin_over_membership(user, membership) -> bool:
    return membership is not None and _holds_over(user, Role.SECURITY_ADMIN, membership.organisation)


@rules.predicate
def is_someone_else(user, obj) -> bool:
    """The object is not the user themselves, nor one of their own roles."""
    if obj is None:
        return False
    owner_id = getattr(obj, "user_id", obj.pk)
    return owner_id != user.pk


rules.add_perm("accounts.view_people", is_system_admin)
rules.add_perm("accounts.create_person", is_system_admin_over)
rules.add_perm("accounts.view_person", is_system_admin_over_person)
rules.add_perm("accounts.change_person", is_system_admin_over_person & is_someone_else)
rules.add_perm("accounts.reveal_phone", is_system_admin_over_person)
rules.add_perm("accounts.view_memberships", is_security_admin)
# A school's 企业微信/钉钉 accounts: the system administrator of the school or above it.
rules.add_perm("accounts.view_channel_accounts", is_system_admin)
rules.add_perm("accounts.change_channel_account", is_system_admin_over)
rules.add_perm("accounts.view_outbox", is_system_admin)
rules.add_perm("accounts.grant_role", is_security_admin_over)
rules.add_perm("accounts.revoke_role", is_security_admin_over_membership & is_someone_else)
