"""Who may read and acknowledge audit alerts. Predicates are questions; the list query is
services/queries.alerts_for_user."""

from __future__ import annotations

import rules

from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles


@rules.predicate
def is_alert_reader(user) -> bool:
    """A security admin anywhere, or a school's team leader."""
    return any(
        held.role == Role.SECURITY_ADMIN or (held.role == Role.TEAM_LEADER and held.school_id == held.organisation_id)
        for held in held_roles(user)
    )


@rules.predicate
def is_alert_reader_of(user, alert) -> bool:
    """Security admin of the alert's organisation or above it, or team leader of its school."""
    if alert is None or alert.organisation is None:
        return False
    path = alert.organisation.path
    school = alert.organisation.school
    for held in held_roles(user):
        if held.role == Role.SECURITY_ADMIN and path.startswith(held.organisation_path):
            return True
        if held.role == Role.TEAM_LEADER and school is not None and held.organisation_id == school.pk:
            return True
    return False


rules.add_perm("alerts.view_alerts", is_alert_reader)
rules.add_perm("alerts.acknowledge_alert", is_alert_reader_of)
