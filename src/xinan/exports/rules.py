"""Who may see, decide and download an export request. The permission on the target comes
from the kind (enums.PERMISSION_FOR_KIND); list queries are in services/queries.py."""

from __future__ import annotations

import rules

from xinan.exports.enums import PERMISSION_FOR_KIND


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


# The requester must still hold the permission; the approver is another holder of it.
rules.add_perm("exports.view_exportrequest", holds_export_permission_for_target)
rules.add_perm("exports.decide_exportrequest", holds_export_permission_for_target)
rules.add_perm("exports.download_exportrequest", holds_export_permission_for_target & is_requester_of)
