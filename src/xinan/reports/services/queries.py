"""List queries beside the object rules of ``rules.py``. Views never filter reports by hand."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from xinan.cases.enums import FULL_ACCESS_CASE_ROLES, CaseState
from xinan.cases.models import Case, CaseMember
from xinan.cases.services.queries import OVERSEER_ROLES as CASE_OVERSEER_ROLES
from xinan.cases.services.queries import school_ids
from xinan.organisations.enums import CRISIS_TEAM_ROLES
from xinan.reports.enums import ReportStatus
from xinan.reports.models import CaseReport
from xinan.reports.rules import AUTHOR_ROLES, OVERSEER_ROLES


def author_school_ids(user) -> list[int]:
    """Schools where the user may write reports, in the order their roles were granted."""
    from xinan.organisations.services.queries import held_roles

    seen: list[int] = []
    for held in held_roles(user):
        if held.role in AUTHOR_ROLES and held.school_id and held.school_id not in seen:
            seen.append(held.school_id)
    return seen


def reports_for_user(user) -> QuerySet[CaseReport]:
    """Reports the user may read (mirrors ``reports.view_report``)."""
    if not getattr(user, "is_authenticated", False):
        return CaseReport.objects.none()
    return CaseReport.objects.filter(
        Q(author=user, school_id__in=school_ids(user, AUTHOR_ROLES))
        | Q(school_id__in=school_ids(user, OVERSEER_ROLES))
        | Q(school_id__in=school_ids(user, CRISIS_TEAM_ROLES), status=ReportStatus.READY)
    )


def own_reports(user) -> QuerySet[CaseReport]:
    """The author's own reports ("我的案例报告")."""
    return reports_for_user(user).filter(author=user)


def cases_to_draft_from(user) -> QuerySet[Case]:
    """Closed cases the user worked on (mirrors ``reports.draft_from_case``)."""
    if not getattr(user, "is_authenticated", False) or not author_school_ids(user):
        return Case.objects.none()
    on_case = CaseMember.objects.filter(
        case=OuterRef("pk"), user=user, removed_at__isnull=True, role__in=FULL_ACCESS_CASE_ROLES
    )
    return Case.objects.filter(
        Q(school_id__in=school_ids(user, CASE_OVERSEER_ROLES)) | Q(assigned_counsellor=user) | Q(Exists(on_case)),
        school_id__in=school_ids(user),
        state=CaseState.CLOSED,
    )
