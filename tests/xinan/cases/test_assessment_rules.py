import pytest

from xinan.cases.enums import RiskLevel
from xinan.cases.services.assessment import dimension_level, screen_level, suggest_level

CALM = {"emotion": 0, "behaviour": 0, "social": 0, "coping": 0, "support": 0, "danger": 0}


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        ({}, None),
        ({"q1": True}, RiskLevel.YELLOW),
        ({"q1": True, "q2": True, "q3": True}, RiskLevel.ORANGE),
        ({"q2": True, "q4": True}, RiskLevel.RED),
        ({"q2": True, "q5": True}, RiskLevel.RED),
        ({"q6": True, "q6_recent": False}, RiskLevel.ORANGE),
        ({"q6": True, "q6_recent": True}, RiskLevel.RED),
    ],
)
def test_screen_level_follows_cssrs_triage(screen, expected):
    assert screen_level(screen) == expected


def test_dimension_level_danger_three_is_red():
    assert dimension_level(CALM | {"danger": 3}) == RiskLevel.RED


def test_dimension_level_total_bands():
    assert dimension_level(CALM) == RiskLevel.BLUE
    assert dimension_level(CALM | {"emotion": 2, "behaviour": 2, "social": 2}) == RiskLevel.YELLOW
    assert dimension_level({k: 2 for k in CALM} | {"danger": 1}) == RiskLevel.ORANGE


def test_suggest_level_takes_the_higher_of_screen_and_dimensions():
    assert suggest_level(CALM, {"q2": True, "q4": True}) == RiskLevel.RED
    assert suggest_level(CALM | {"danger": 2}, {"q1": True}) == RiskLevel.ORANGE
