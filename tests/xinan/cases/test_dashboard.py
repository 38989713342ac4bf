import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState, GuardianResponse, ObservationCategory, RiskLevel, TaskKind
from xinan.cases.models import Case, GuardianContact, Referral, Task, Transition
from xinan.cases.services import stats

URL = reverse("cases:dashboard")


def _make_case(world, student, n: int, *, level=RiskLevel.RED, state=CaseState.INTERVENTION, opened_days_ago=3):
    """A case of school A assigned to counsellor A, with moves, tasks and an unanswered referral."""
    now = timezone.now()
    opened = now - dt.timedelta(days=opened_days_ago)
    case = Case.objects.create(
        school=world.school_a,
        reference=f"2026-{n:04d}",
        student=student,
        state=state,
        risk_level=level,
        categories=[ObservationCategory.SELF_HARM, ObservationCategory.SUICIDE_TALK],
        assigned_counsellor=world.counsellor_a,
        opened_at=opened,
        level_changed_at=opened + dt.timedelta(hours=1),
        created_by=world.staff_a,
    )
    for src, to in [("", CaseState.REPORTED), (CaseState.REPORTED, CaseState.ASSESSING), (CaseState.ASSESSING, state)]:
        Transition.objects.create(case=case, from_state=src, to_state=to, by=world.counsellor_a, at=opened)
    Task.objects.create(
        case=case,
        kind=TaskKind.FOLLOW_UP,
        title="回访",
        assignee=world.class_teacher_a,
        due_at=now - dt.timedelta(hours=5),
    )
    Task.objects.create(
        case=case,
        kind=TaskKind.REASSESSMENT,
        title="复评",
        assignee=world.counsellor_a,
        due_at=now + dt.timedelta(hours=5),
    )
    Task.objects.create(
        case=case,
        kind=TaskKind.REASSESSMENT,
        title="下月复评",
        assignee=world.counsellor_a,
        due_at=now + dt.timedelta(days=20),
    )
    Referral.objects.create(
        case=case,
        agency="某市精神卫生中心",
        reason="抑郁",
        by=world.counsellor_a,
        referred_at=now - dt.timedelta(days=20),
    )
    return case


# --- Role matrix ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("team_leader_a", 200),
        ("coordinator_a", 200),
        ("counsellor_a", 200),
        ("counsellor_a2", 200),  # a fixed team member with no case of their own: an empty board
        ("health_teacher_a", 200),
        ("counsellor_b", 200),
        ("class_teacher_a", 404),
        ("staff_a", 404),
        ("filer_a", 404),
        ("provincial_admin_a", 404),
        ("national_admin", 404),
        ("reviewer_a", 404),
    ],
)
def test_dashboard_role_matrix(client, world, case, who, status):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.count()

    response = client.get(URL)

    assert response.status_code == status
    if status == 404:
        assert AuditEntry.objects.filter(action="xinan.access.denied").count() == 1
        assert AuditEntry.objects.count() == before + 1
    else:
        assert AuditEntry.objects.filter(action="xinan.case.dashboard.view", actor=getattr(world, who)).count() == 1


def test_dashboard_needs_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302


def test_dashboard_shows_only_cases_the_user_may_read(client, world, student):
    _make_case(world, student, 1)
    client.force_login(world.counsellor_a2)  # same school, not on the case

    response = client.get(URL)

    assert b"2026-0001" not in response.content
    assert response.context["board"].matrix.total == 0


# --- Content ---------------------------------------------------------------------------------
def test_dashboard_counts_open_cases_by_level_and_state(client, world, student):
    _make_case(world, student, 1)
    _make_case(world, student, 2, level=RiskLevel.YELLOW, state=CaseState.CARE_TRACKING)
    _make_case(world, student, 3, state=CaseState.CLOSED)
    client.force_login(world.team_leader_a)

    board = client.get(URL).context["board"]

    cells = {
        (row.level, col[0]): n
        for row in board.matrix.rows
        for col, n in zip(board.matrix.columns, row.cells, strict=True)
    }
    assert cells[("red", "intervention")] == 1
    assert cells[("yellow", "care_tracking")] == 1
    assert board.matrix.total == 2  # the closed case is not open


def test_dashboard_lists_due_and_overdue_tasks_with_who_is_on_them(client, world, student):
    _make_case(world, student, 1)
    client.force_login(world.team_leader_a)

    response = client.get(URL)

    due = response.context["board"].due
    assert (due.overdue, due.due_soon) == (1, 1)  # the task due in 20 days is not shown
    assert [t.title for t in due.tasks] == ["回访", "复评"]
    assert world.class_teacher_a.name in response.content.decode()


def test_dashboard_raises_red_case_without_guardian_contact_and_waiting_referral(client, world, student):
    waiting = _make_case(world, student, 1)
    told = _make_case(world, student, 2)
    GuardianContact.objects.create(
        case=told,
        at=told.level_changed_at + dt.timedelta(minutes=30),
        channel="phone",
        by=world.counsellor_a,
        said="告知",
        response=GuardianResponse.INFORMED,
    )
    Referral.objects.filter(case=told).update(diagnosis_received_at=timezone.now())
    client.force_login(world.team_leader_a)

    board = client.get(URL).context["board"]

    assert [c.reference for c in board.escalations.red_without_guardian] == [waiting.reference]
    assert [r.case_id for r in board.escalations.referrals_waiting] == [waiting.pk]


def test_dashboard_shows_the_last_twenty_transitions(client, world, student):
    for n in range(1, 9):
        _make_case(world, student, n)  # 24 transitions
    client.force_login(world.team_leader_a)

    board = client.get(URL).context["board"]

    assert len(board.transitions) == 20


def test_dashboard_charts_carry_numbers_not_names(client, world, student):
    _make_case(world, student, 1)
    client.force_login(world.team_leader_a)

    response = client.get(URL)

    html = response.content.decode()
    assert student.name not in html  # references only, never the student's name
    svgs = html.split("<svg")[1:]
    assert svgs, "charts are drawn"
    for svg in svgs:
        assert world.counsellor_a.name not in svg
    monthly = response.context["board"].monthly
    this_month = {s.key: s.values[-1] for s in monthly.by_category}
    assert this_month["self_harm"] == 1
    assert this_month["suicide_talk"] == 1
    assert {s.key: s.values[-1] for s in monthly.by_level}["red"] == 1
    assert 'data-test="table-by-category"' in html
    assert 'data-test="table-by-level"' in html


def test_monthly_counts_cover_twelve_months_and_drop_older_cases(world, student):
    _make_case(world, student, 1, opened_days_ago=400)
    _make_case(world, student, 2, opened_days_ago=40)

    monthly = stats.monthly_counts(Case.objects.all(), now=timezone.now())

    assert len(monthly.months) == 12
    assert sum(monthly.totals) == 1


def test_bar_chart_stacks_values_within_the_plot():
    series = [stats.Series("a", "甲", "#000", [1, 0, 3]), stats.Series("b", "乙", "#fff", [2, 0, 1])]

    chart = stats.bar_chart(["01", "02", "03"], series)

    assert chart.max_value == 4
    assert len(chart.rects) == 4  # zero values draw nothing
    assert all(float(r.y) >= 10 and float(r.y) + float(r.height) <= chart.bottom + 0.2 for r in chart.rects)


# --- Query count -----------------------------------------------------------------------------
@pytest.mark.parametrize("cases", [1, 3])
def test_dashboard_query_count_does_not_grow_with_cases(client, world, student, django_assert_max_num_queries, cases):
    for n in range(1, cases + 1):
        _make_case(world, student, n)
    client.force_login(world.team_leader_a)

    with django_assert_max_num_queries(20):  # 15 + audit alerts + moves waiting + unassigned + setup tasks (2)
        response = client.get(URL)

    assert response.status_code == 200
    assert response.context["board"].matrix.total == cases
