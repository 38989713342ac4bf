"""The one way views fetch an object: list query, object rule, audited 404.

Outside the circle the answer is 404, so nobody learns that an object exists,
and every refusal is written to the audit trail.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404

from xinan.audit.enums import AuditAction
from xinan.audit.services.record import record


def refuse(request, *, permission: str, obj: Model | None = None, object_ref: str = "", organisation=None):
    record_refusal(request, permission=permission, obj=obj, object_ref=object_ref, organisation=organisation)
    raise Http404


def record_refusal(request, *, permission: str, obj: Model | None = None, object_ref: str = "", organisation=None):
    """The audit entry of a refusal, for a view that answers its 404 with a page of its own."""
    entry_obj = obj if obj is not None and obj.pk else None
    record(
        AuditAction.ACCESS_DENIED,
        request=request,
        obj=entry_obj,
        organisation=organisation,
        reason=f"{permission} {request.method} {request.path}"[:200]
        + (f" ref={object_ref}" if entry_obj is None and object_ref else ""),
    )


def get_for_user_or_404(request, permission: str, queryset: QuerySet, **lookup) -> Model:
    obj = queryset.filter(**lookup).first()
    if obj is None or not request.user.has_perm(permission, obj):
        refuse(request, permission=permission, obj=obj, object_ref=",".join(f"{k}={v}" for k, v in lookup.items()))
    return obj


def require_perm(request, permission: str, obj: Model | None = None) -> None:
    if not request.user.has_perm(permission, obj):
        refuse(request, permission=permission, obj=obj)
