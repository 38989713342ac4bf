from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        # The person's name as written in the entry: an exact match uses the index, where a
        # substring match read every entry of the organisation.
        queryset = queryset.filter(actor_label=" ".join(actor.split()))
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    if refusals_only:
        queryset = queryset.filter(Q(action__in=[str(a) for a in REFUSAL_ACTIONS]) | Q(action__contains=".failed"))
    return queryset.select_related("actor")


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read newest first, and the cursor of the next (older) page."""

    rows: list
    next_cursor: str
    is_first: bool


def encode_cursor(entry: AuditEntry) -> str:
    return f"{entry.at.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%S.%f')}~{entry.pk}"


def decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    when, _, pk = (cursor or "").partition("~")
    try:
        return dt.datetime.strptime(when, "%Y%m%dT%H%M%S.%f").replace(tzinfo=dt.UTC), int(pk)
    except ValueError:
        return None


def keyset_page(queryset: QuerySet[AuditEntry], cursor: str = "", size: int = 50) -> KeysetPage:
    """The entries after `cursor`, newest first. Seeks by (at, id) through the index instead of
    counting and skipping rows, so page 1,000 costs what page 1 does."""
    position = decode_cursor(cursor)
    if position is not None:
        at, pk = position
        queryset = queryset.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(queryset.order_by("-at", "-pk")[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else ""
    return KeysetPage(rows[:size], next_cursor, position is None)
