"""Who may do what with consents and the privacy pages. Predicates are questions; the list
query for consents is ``services.queries.consents_for_user``.

- Consents are part of the case: those who may read the case read them (``cases.view_case``),
  those who work the case record, withdraw and change the basis (``cases.change_case``).
- The privacy pages are read by every signed-in person and edited by the security
  administrator or the national administrator.
"""

from __future__ import annotations

import rules

from xinan.cases.rules import can_read_case, can_work_case
from xinan.organisations.enums import Role
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


rules.add_perm("privacy.change_policypage", is_policy_editor)
rules.add_perm("privacy.view_consent", can_read_consent_case)
rules.add_perm("privacy.change_consent", can_work_consent_case)
