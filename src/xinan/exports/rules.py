"""Who may see, decide and download an export request. The permission on the target comes
from the kind (enums.PERMISSION_FOR_KIND); list queries are in services/queries.py."""

from __future__ import annotations

import rules

from xinan.exports.enums import AUDIT_EXPORT_ROLES, PERMISSION_FOR_KIND, SCHOOL_EXPORT_ROLES
from xinan.organisations.enums import OrgKind
from xinan.organisations.services.queries import held_roles


def _target(export_request):
    return export_request.case if export_request.case_id else export_request.organisation


@rules.predicate
def is_requester_of(user, export_request) -> bool:
    return export_request is not None and export_request.requested_by_id == user.pk


@rules.predicate
def holds_export_permission_for_target(user, export_request) -> bool:
    if export_request is None:
        return False
    permission = PERMISSION_FOR_KIND.get(export_request.kind)
    return permission is not None and user.has_perm(permission, _target(export_request))


@rules.predicate
def is_school_export_overseer_of(user, organisation) -> bool:
    """The school's team leader or coordinator: the school's student list and case list."""
    return (
        organisation is not None
        and organisation.kind == OrgKind.SCHOOL
        and any(
            held.role in SCHOOL_EXPORT_ROLES and held.organisation_id == organisation.pk for held in held_roles(user)
        )
    )


@rules.predicate
def is_audit_exporter_over(user, organisation) -> bool:
    """An auditor or security administrator in the organisation or above it: its audit trail."""
    return organisation is not None and any(
        held.role in AUDIT_EXPORT_ROLES and organisation.path.startswith(held.organisation_path)
        for held in held_roles(user)
    )


rules.add_perm("exports.export_student_list", is_school_export_overseer_of)
rules.add_perm("exports.export_case_list", is_school_export_overseer_of)
rules.add_perm("exports.export_audit_extract", is_audit_exporter_over)

# The requester must still hold the permission; the approver is another holder of it.
rules.add_perm("exports.view_exportrequest", holds_export_permission_for_target)
rules.add_perm("exports.decide_exportrequest", holds_export_permission_for_target)
rules.add_perm("exports.download_exportrequest", holds_export_permission_for_target & is_requester_of)
