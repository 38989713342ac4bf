from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from xinan.audit.enums import REFUSAL_ACTIONS
from xinan.audit.models import AuditEntry
from xinan.organisations.services.queries import audit_organisations_for_user


def entries_for_user(user) -> QuerySet[AuditEntry]:
    """Entries the user may read: those of the organisations whose log they keep."""
    return AuditEntry.objects.filter(organisation__in=audit_organisations_for_user(user))


def search_entries(
    queryset: QuerySet[AuditEntry],
    *,
    action: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    refusals_only: bool = False,
) -> QuerySet[AuditEntry]:
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor:
        queryset = queryset.filter(actor_label__icontains=actor)
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    if refusals_only:
        queryset = queryset.filter(Q(action__in=[str(a) for a in REFUSAL_ACTIONS]) | Q(action__contains=".failed"))
    return queryset.select_related("actor")
