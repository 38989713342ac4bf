"""Who may do what with consents and the privacy pages. Predicates are questions; the list
query for consents is ``services.queries.consents_for_user``.

- Consents are part of the case: those who may read the case read them (``cases.view_case``),
  those who work the case record, withdraw and change the basis (``cases.change_case``).
- The privacy pages are read by every signed-in person and edited by the security
  administrator or the national administrator.
- A masked phone is revealed in full to those who must call the person: the system
  administrator over a staff account, the person themselves, the provincial administrator
  for the filers of their province; a guardian's phone to those who keep the student's
  record (``students.change_student``); a submission's contact phone to its filer and the
  provincial administrator deciding it.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from xinan.cases.rules import can_read_case, can_work_case
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.services.queries import held_roles

POLICY_EDITOR_ROLES = frozenset({Role.SECURITY_ADMIN, Role.NATIONAL_ADMIN})


@rules.predicate
def is_policy_editor(user) -> bool:
    return any(held.role in POLICY_EDITOR_ROLES for held in held_roles(user))


@rules.predicate
def can_read_consent_case(user, consent) -> bool:
    return consent is not None and can_read_case(user, consent.case)


@rules.predicate
def can_work_consent_case(user, consent) -> bool:
    return consent is not None and can_work_case(user, consent.case)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and person.pk == user.pk


def _people_in_scope(user, role: Role, *, person_role: Role | None = None) -> frozenset[int]:
    """Ids of the people holding a role (``person_role`` or any) in or under an organisation
    where ``user`` holds ``role``: one query per reader and page, however long the list."""
    attr = f"_xinan_phone_scope_{role}_{person_role}"
    cached = getattr(user, attr, None)
    if cached is not None:
        return cached
    paths = {held.organisation_path for held in held_roles(user) if held.role == role}
    ids: frozenset[int] = frozenset()
    if paths:
        condition = Q()
        for path in paths:
            condition |= Q(organisation__path__startswith=path)
        memberships = Membership.objects.filter(condition)
        if person_role is not None:
            memberships = memberships.filter(role=person_role, is_active=True)
        ids = frozenset(memberships.values_list("user_id", flat=True))
    setattr(user, attr, ids)
    return ids


@rules.predicate
def is_system_admin_over_person(user, person) -> bool:
    """The same scope as ``accounts.reveal_phone``: the person holds a role in the admin's scope."""
    return person is not None and person.pk in _people_in_scope(user, Role.SYSTEM_ADMIN)


@rules.predicate
def is_provincial_admin_over_filer(user, person) -> bool:
    """A provincial admin, for a filer of a school in their province (the campaign's filer list)."""
    return person is not None and person.pk in _people_in_scope(user, Role.PROVINCIAL_ADMIN, person_role=Role.FILER)


@rules.predicate
def can_change_guardians_student(user, guardian) -> bool:
    return guardian is not None and user.has_perm("students.change_student", guardian.student)


@rules.predicate
def can_work_submission(user, submission) -> bool:
    return submission is not None and (
        user.has_perm("campaigns.change_submission", submission)
        or user.has_perm("campaigns.decide_submission", submission)
    )


rules.add_perm("privacy.change_policypage", is_policy_editor)
# Who may see a masked number whole (services/masking.py): those who must call the person.
rules.add_perm("privacy.reveal_user_phone", is_self | is_system_admin_over_person | is_provincial_admin_over_filer)
rules.add_perm("privacy.reveal_guardian_phone", can_change_guardians_student)
rules.add_perm("privacy.reveal_submission_phone", can_work_submission)
rules.add_perm("privacy.view_consent", can_read_consent_case)
rules.add_perm("privacy.change_consent", can_work_consent_case)
