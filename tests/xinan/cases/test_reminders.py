"""send_due_reminders under a frozen clock: once per period, escalations once, and two
workers at the same moment still send each reminder once."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tests.xinan.cases.conftest import HIGH_DANGER, PLAN_SCREEN
from xinan.cases.enums import CaseState, RiskLevel, TaskKind
from xinan.cases.models import Task
from xinan.cases.services import duties, records
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.reminders import send_due_reminders
from xinan.cases.services.workflow import transition_case
from xinan.notifications.models import Message, Notification

CHINA = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = dt.datetime(2026, 3, 9, 9, 0, tzinfo=CHINA)


def _task(case, assignee, *, due, kind=TaskKind.FOLLOW_UP, title="第 1 次回访"):
    return Task.objects.create(case=case, kind=kind, title=title, assignee=assignee, due_at=due)


def _reminders(user, template):
    """(in-app notices, SMS) of one kind sent to ``user``."""
    prefix = "已逾期" if template == "case_task_overdue" else "即将到期"
    return (
        Notification.objects.filter(user=user, title__startswith=prefix).count(),
        Message.objects.filter(recipient=user, template=template).count(),
    )


def _to_intervention(case, world):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    record_assessment(case, by=world.counsellor_a, ratings=HIGH_DANGER, screen=PLAN_SCREEN, level="red", in_crisis=True)
    transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a)


def _escalations(case):
    return Task.objects.filter(case=case, kind=TaskKind.ESCALATION)


@pytest.fixture
def tracked_case(case):
    case.state = CaseState.CARE_TRACKING
    case.save(update_fields=["state"])
    return case


# --- Overdue and due soon ----------------------------------------------------------------------
def test_overdue_follow_up_is_reminded_once_a_day(tracked_case, world):
    _task(tracked_case, world.class_teacher_a, due=MONDAY_9AM - dt.timedelta(hours=3))

    with time_machine.travel(MONDAY_9AM, tick=False):
        send_due_reminders()
        send_due_reminders()  # the next run ten minutes later, same day: nothing new
    with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=10), tick=False):
        send_due_reminders()  # 19:00 the same day in China
    assert _reminders(world.class_teacher_a, "case_task_overdue") == (1, 1)

    with time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False):
        send_due_reminders()
        send_due_reminders()
    assert _reminders(world.class_teacher_a, "case_task_overdue") == (2, 2)


def test_overdue_reminder_day_follows_china_time(tracked_case, world):
    """00:30 in China is still the previous day in UTC: that is a new day for the reminder."""
    _task(tracked_case, world.class_teacher_a, due=MONDAY_9AM - dt.timedelta(days=2))
    with time_machine.travel(dt.datetime(2026, 3, 9, 23, 50, tzinfo=CHINA), tick=False):
        send_due_reminders()
    with time_machine.travel(dt.datetime(2026, 3, 10, 0, 30, tzinfo=CHINA), tick=False):
        send_due_reminders()
    assert _reminders(world.class_teacher_a, "case_task_overdue") == (2, 2)


def test_task_due_within_a_day_gets_one_due_soon_reminder(tracked_case, world):
    _task(tracked_case, world.counsellor_a, due=MONDAY_9AM + dt.timedelta(hours=5))
    _task(tracked_case, world.counsellor_a2, due=MONDAY_9AM + dt.timedelta(hours=30))

    with time_machine.travel(MONDAY_9AM, tick=False):
        send_due_reminders()
    with time_machine.travel(MONDAY_9AM + dt.timedelta(hours=2), tick=False):
        send_due_reminders()

    assert _reminders(world.counsellor_a, "case_task_due") == (1, 1)
    assert _reminders(world.counsellor_a, "case_task_overdue") == (0, 0)
    assert _reminders(world.counsellor_a2, "case_task_due") == (0, 0)  # not yet within 24 h


def test_done_cancelled_and_closed_case_tasks_are_not_reminded(tracked_case, world):
    done = _task(tracked_case, world.counsellor_a, due=MONDAY_9AM - dt.timedelta(hours=1))
    done.done_at = MONDAY_9AM - dt.timedelta(hours=2)
    done.save()
    cancelled = _task(tracked_case, world.counsellor_a, due=MONDAY_9AM - dt.timedelta(hours=1))
    cancelled.cancelled_at = MONDAY_9AM - dt.timedelta(hours=2)
    cancelled.save()

    with time_machine.travel(MONDAY_9AM, tick=False):
        assert send_due_reminders() == 0


def test_sms_names_the_case_number_not_the_student(tracked_case, world, student):
    _task(tracked_case, world.class_teacher_a, due=MONDAY_9AM - dt.timedelta(hours=1))
    with time_machine.travel(MONDAY_9AM, tick=False):
        send_due_reminders()
    sms = Message.objects.get(recipient=world.class_teacher_a, template="case_task_overdue")
    assert tracked_case.reference in sms.body
    assert student.name not in sms.body


def test_long_task_title_still_fits_the_notice(tracked_case, world):
    """Plan steps come from templates and may be long; the notice title holds 120 characters
    (PostgreSQL refuses a longer one, which stopped the whole reminder run)."""
    _task(tracked_case, world.counsellor_a, due=MONDAY_9AM - dt.timedelta(hours=1), title="与监护人面谈" * 33)
    with time_machine.travel(MONDAY_9AM, tick=False):
        assert send_due_reminders() == 1
    notice = Notification.objects.get(user=world.counsellor_a, title__startswith="已逾期")
    assert len(notice.title) <= Notification._meta.get_field("title").max_length
    assert tracked_case.reference in notice.title


# --- Escalations -------------------------------------------------------------------------------
def test_red_case_without_guardian_contact_is_escalated_once(case, world, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_9AM, tick=False):
        _to_intervention(case, world)
    guardian_task = case.tasks.get(kind=TaskKind.GUARDIAN_CONTACT)
    assert guardian_task.due_at == MONDAY_9AM + dt.timedelta(hours=2)

    with (
        time_machine.travel(MONDAY_9AM + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
    assert not _escalations(case).exists()  # not late yet

    with (
        time_machine.travel(MONDAY_9AM + dt.timedelta(hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
        send_due_reminders()
    with (
        time_machine.travel(MONDAY_9AM + dt.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()

    escalation = _escalations(case).get()
    assert escalation.assignee == world.team_leader_a
    guardian_task.refresh_from_db()
    assert guardian_task.escalated_at == MONDAY_9AM + dt.timedelta(hours=3)
    assert Message.objects.filter(recipient=world.team_leader_a, template="case_escalation").count() == 1
    assert Notification.objects.filter(user=world.team_leader_a, title__startswith="逾期未完成").count() == 1


def test_yellow_case_without_guardian_contact_is_reminded_not_escalated(case, world):
    with time_machine.travel(MONDAY_9AM, tick=False):
        case.state, case.risk_level, case.level_changed_at = CaseState.CARE_TRACKING, RiskLevel.YELLOW, MONDAY_9AM
        case.save()
        duties.schedule(case, by=world.counsellor_a)
    assert case.tasks.filter(kind=TaskKind.GUARDIAN_CONTACT).exists()

    with time_machine.travel(MONDAY_9AM + dt.timedelta(days=4), tick=False):
        send_due_reminders()

    assert not _escalations(case).exists()
    assert _reminders(world.counsellor_a, "case_task_overdue")[0] >= 1


def test_referral_without_diagnosis_is_escalated_after_its_deadline(case, world, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_9AM, tick=False):
        _to_intervention(case, world)
        records.add_referral(case, by=world.counsellor_a, agency="某市精神卫生中心", department="心理科", reason="抑郁")
        transition_case(case, CaseState.REFERRED, by=world.counsellor_a)
    # The guardian was told in time: only the referral is late.
    case.tasks.filter(kind=TaskKind.GUARDIAN_CONTACT).update(done_at=MONDAY_9AM)
    waiting = case.tasks.get(kind=TaskKind.REFERRAL_DIAGNOSIS)

    with (
        time_machine.travel(waiting.due_at - dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
    assert not _escalations(case).exists()

    with (
        time_machine.travel(waiting.due_at + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_due_reminders()
        send_due_reminders()

    escalation = _escalations(case).get()
    assert escalation.assignee == world.team_leader_a
    assert "诊断" in escalation.title


def test_diagnosis_received_in_time_is_not_escalated(case, world):
    with time_machine.travel(MONDAY_9AM, tick=False):
        _to_intervention(case, world)
        referral = records.add_referral(case, by=world.counsellor_a, agency="某医院", department="", reason="评估")
        transition_case(case, CaseState.REFERRED, by=world.counsellor_a)
        case.tasks.filter(kind=TaskKind.GUARDIAN_CONTACT).update(done_at=MONDAY_9AM)
    with time_machine.travel(MONDAY_9AM + dt.timedelta(days=3), tick=False):
        records.record_diagnosis(referral, by=world.counsellor_a, diagnosis="适应障碍", advice="继续心理辅导")
    with time_machine.travel(MONDAY_9AM + dt.timedelta(days=20), tick=False):
        send_due_reminders()
    assert not _escalations(case).exists()


# --- Two workers at the same moment ------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_each_reminder_once(case, world):
    with time_machine.travel(MONDAY_9AM, tick=False):
        _to_intervention(case, world)  # a red case: guardian contact due at 11:00
    _task(case, world.class_teacher_a, due=MONDAY_9AM - dt.timedelta(hours=3))
    _task(case, world.counsellor_a2, due=MONDAY_9AM + dt.timedelta(hours=10))
    moment = MONDAY_9AM + dt.timedelta(hours=4)  # 13:00: everything is due, the guardian task is late
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait(timeout=10)
            send_due_reminders(now=moment)
        except Exception as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(moment, tick=False):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert _reminders(world.class_teacher_a, "case_task_overdue") == (1, 1)
    assert _reminders(world.counsellor_a2, "case_task_due") == (1, 1)
    assert _escalations(case).count() == 1
    assert Message.objects.filter(recipient=world.team_leader_a, template="case_escalation").count() == 1
    keys = list(Notification.objects.exclude(dedupe_key=None).values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
