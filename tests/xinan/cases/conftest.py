"""The case fixtures live in tests/case_fixtures.py (shared with the end-to-end tests)."""

from tests.case_fixtures import HIGH_DANGER, NO_DANGER, PLAN_SCREEN

__all__ = ["HIGH_DANGER", "NO_DANGER", "PLAN_SCREEN"]
