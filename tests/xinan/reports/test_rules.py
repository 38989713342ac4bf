"""The list queries agree with the object rules, for every standard person and every state."""

import dataclasses

import pytest

from xinan.cases.enums import CaseState
from xinan.organisations.models import Organisation
from xinan.reports.enums import ReportStatus
from xinan.reports.services.queries import cases_to_draft_from, reports_for_user

from .conftest import make_report


def _people(world):
    return [
        value
        for field in dataclasses.fields(world)
        if not isinstance(value := getattr(world, field.name), Organisation)
    ]


@pytest.mark.parametrize("status", list(ReportStatus))
def test_reports_for_user_matches_view_report(world, status):
    reports = [
        make_report(world.counsellor_a, world.school_a, status=status),
        make_report(world.class_teacher_a, world.school_a, status=status),
        make_report(world.counsellor_b, world.school_b, status=status),
    ]
    for user in _people(world):
        listed = set(reports_for_user(user).values_list("pk", flat=True))
        allowed = {report.pk for report in reports if user.has_perm("reports.view_report", report)}
        assert listed == allowed, user.pk


@pytest.mark.parametrize("state", list(CaseState))
def test_cases_to_draft_from_matches_the_rule(world, closed_case, state):
    closed_case.state = state
    closed_case.save(update_fields=["state"])
    for user in _people(world):
        listed = cases_to_draft_from(user).filter(pk=closed_case.pk).exists()
        assert listed == user.has_perm("reports.draft_from_case", closed_case), user.pk
        if state != CaseState.CLOSED:
            assert not listed


def test_only_the_author_changes_a_report(world):
    report = make_report(world.counsellor_a, world.school_a)
    for user in _people(world):
        assert user.has_perm("reports.change_report", report) is (user == world.counsellor_a)
