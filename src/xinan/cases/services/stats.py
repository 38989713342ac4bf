"""Aggregations for the crisis team's dashboard: counts by level and state, due work,
recent moves, escalations and monthly counts. Each function is one query whatever the
number of rows, and the charts carry numbers only, never a name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from xinan.cases.enums import (
    LEVEL_DUTIES,
    LEVEL_ORDER,
    OPEN_STATES,
    STATE_COLOURS,
    CaseState,
    GuardianResponse,
    ObservationCategory,
    RiskLevel,
)
from xinan.cases.models import Case, GuardianContact, MoveRequest, Referral, Task, Transition
from xinan.cases.services.duties import REFERRAL_DIAGNOSIS_WITHIN
from xinan.cases.services.queries import cases_for_user, school_ids, team_tasks_for_user
from xinan.organisations.enums import CRISIS_TEAM_ROLES

DUE_WITHIN = dt.timedelta(hours=24)
TASK_LIMIT = 50
TRANSITION_LIMIT = 20
ESCALATION_LIMIT = 50
MONTHS = 12
# Highest risk first, as the team reads the table; "not yet assessed" last.
LEVEL_ROWS = [*reversed(LEVEL_ORDER), ""]
OPEN_COLUMNS = [state for state in CaseState if state in OPEN_STATES]
CHART_COLOURS = {
    RiskLevel.RED: "#d92d20",
    RiskLevel.ORANGE: "#f79009",
    RiskLevel.YELLOW: "#eaaa08",
    RiskLevel.BLUE: "#2e90fa",
    "": "#9aa5b1",
}
# Categories need eight tones that stay apart in print and for colour-blind readers (Okabe–Ito).
CATEGORY_COLOURS = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#7b8794"]


def may_see_dashboard(user) -> bool:
    """Fixed crisis-team members of a school, and anyone who may read a case."""
    return bool(school_ids(user, CRISIS_TEAM_ROLES)) or cases_for_user(user).exists()


# --- Open cases by level and state ---------------------------------------------------------
@dataclass
class MatrixRow:
    level: str
    label: str
    colour: str
    cells: list[int]
    total: int


@dataclass
class Matrix:
    columns: list[tuple[str, str, str]]  # (state, label, colour)
    rows: list[MatrixRow]
    column_totals: list[int]
    total: int


def open_case_matrix(cases: QuerySet[Case]) -> Matrix:
    counts = {
        (row["risk_level"], row["state"]): row["n"]
        for row in cases.filter(state__in=OPEN_STATES).order_by().values("risk_level", "state").annotate(n=Count("pk"))
    }
    rows = []
    for level in LEVEL_ROWS:
        cells = [counts.get((level, state), 0) for state in OPEN_COLUMNS]
        label = RiskLevel(level).label if level else _("待评估")
        rows.append(MatrixRow(level, label, level or "grey", cells, sum(cells)))
    columns = [(state.value, state.label, STATE_COLOURS[state]) for state in OPEN_COLUMNS]
    column_totals = [sum(row.cells[i] for row in rows) for i in range(len(OPEN_COLUMNS))]
    return Matrix(columns, rows, column_totals, sum(column_totals))


# --- Due and overdue tasks across the team -------------------------------------------------
@dataclass
class DueWork:
    tasks: list[Task]
    overdue: int
    due_soon: int


def due_tasks(user, *, now: dt.datetime, within: dt.timedelta = DUE_WITHIN, limit: int = TASK_LIMIT) -> DueWork:
    """Open tasks of the team due within ``within`` or overdue, most overdue first, with who is on them."""
    due = team_tasks_for_user(user).filter(due_at__lte=now + within, case__state__in=OPEN_STATES)
    counts = due.aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)), due_soon=Count("pk", filter=Q(due_at__gte=now))
    )
    tasks = list(
        due.order_by("due_at", "pk").only(
            "kind",
            "title",
            "due_at",
            "case__id",
            "case__reference",
            "case__risk_level",
            "assignee__id",
            "assignee__name",
        )[:limit]
    )
    for task in tasks:
        task.overdue = task.due_at < now
    return DueWork(tasks, counts["overdue"], counts["due_soon"])


# --- Recent transitions --------------------------------------------------------------------
def recent_transitions(cases: QuerySet[Case], *, limit: int = TRANSITION_LIMIT) -> list[Transition]:
    # The case numbers come in a second small query: joining the case table here made PostgreSQL
    # hash-join a scan of every case of the deployment (17 ms at 40,000 cases instead of 2 ms).
    return list(
        Transition.objects.filter(case__in=cases)
        .select_related("by")
        .prefetch_related(Prefetch("case", queryset=Case.objects.only("reference")))
        .only("at", "from_state", "to_state", "case_id", "by__id", "by__name")
        .order_by("-at", "-pk")[:limit]
    )


# --- Escalations ---------------------------------------------------------------------------
@dataclass
class Escalations:
    red_without_guardian: list[Case] = field(default_factory=list)
    referrals_waiting: list[Referral] = field(default_factory=list)
    moves_waiting: list[MoveRequest] = field(default_factory=list)
    unassigned: list[Case] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.red_without_guardian)
            + len(self.referrals_waiting)
            + len(self.moves_waiting)
            + len(self.unassigned)
        )


def red_cases_without_guardian_contact(cases: QuerySet[Case], *, now: dt.datetime) -> list[Case]:
    """Open red cases whose guardian has not been told within the level's deadline."""
    within = LEVEL_DUTIES[RiskLevel.RED].guardian_within
    told = GuardianContact.objects.filter(
        case=OuterRef("pk"),
        at__gte=OuterRef("level_changed_at"),
        response__in=[GuardianResponse.INFORMED, GuardianResponse.AGREED],
    )
    return list(
        cases.filter(state__in=OPEN_STATES, risk_level=RiskLevel.RED, level_changed_at__lt=now - within)
        .exclude(Exists(told))
        .select_related("assigned_counsellor")
        .only("reference", "level_changed_at", "state", "assigned_counsellor__id", "assigned_counsellor__name")
        .order_by("level_changed_at", "pk")[:ESCALATION_LIMIT]
    )


def referrals_without_diagnosis(cases: QuerySet[Case], *, now: dt.datetime) -> list[Referral]:
    """Referrals of open cases with no diagnosis back after the usual wait."""
    return list(
        Referral.objects.filter(
            case__in=cases.filter(state__in=OPEN_STATES),
            diagnosis_received_at__isnull=True,
            referred_at__lt=now - REFERRAL_DIAGNOSIS_WITHIN,
        )
        .select_related("case")
        .only("referred_at", "agency", "department", "case__id", "case__reference")
        .order_by("referred_at", "pk")[:ESCALATION_LIMIT]
    )


def moves_waiting_for_approval(cases: QuerySet[Case]) -> list[MoveRequest]:
    """Requests to close or re-open a case that wait for the team leader or the coordinator."""
    return list(
        MoveRequest.objects.filter(case__in=cases, decided_at__isnull=True)
        .select_related("case", "requested_by")
        .only("to_state", "requested_at", "case__id", "case__reference", "requested_by__id", "requested_by__name")
        .order_by("requested_at", "pk")[:ESCALATION_LIMIT]
    )


def unassigned_cases(cases: QuerySet[Case]) -> list[Case]:
    """Open cases with no counsellor (a school without a duty counsellor): flagged at once."""
    return list(
        cases.filter(state__in=OPEN_STATES, assigned_counsellor__isnull=True)
        .only("reference", "opened_at", "categories", "state")
        .order_by("opened_at", "pk")[:ESCALATION_LIMIT]
    )


def escalations(cases: QuerySet[Case], *, now: dt.datetime) -> Escalations:
    return Escalations(
        red_cases_without_guardian_contact(cases, now=now),
        referrals_without_diagnosis(cases, now=now),
        moves_waiting_for_approval(cases),
        unassigned_cases(cases),
    )


# --- Counts per month ----------------------------------------------------------------------
@dataclass
class Series:
    key: str
    label: str
    colour: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def cells(self):
        """The row's table cells in one piece (a dozen numbers per row, several rows per page)."""
        return format_html_join("", '<td class="num">{}</td>', ((value,) for value in self.values))


@dataclass
class Monthly:
    months: list[str]  # "2026-03"
    by_category: list[Series]
    by_level: list[Series]
    totals: list[int]  # cases opened per month (a case with two categories counts once here)


def _month_starts(now: dt.datetime, months: int) -> list[dt.date]:
    today = timezone.localdate(now)
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def monthly_counts(cases: QuerySet[Case], *, now: dt.datetime, months: int = MONTHS) -> Monthly:
    """Cases opened per month over the last ``months`` months (local time), by observation
    category and by risk level. One small query: the month is taken in Python, so the same
    code runs on SQLite and PostgreSQL."""
    starts = _month_starts(now, months)
    first = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    index = {(start.year, start.month): i for i, start in enumerate(starts)}
    categories = {value: [0] * months for value in ObservationCategory.values}
    levels = {level: [0] * months for level in LEVEL_ROWS}
    totals = [0] * months
    rows = cases.filter(opened_at__gte=first, opened_at__lte=now).values_list("opened_at", "categories", "risk_level")
    for opened_at, case_categories, level in rows.order_by():
        local = timezone.localtime(opened_at)
        i = index.get((local.year, local.month))
        if i is None:
            continue
        totals[i] += 1
        levels.setdefault(level or "", [0] * months)[i] += 1
        for category in set(case_categories or []):
            if category in categories:
                categories[category][i] += 1
    by_category = [
        Series(value, label, CATEGORY_COLOURS[n % len(CATEGORY_COLOURS)], categories[value])
        for n, (value, label) in enumerate(ObservationCategory.choices)
    ]
    by_level = [
        Series(level or "none", RiskLevel(level).label if level else _("待评估"), CHART_COLOURS[level], levels[level])
        for level in LEVEL_ROWS
    ]
    return Monthly([f"{start:%Y-%m}" for start in starts], by_category, by_level, totals)


# --- Bar charts (server-rendered SVG) ------------------------------------------------------
def _n(value: float) -> str:
    """SVG coordinates as plain strings: the template then skips number localisation
    (hundreds of numbers per chart made it the slowest part of the page)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Rect:
    x: str
    y: str
    width: str
    height: str
    colour: str
    title: str


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    bottom: int
    rects: list[Rect]
    labels: list[tuple[str, str]]  # x of the group's centre, label
    ticks: list[tuple[str, str]]  # y, value
    legend: list[tuple[str, str]]  # colour, label
    max_value: int

    @property
    def bars(self):
        """The bars as SVG markup, escaped, in one piece: rendering each attribute through the
        template engine cost more than the dashboard's queries."""
        return format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            ((r.x, r.y, r.width, r.height, r.colour, r.title) for r in self.rects),
        )


def bar_chart(
    labels: list[str], series: list[Series], *, width: int = 720, height: int = 220, stacked=True
) -> BarChart:
    """Geometry for a bar chart: stacked bars per label (or grouped when ``stacked`` is false).

    The template draws it; every bar carries a <title> with its number, and the page gives
    the same numbers as a table, so the chart is never the only way to read them.
    """
    left, right, top, bottom = 36, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    groups = max(len(labels), 1)
    if stacked:
        peak = max([sum(s.values[i] for s in series) for i in range(len(labels))] or [0])
    else:
        peak = max([max(s.values, default=0) for s in series] or [0])
    peak = max(peak, 1)
    slot = plot_w / groups
    bar_w = slot * 0.7 if stacked else slot * 0.8 / max(len(series), 1)
    rects = []
    for i, label in enumerate(labels):
        base = top + plot_h
        x0 = left + slot * i + slot * (0.15 if stacked else 0.1)
        for k, item in enumerate(series):
            value = item.values[i]
            if not value:
                continue
            h = plot_h * value / peak
            x = x0 if stacked else x0 + bar_w * k
            y = base - h if stacked else top + plot_h - h
            rects.append(
                Rect(
                    _n(x),
                    _n(y),
                    _n(bar_w),
                    _n(h),
                    item.colour,
                    f"{label} {item.label}: {value}",
                )
            )
            if stacked:
                base -= h
    step = max(1, _nice_step(peak))
    ticks = [(_n(top + plot_h - plot_h * v / peak), str(v)) for v in range(0, peak + 1, step)]
    return BarChart(
        width=width,
        height=height,
        left=left,
        bottom=top + plot_h,
        rects=rects,
        labels=[(_n(left + slot * (i + 0.5)), label) for i, label in enumerate(labels)],
        ticks=ticks,
        legend=[(item.colour, item.label) for item in series],
        max_value=peak,
    )


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if peak / step <= 5:
            return step
    return peak // 5 or 1


# --- The whole dashboard -------------------------------------------------------------------
@dataclass
class Dashboard:
    matrix: Matrix
    due: DueWork
    transitions: list[Transition]
    escalations: Escalations
    monthly: Monthly
    category_chart: BarChart
    level_chart: BarChart


def team_dashboard(user, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    cases = cases_for_user(user, now=now)
    monthly = monthly_counts(cases, now=now)
    short = [month[2:] for month in monthly.months]  # "26-03": twelve labels fit a phone
    return Dashboard(
        matrix=open_case_matrix(cases),
        due=due_tasks(user, now=now),
        transitions=recent_transitions(cases),
        escalations=escalations(cases, now=now),
        monthly=monthly,
        category_chart=bar_chart(short, monthly.by_category),
        level_chart=bar_chart(short, monthly.by_level),
    )
