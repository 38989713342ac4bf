"""List queries: the requests a person may decide, and their own requests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from xinan.exports.enums import PERMISSION_FOR_KIND
from xinan.exports.models import ExportRequest
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.services.queries import school_ids_with_roles

# The roles that hold an export permission in a school (cases.export_dossier: the overseers).
EXPORT_ROLES = {Role.TEAM_LEADER, Role.COORDINATOR}


def awaiting_decision_by(user) -> list[ExportRequest]:
    """Undecided requests of other people that this person may approve or refuse."""
    schools = school_ids_with_roles(user, EXPORT_ROLES)
    candidates = (
        ExportRequest.objects.filter(organisation_id__in=schools, decision="")
        .exclude(requested_by=user)
        .select_related("case__school", "organisation", "requested_by")
    )
    return [item for item in candidates if user.has_perm("exports.decide_exportrequest", item)]


def requests_of(user) -> QuerySet[ExportRequest]:
    return ExportRequest.objects.filter(requested_by=user).select_related("case", "organisation", "decided_by")


def approvers_for(export_request: ExportRequest) -> list:
    """Everyone but the requester who holds the kind's permission on the target."""
    ids = Membership.objects.filter(
        organisation_id=export_request.organisation_id, role__in=EXPORT_ROLES, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    permission = PERMISSION_FOR_KIND[export_request.kind]
    target = export_request.case or export_request.organisation
    people = get_user_model().objects.filter(pk__in=set(ids)).exclude(pk=export_request.requested_by_id)
    return [person for person in people if person.has_perm(permission, target)]
