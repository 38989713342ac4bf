"""The year's coverage per audience: activities, people reached, share of the target group.
One aggregate query whatever the number of activities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from xinan.cases.services.stats import BarChart, Series, bar_chart
from xinan.training.enums import KIND_COLOURS, ActivityKind, Audience
from xinan.training.models import TrainingActivity


@dataclass
class AudienceCoverage:
    audience: str
    label: str
    activities: int
    people: int
    by_kind: dict[str, int]  # people reached per kind
    reached_of_known_target: int  # attendance of the activities whose target group size is known
    target: int  # sum of those target sizes

    @property
    def share(self) -> float | None:
        """Share of the target group reached, in per cent (None when no target size is known)."""
        if not self.target:
            return None
        return round(100 * self.reached_of_known_target / self.target, 1)


@dataclass
class Coverage:
    year: int
    rows: list[AudienceCoverage]
    chart: BarChart

    @property
    def activities(self) -> int:
        return sum(row.activities for row in self.rows)

    @property
    def people(self) -> int:
        return sum(row.people for row in self.rows)


def year_coverage(activities: QuerySet[TrainingActivity], year: int) -> Coverage:
    known = Q(target_size__isnull=False)
    grouped = (
        activities.filter(held_on__year=year)
        .order_by()
        .values("audience", "kind")
        .annotate(
            n=Count("pk"),
            people=Sum("attendance"),
            reached=Sum("attendance", filter=known),
            target=Sum("target_size", filter=known),
        )
    )
    rows = {
        audience: AudienceCoverage(audience.value, audience.label, 0, 0, dict.fromkeys(ActivityKind.values, 0), 0, 0)
        for audience in Audience
    }
    for item in grouped:
        row = rows[Audience(item["audience"])]
        row.activities += item["n"]
        row.people += item["people"] or 0
        row.by_kind[item["kind"]] += item["people"] or 0
        row.reached_of_known_target += item["reached"] or 0
        row.target += item["target"] or 0
    ordered = list(rows.values())
    series = [
        Series(kind.value, kind.label, KIND_COLOURS[kind], [row.by_kind[kind.value] for row in ordered])
        for kind in ActivityKind
    ]
    chart = bar_chart([row.label for row in ordered], series, width=480, height=220)
    return Coverage(year, ordered, chart)
