"""Campaign statistics for national and provincial admins: submissions, recommendations and
selections by province, school type, trigger, crisis nature and outcome.

Counted in the database (one grouped query per dimension, whatever the number of rows);
numbers only, never a name or a title. A provincial admin's figures cover their province.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xinan.campaigns.enums import Outcome, SubmissionState
from xinan.campaigns.models import Campaign, Submission
from xinan.campaigns.services.categories import suggest_category
from xinan.cases.services.stats import BarChart, Series, bar_chart
from xinan.organisations.enums import Role, SchoolType
from xinan.organisations.services.queries import held_roles
from xinan.spreadsheets import excel_safe

# Filed at least once and not taken back: what "submissions" counts.
COUNTED_STATES = [
    SubmissionState.SUBMITTED,
    SubmissionState.RETURNED,
    SubmissionState.REJECTED,
    SubmissionState.APPROVED,
    SubmissionState.RECOMMENDED,
    SubmissionState.SELECTED,
]
RECOMMENDED_STATES = [SubmissionState.RECOMMENDED, SubmissionState.SELECTED]
COLOURS = {"submitted": "#0072b2", "recommended": "#e69f00", "selected": "#009e73"}


@dataclass
class Row:
    label: str
    submitted: int
    recommended: int
    selected: int


@dataclass
class Breakdown:
    key: str
    title: str
    column: str
    rows: list[Row]
    chart: BarChart

    @property
    def totals(self) -> Row:
        return Row(
            _("合计"),
            sum(r.submitted for r in self.rows),
            sum(r.recommended for r in self.rows),
            sum(r.selected for r in self.rows),
        )


@dataclass
class CampaignStatistics:
    campaign: Campaign
    scope_label: str
    total: Row
    breakdowns: list[Breakdown]


def statistics_scope(user) -> tuple[bool, set[int]] | None:
    """(national, province ids) for a user who may see statistics; None for anyone else."""
    roles = held_roles(user)
    if any(held.role == Role.NATIONAL_ADMIN for held in roles):
        return True, set()
    provinces = {held.organisation_id for held in roles if held.role == Role.PROVINCIAL_ADMIN}
    return (False, provinces) if provinces else None


def may_see_statistics(user) -> bool:
    return statistics_scope(user) is not None


def counted_submissions(user, campaign: Campaign) -> QuerySet[Submission]:
    scope = statistics_scope(user)
    if scope is None:
        return Submission.objects.none()
    national, provinces = scope
    submissions = Submission.objects.filter(campaign=campaign, state__in=COUNTED_STATES)
    return submissions if national else submissions.filter(school__parent_id__in=provinces)


def _grouped(submissions: QuerySet[Submission], *fields: str) -> list[dict]:
    return list(
        submissions.order_by()
        .values(*fields)
        .annotate(
            submitted=Count("pk"),
            recommended=Count("pk", filter=Q(state__in=RECOMMENDED_STATES)),
            selected=Count("pk", filter=Q(state=SubmissionState.SELECTED)),
        )
    )


def _row(label: str, counts: dict | None) -> Row:
    counts = counts or {}
    return Row(label, counts.get("submitted", 0), counts.get("recommended", 0), counts.get("selected", 0))


def _ordered(counts: dict[str, dict], known: list[tuple[str, str]]) -> list[Row]:
    """Known categories first, in their order (zeros shown), then other values as written,
    then the blank ones."""
    rows = [_row(label, counts.get(value)) for value, label in known]
    known_values = {value for value, _label in known}
    others = sorted(value for value in counts if value and value not in known_values)
    rows += [_row(value, counts[value]) for value in others]
    if "" in counts:
        rows.append(_row(_("未填写"), counts[""]))
    return rows


def _folded(counts: dict[str, dict], categories: list[str]) -> dict[str, dict]:
    """Free words written before the categories were enforced ("自杀") counted in the campaign's
    category they mean ("轻生自杀"), so one category is never split over two rows."""
    folded: dict[str, dict] = {}
    for value, row in counts.items():
        key = value if not value or value in categories else (suggest_category(value, categories) or value)
        into = folded.setdefault(key, {"submitted": 0, "recommended": 0, "selected": 0})
        for name in ("submitted", "recommended", "selected"):
            into[name] += row.get(name, 0)
    return folded


def _breakdown(key: str, title: str, column: str, rows: list[Row]) -> Breakdown:
    series = [
        Series("submitted", _("申报"), COLOURS["submitted"], [r.submitted for r in rows]),
        Series("recommended", _("推荐"), COLOURS["recommended"], [r.recommended for r in rows]),
        Series("selected", _("入选"), COLOURS["selected"], [r.selected for r in rows]),
    ]
    width = max(720, 48 * len(rows))
    return Breakdown(key, title, column, rows, bar_chart([r.label for r in rows], series, width=width, stacked=False))


def campaign_statistics(user, campaign: Campaign) -> CampaignStatistics:
    """Five small grouped queries: by province, school type, trigger, nature and outcome."""
    submissions = counted_submissions(user, campaign)
    by_province = sorted(
        _grouped(submissions, "school__parent_id", "school__parent__name"), key=lambda r: r["school__parent__name"]
    )
    province_rows = [_row(r["school__parent__name"], r) for r in by_province]

    def by(field: str) -> dict[str, dict]:
        return {row[field] or "": row for row in _grouped(submissions, field)}

    breakdowns = [
        _breakdown("province", _("按省份"), _("省份"), province_rows),
        _breakdown(
            "school_type",
            _("按学校类型"),
            _("学校类型"),
            _ordered(by("school__school_type"), list(SchoolType.choices)),
        ),
        _breakdown(
            "trigger",
            _("按诱发事件"),
            _("诱发事件"),
            _ordered(_folded(by("trigger"), campaign.triggers), [(t, t) for t in campaign.triggers]),
        ),
        _breakdown(
            "nature",
            _("按危机性质"),
            _("危机性质"),
            _ordered(_folded(by("nature"), campaign.natures), [(n, n) for n in campaign.natures]),
        ),
        _breakdown("outcome", _("按干预结果"), _("干预结果"), _ordered(by("outcome"), list(Outcome.choices))),
    ]
    scope = statistics_scope(user)
    scope_label = _("全国") if scope and scope[0] else "、".join(r.label for r in province_rows) or _("本省")
    total = breakdowns[0].totals
    return CampaignStatistics(campaign, scope_label, total, breakdowns)


def statistics_workbook(stats: CampaignStatistics) -> bytes:
    """One sheet per breakdown: label, submissions, recommendations, selections, and a total."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = [_("申报数"), _("推荐数"), _("入选数")]
    for breakdown in stats.breakdowns:
        sheet = workbook.create_sheet(excel_safe(breakdown.title)[:31])
        sheet.append([excel_safe(stats.campaign.title)])
        sheet.append([breakdown.column, *headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in [*breakdown.rows, breakdown.totals]:
            sheet.append([excel_safe(str(row.label)), row.submitted, row.recommended, row.selected])
        sheet.column_dimensions["A"].width = 28
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
