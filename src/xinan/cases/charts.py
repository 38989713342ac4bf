"""Server-rendered SVG charts: no JavaScript, no external library, readable without colour."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from xinan.cases.enums import LEVEL_ORDER, RiskLevel

COLOURS = {
    RiskLevel.RED: "#d92d20",
    RiskLevel.ORANGE: "#f79009",
    RiskLevel.YELLOW: "#eaaa08",
    RiskLevel.BLUE: "#2e90fa",
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    colour: str
    label: str


def level_history(assessments, *, width: int = 600, height: int = 160) -> dict:
    """Points and a polyline for the risk level of each assessment, oldest first."""
    items = list(assessments)
    margin_left, margin = 90, 16
    rows = {level: margin + (height - 2 * margin) * (3 - LEVEL_ORDER.index(level)) / 3 for level in LEVEL_ORDER}
    if not items:
        return {"points": [], "polyline": "", "rows": rows, "width": width, "height": height, "left": margin_left}
    span = max((items[-1].at - items[0].at).total_seconds(), 1)
    points = []
    for item in items:
        level = RiskLevel(item.level)
        x = margin_left + (width - margin_left - margin) * (
            (item.at - items[0].at).total_seconds() / span if len(items) > 1 else 0.5
        )
        points.append(
            Point(
                round(x, 1), round(rows[level], 1), COLOURS[level], f"{timezone.localtime(item.at):%m-%d} {level.label}"
            )
        )
    return {
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "rows": [(level.label, round(y, 1)) for level, y in rows.items()],
        "width": width,
        "height": height,
        "left": margin_left,
    }
