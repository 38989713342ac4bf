import datetime as dt

import pytest

from tests.xinan.cases.conftest import HIGH_DANGER, NO_DANGER, PLAN_SCREEN
from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState, RiskLevel, TaskKind
from xinan.cases.services import records, safety
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.errors import CaseError
from xinan.cases.services.workflow import ALLOWED_MOVES, transition_case


def _assess(case, by, *, crisis: bool):
    if crisis:
        return record_assessment(case, by=by, ratings=HIGH_DANGER, screen=PLAN_SCREEN, level="red", in_crisis=True)
    return record_assessment(case, by=by, ratings=NO_DANGER, screen={}, level="blue", in_crisis=False)


def test_reported_to_closed_is_refused(case, world):
    with pytest.raises(CaseError, match="不能从“已报告”直接转为“已结案”"):
        transition_case(case, CaseState.CLOSED, by=world.team_leader_a, outcome="resolved")
    case.refresh_from_db()
    assert case.state == CaseState.REPORTED


@pytest.mark.parametrize("src", list(CaseState))
def test_every_move_outside_the_table_is_refused(case, world, src):
    case.state = src
    case.save(update_fields=["state"])
    for to in set(CaseState) - ALLOWED_MOVES[src]:
        with pytest.raises(CaseError):
            transition_case(case, to, by=world.team_leader_a, reason="x", outcome="resolved")


def test_assessing_needs_an_assessment_before_leaving(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    with pytest.raises(CaseError, match="请先完成危机评估"):
        transition_case(case, CaseState.CARE_TRACKING, by=world.counsellor_a)


def test_not_in_crisis_goes_to_care_tracking_not_intervention(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    _assess(case, world.counsellor_a, crisis=False)
    with pytest.raises(CaseError, match="不处于危机状态"):
        transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a)
    transition_case(case, CaseState.CARE_TRACKING, by=world.counsellor_a)
    assert case.state == CaseState.CARE_TRACKING
    follow_up = case.tasks.get(kind=TaskKind.FOLLOW_UP)
    assert follow_up.assignee == world.class_teacher_a  # the class teacher follows up, with the counsellor's help


def test_escalation_from_care_tracking_needs_a_reason_and_tells_team_leader(
    case, world, django_capture_on_commit_callbacks
):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    _assess(case, world.counsellor_a, crisis=False)
    transition_case(case, CaseState.CARE_TRACKING, by=world.counsellor_a)
    with pytest.raises(CaseError, match="原因"):
        transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a)
    with django_capture_on_commit_callbacks(execute=True):
        transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a, reason="回访发现自伤")
    assert world.team_leader_a.notifications.filter(title__contains="进入危机干预").exists()


def test_every_move_is_a_row_and_an_audit_entry(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    rows = list(case.transitions.values_list("from_state", "to_state"))
    assert rows == [("", "reported"), ("reported", "assessing")]
    assert AuditEntry.objects.filter(action="xinan.case.transition", object_id=str(case.pk)).count() == 1


def test_stale_state_loses_with_a_clear_message(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    with pytest.raises(CaseError, match="刚刚已被他人更新"):
        transition_case(case, CaseState.ASSESSING, by=world.team_leader_a, expected_state=CaseState.REPORTED)


def _to_intervention(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    _assess(case, world.counsellor_a, crisis=True)
    transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a)


def test_red_case_cannot_leave_intervention_without_signed_plans(case, world):
    _to_intervention(case, world)
    with pytest.raises(CaseError) as info:
        transition_case(case, CaseState.AFTERCARE, by=world.counsellor_a)
    for missing in ("安全计划书", "监护人已签署", "转介记录", "善后跟踪方案"):
        assert missing in info.value.message


def test_full_red_case_path_to_closed(case, world):
    _to_intervention(case, world)
    plan = safety.save_safety_plan(
        case,
        by=world.counsellor_a,
        review_on=dt.date.today() + dt.timedelta(days=7),
        warning_signs="失眠",
        coping="听音乐",
        distractions="操场",
        helpers="室友",
        professionals="值班心理老师",
        environment="药品由家长保管",
    )
    safety.mark_safety_plan_signed(plan, by=world.counsellor_a)
    agreement = safety.create_guardian_agreement(case, by=world.counsellor_a)
    safety.mark_guardian_agreement_signed(agreement, by=world.counsellor_a)
    records.add_referral(case, by=world.counsellor_a, agency="某市精神卫生中心", department="心理科", reason="抑郁")
    transition_case(case, CaseState.REFERRED, by=world.counsellor_a)
    assert case.tasks.filter(kind=TaskKind.REFERRAL_DIAGNOSIS).exists()
    records.add_aftercare_plan(
        case,
        by=world.counsellor_a,
        plan="每周谈心",
        follow_up_every_days=7,
        until=dt.date.today() + dt.timedelta(days=60),
    )
    transition_case(case, CaseState.AFTERCARE, by=world.counsellor_a)
    with pytest.raises(CaseError, match="结案结果"):
        transition_case(case, CaseState.CLOSED, by=world.team_leader_a)
    transition_case(case, CaseState.CLOSED, by=world.team_leader_a, outcome="resolved")
    assert case.closed_at is not None
    assert not case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).exists()
    transition_case(case, CaseState.ASSESSING, by=world.team_leader_a, reason="复学后再次出现危机信号")
    assert case.closed_at is None


def test_assessment_override_needs_a_reason(case, world):
    with pytest.raises(CaseError, match="请写明理由"):
        record_assessment(
            case, by=world.counsellor_a, ratings=NO_DANGER, screen=PLAN_SCREEN, level="blue", in_crisis=False
        )
    record_assessment(
        case,
        by=world.counsellor_a,
        ratings=NO_DANGER,
        screen=PLAN_SCREEN,
        level="orange",
        in_crisis=True,
        override_reason="学生已取消计划，并有家长全天陪护",
    )
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.ORANGE


def test_red_level_schedules_guardian_contact_within_two_hours(case, world):
    _assess(case, world.counsellor_a, crisis=True)
    case.refresh_from_db()
    case.state = CaseState.INTERVENTION
    case.save(update_fields=["state"])
    from xinan.cases.services import duties

    duties.schedule(case, by=world.counsellor_a)
    task = case.tasks.get(kind=TaskKind.GUARDIAN_CONTACT)
    assert task.due_at - case.level_changed_at == dt.timedelta(hours=2)
    records.add_guardian_contact(
        case, by=world.counsellor_a, at=task.due_at, channel="phone", said="告知情况", response="informed"
    )
    task.refresh_from_db()
    assert task.done_at is not None


def test_guardian_refusal_needs_words_and_raises_a_task_for_team_leader(case, world):
    with pytest.raises(CaseError, match="原话"):
        records.add_guardian_contact(
            case, by=world.counsellor_a, at=case.opened_at, channel="phone", said="建议就医", response="refused"
        )
    records.add_guardian_contact(
        case,
        by=world.counsellor_a,
        at=case.opened_at,
        channel="phone",
        said="建议就医",
        response="refused",
        guardian_words="孩子没病，不用去医院",
    )
    assert case.tasks.filter(kind=TaskKind.ESCALATION, assignee=world.team_leader_a).count() == 1
