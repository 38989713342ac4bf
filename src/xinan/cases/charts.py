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


MAX_TICKS = 6


def level_history(assessments, *, width: int = 600, height: int = 200) -> dict:
    """Points and a polyline for the risk level of each assessment, oldest first, with the date
    (China time) of up to six of them under the axis so the chart reads without hovering."""
    items = list(assessments)
    margin_left, margin, axis = 110, 16, 28  # room for the level names; room for the dates below
    plot = height - axis
    rows = {level: margin + (plot - 2 * margin) * (3 - LEVEL_ORDER.index(level)) / 3 for level in LEVEL_ORDER}
    empty = {"points": [], "polyline": "", "ticks": [], "width": width, "height": height, "left": margin_left}
    if not items:
        return empty | {"rows": [(level.label, round(y, 1)) for level, y in rows.items()], "axis_y": plot}
    span = max((items[-1].at - items[0].at).total_seconds(), 1)
    points = []
    for item in items:
        level = RiskLevel(item.level)
        x = margin_left + (width - margin_left - 2 * margin) * (
            (item.at - items[0].at).total_seconds() / span if len(items) > 1 else 0.5
        )
        local = timezone.localtime(item.at)
        points.append(Point(round(x, 1), round(rows[level], 1), COLOURS[level], f"{local:%m-%d} {level.label}"))
    shown = sorted({round(i * (len(points) - 1) / max(MAX_TICKS - 1, 1)) for i in range(min(len(points), MAX_TICKS))})
    ticks = [(points[i].x, points[i].label.split(" ", 1)[0]) for i in shown]
    return empty | {
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "rows": [(level.label, round(y, 1)) for level, y in rows.items()],
        "ticks": ticks,
        "axis_y": plot,
    }
