"""Closed cases past their retention period: find them, destroy them, record that it happened.

A closed case is kept ``RETENTION_CASE_YEARS`` years after the later of the student's leaving
the school stage and the case's closing; after that it is destroyed (rows and stored files),
unless a legal hold is set. What is kept is a ``DestructionRecord`` with no content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinan.audit.services.record import record
from xinan.cases.enums import CaseState
from xinan.cases.models import Case
from xinan.crypto.files import delete_stored
from xinan.dossier.models import Document
from xinan.privacy.models import Consent
from xinan.retention.enums import AuditAction, CountedFrom, RecordKind, RetentionAction
from xinan.retention.models import DestructionRecord


@dataclass(frozen=True)
class DueCase:
    case_id: int
    reference: str
    school_id: int
    school_name: str
    closed_on: dt.date
    counted_from: str
    counted_from_date: dt.date
    due_on: dt.date


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def reference_hash(school_id: int, reference: str) -> str:
    return hashlib.sha256(f"case:{school_id}:{reference}".encode()).hexdigest()


def period_of(case: Case, years: int) -> tuple[str, dt.date, dt.date]:
    """(counted from, start date, last day kept) of a closed case."""
    closed_on = timezone.localdate(case.closed_at)
    left_on = case.student.left_on if case.student_id else None
    if left_on is not None and left_on > closed_on:
        kind, start = CountedFrom.LEFT, left_on
    else:
        kind, start = CountedFrom.CLOSED, closed_on
    return kind, start, add_years(start, years)


def find_due_cases(*, today: dt.date | None = None, years: int | None = None) -> list[DueCase]:
    """Closed cases whose period ended before ``today`` and that carry no legal hold."""
    today = today or timezone.localdate()
    years = years or settings.RETENTION_CASE_YEARS
    # Nothing closed within the period can be due, whatever the student's leaving date.
    latest_close = timezone.make_aware(dt.datetime.combine(add_years(today, -years), dt.time.max))
    candidates = (
        Case.objects.filter(state=CaseState.CLOSED, closed_at__isnull=False, legal_hold=False)
        .filter(closed_at__lte=latest_close)
        .select_related("school", "student")
        .order_by("closed_at", "pk")
    )
    due = []
    for case in candidates:
        kind, start, last_day = period_of(case, years)
        if today > last_day:
            due.append(
                DueCase(
                    case_id=case.pk,
                    reference=case.reference,
                    school_id=case.school_id,
                    school_name=case.school.name,
                    closed_on=timezone.localdate(case.closed_at),
                    counted_from=kind,
                    counted_from_date=start,
                    due_on=last_day,
                )
            )
    return due


def destroy_case(
    case_id: int, *, by_job: str, today: dt.date | None = None, years: int | None = None, action: str | None = None
) -> DestructionRecord | None:
    """Destroy one due case in one transaction; ``None`` when it is (no longer) due."""
    today = today or timezone.localdate()
    years = years or settings.RETENTION_CASE_YEARS
    action = RetentionAction(action or settings.RETENTION_ACTION)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("student").filter(pk=case_id).first()
        if case is None or case.state != CaseState.CLOSED or case.closed_at is None or case.legal_hold:
            return None
        kind, start, last_day = period_of(case, years)
        if today <= last_day:
            return None
        school, reference = case.school, case.reference
        storage_names = list(Document.objects.filter(case=case).values_list("storage_name", flat=True))
        # Consent proofs are files of the case too: they go with it.
        storage_names += [
            name for name in Consent.objects.filter(case=case).values_list("proof_storage_name", flat=True) if name
        ]
        counts: Counter[str] = Counter()
        # Documents first: they protect the plan versions and agreements they are scans of.
        _removed, per_model = Document.objects.filter(case=case).delete()
        counts.update(per_model)
        _removed, per_model = Case.objects.filter(pk=case.pk).delete()
        counts.update(per_model)
        for name in storage_names:
            delete_stored(name)
        entry = DestructionRecord.objects.create(
            kind=RecordKind.CASE,
            action=action,
            school=school,
            reference_hash=reference_hash(school.pk, reference),
            destroyed_at=timezone.now(),
            rule_years=years,
            counted_from=kind,
            counted_from_date=start,
            due_on=last_day,
            rows_removed=sum(counts.values()),
            files_removed=len(storage_names),
            counts=dict(sorted((label.lower(), n) for label, n in counts.items() if n))
            if action == RetentionAction.ANONYMISE
            else {},
            by_job=by_job[:40],
        )
        record(
            AuditAction.DESTROY,
            organisation=school,
            obj=entry,
            reason=f"{years}y from {kind} {start.isoformat()}; rows={entry.rows_removed} files={entry.files_removed}",
        )
    return entry


def destroy_due_cases(*, by_job: str, today: dt.date | None = None) -> list[DestructionRecord]:
    """Destroy every due case, each in its own transaction."""
    done = []
    for due in find_due_cases(today=today):
        entry = destroy_case(due.case_id, by_job=by_job, today=today)
        if entry is not None:
            done.append(entry)
    return done
