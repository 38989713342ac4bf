"""The separation of duties (三员分立) at every place a role is granted.

``Membership`` refuses, on every save, a role that one of the person's active roles may not sit
beside, and the database refuses it again for writes that skip the model. This module is what
each grant path (the security administrator's page, the team leader's crisis-team page, the
filer form and Excel import of a province, the demo) calls before it opens its own transaction:
a refused grant is written to the audit trail there, where no rollback of the caller can take it
away, and the audit entry raises an alert to the security administrators at once.
"""

from __future__ import annotations

from django.db import transaction

from xinan.accounts.enums import AccountAction
from xinan.audit.services.record import record
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.models.membership import SeparationOfDutiesError


def refuse_conflicting_grant(person, organisation: Organisation, role: str, *, by, request=None, path: str) -> None:
    """Raise ``SeparationOfDutiesError`` (after auditing the refusal) when giving ``person``
    ``role`` would break the separation of duties; do nothing otherwise. ``path`` names the
    grant path in the audit entry (``admin``, ``team``, ``filer``, ``import``, ``demo``)."""
    if person is None or person.pk is None:
        return
    conflicting = Membership(user=person, organisation=organisation, role=role).conflicting_roles()
    if not conflicting:
        return
    audit_refused_grant(person, organisation, role, conflicting, by=by, request=request, path=path)
    raise SeparationOfDutiesError(role=role, conflicting=conflicting)


def audit_refused_grant(person, organisation, role: str, conflicting, *, by, request=None, path: str) -> None:
    """The audit entry of a refused grant: ids and role names only, never a name or a phone."""
    with transaction.atomic():
        record(
            AccountAction.GRANT_REFUSED,
            actor=by,
            organisation=organisation,
            obj=person,
            request=request,
            reason="separation of duties",
            after={
                "user_id": person.pk,
                "role": str(role),
                "organisation_id": organisation.pk,
                "conflicting_roles": sorted(str(r) for r in conflicting),
                "path": path,
            },
        )
