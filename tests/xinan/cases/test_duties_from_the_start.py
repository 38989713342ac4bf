"""Duties start with the report: every new report gets an "评估" task with a deadline for the
duty counsellor, and the level's tasks follow from the first assessment, even while the case is
still "reported"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.xinan.cases.conftest import HIGH_DANGER, PLAN_SCREEN
from xinan.cases.enums import CaseState, TaskKind
from xinan.cases.models import SchoolCrisisSettings, Task
from xinan.cases.services import records
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.reminders import send_due_reminders
from xinan.cases.services.reporting import file_first_report


def _report(world, student, categories):
    return file_first_report(
        school=world.school_a, reporter=world.staff_a, student=student, categories=categories, observed="见到"
    ).case


@pytest.mark.parametrize(("categories", "hours"), [(["self_harm"], 2), (["sudden_event"], 24)])
def test_new_report_gets_an_assessment_task_for_the_duty_counsellor(world, student, categories, hours):
    # Arrange
    SchoolCrisisSettings.objects.create(school=world.school_a, duty_counsellor=world.counsellor_a2)
    before = timezone.now()

    # Act
    case = _report(world, student, categories)

    # Assert
    task = Task.objects.get(case=case, kind=TaskKind.ASSESSMENT)
    assert task.assignee == world.counsellor_a2
    assert abs((task.due_at - before).total_seconds() - hours * 3600) < 60
    assert not task.is_overdue()


def test_without_a_duty_counsellor_the_team_leader_must_assign_and_the_task_follows(world, student):
    # Arrange
    case = _report(world, student, ["suicide_talk"])
    task = Task.objects.get(case=case, kind=TaskKind.ASSESSMENT)

    # Act
    records.assign_counsellor(case, world.counsellor_a, by=world.team_leader_a)

    # Assert
    assert task.assignee == world.team_leader_a
    assert "未分配" in task.title
    task.refresh_from_db()
    assert task.assignee == world.counsellor_a


def test_the_first_assessment_completes_the_task(world, case):
    # Arrange
    task = Task.objects.get(case=case, kind=TaskKind.ASSESSMENT)

    # Act
    record_assessment(case, by=world.counsellor_a, ratings=HIGH_DANGER, screen=PLAN_SCREEN, level="red", in_crisis=True)

    # Assert
    task.refresh_from_db()
    assert task.done_by == world.counsellor_a


def test_red_assessment_of_a_reported_case_creates_the_levels_tasks(world, case):
    # Arrange
    assert case.state == CaseState.REPORTED

    # Act
    record_assessment(case, by=world.counsellor_a, ratings=HIGH_DANGER, screen=PLAN_SCREEN, level="red", in_crisis=True)

    # Assert
    case.refresh_from_db()
    open_kinds = set(case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).values_list("kind", flat=True))
    assert {TaskKind.GUARDIAN_CONTACT, TaskKind.FOLLOW_UP, TaskKind.REASSESSMENT} <= open_kinds
    guardian = case.tasks.get(kind=TaskKind.GUARDIAN_CONTACT)
    assert guardian.due_at == case.level_changed_at + dt.timedelta(hours=2)
    assert guardian.assignee == world.counsellor_a


def test_an_assessment_nobody_made_in_time_reaches_the_team_leader(world, case):
    # Arrange
    task = Task.objects.get(case=case, kind=TaskKind.ASSESSMENT)

    # Act
    send_due_reminders(now=task.due_at + dt.timedelta(minutes=1))

    # Assert
    escalation = case.tasks.get(kind=TaskKind.ESCALATION)
    assert escalation.assignee == world.team_leader_a


def test_an_unassigned_report_is_flagged_on_the_leaders_dashboard_at_once(client, world, student):
    # Arrange
    case = _report(world, student, ["self_harm"])
    client.force_login(world.team_leader_a)

    # Act
    before = client.get(reverse("cases:dashboard")).content.decode()
    records.assign_counsellor(case, world.counsellor_a, by=world.team_leader_a)
    after = client.get(reverse("cases:dashboard")).content.decode()

    # Assert
    flagged = before.split('data-test="dash-unassigned"')[1].split("</ul>")[0]
    assert case.reference in flagged
    assert "未分配" in flagged
    assert case.reference not in after.split('data-test="dash-unassigned"')[1].split("</ul>")[0]
