"""Guardian notices (告知书): SMS without crisis details, delivery status on the case page,
refusal and missed deadline go to the team leader (once), role matrix, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.cases.enums import NoticePurpose, NoticeResponse, TaskKind
from xinan.cases.models import GuardianNotice, Task
from xinan.cases.services import notices_guardian
from xinan.cases.services.reminders import send_due_reminders
from xinan.notifications.enums import Channel, MessageStatus
from xinan.notifications.models import Message

DENIED = "xinan.access.denied"
ALLOWED = {"counsellor_a", "team_leader_a", "coordinator_a"}
PEOPLE = [*sorted(ALLOWED), "counsellor_a2", "staff_a", "counsellor_b", "provincial_admin_a"]


def _guardian(case):
    return case.student.guardians.first()


def _send(case, world, purpose=NoticePurpose.CRISIS_FOUND):
    guardian = _guardian(case)
    text = notices_guardian.prefill(case, purpose, guardian=guardian)
    return notices_guardian.send_notice(case, by=world.counsellor_a, guardian=guardian, purpose=purpose, text=text)


def _leader_tasks(case, marker: str):
    return Task.objects.filter(case=case, kind=TaskKind.ESCALATION, duty_key__contains=marker)


def test_prefill_has_school_and_student_but_no_report_details(world, case):
    text = notices_guardian.prefill(case, NoticePurpose.CRISIS_FOUND, guardian=_guardian(case))
    assert case.school.name in text
    assert case.student.name in text
    assert "${" not in text
    assert "收到告别短信" not in text  # what the reporter observed stays in the case


def test_send_queues_sms_without_crisis_details(world, case):
    notice = _send(case, world)
    message = Message.objects.get(pk=notice.message_id)
    assert message.channel == Channel.SMS
    assert message.to_address == "13912340000"
    assert message.template == "guardian_notice"
    assert case.school.name in message.body
    for detail in (case.student.name, "危机", "风险", "收到告别短信", case.reference):
        assert detail not in message.body
    assert AuditEntry.objects.filter(action="xinan.case.notice.send").count() == 1
    # The outbox never sends the same notice twice.
    assert Message.objects.filter(dedupe_key=f"guardian-notice-{notice.pk}").count() == 1


def test_case_page_shows_sms_delivery_status(client, world, case):
    notice = _send(case, world)
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-test="case-notices"' in page
    assert str(MessageStatus.QUEUED.label) in page
    Message.objects.filter(pk=notice.message_id).update(status=MessageStatus.SENT)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert str(MessageStatus.SENT.label) in page


def test_refusal_raises_team_leader_task(client, world, case):
    notice = _send(case, world)
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("cases:notice_response", args=[case.pk, notice.pk]),
        {
            "response": NoticeResponse.REFUSED,
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "guardian_words": "孩子没事，不用你们管",
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.response == NoticeResponse.REFUSED
    assert notice.guardian_words == "孩子没事，不用你们管"
    tasks = _leader_tasks(case, f"notice-refusal-{notice.pk}")
    assert [t.assignee for t in tasks] == [world.team_leader_a]
    assert AuditEntry.objects.filter(action="xinan.case.notice.response").count() == 1


def test_acknowledgement_raises_no_task(world, case):
    notice = _send(case, world)
    notices_guardian.record_response(
        notice, by=world.counsellor_a, response=NoticeResponse.ACKNOWLEDGED, channel="phone"
    )
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert not Task.objects.filter(case=case, kind=TaskKind.ESCALATION, duty_key__contains="notice").exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        send_due_reminders()
    assert not Task.objects.filter(case=case, kind=TaskKind.ESCALATION, duty_key__contains="notice").exists()


def test_no_acknowledgement_past_deadline_raises_one_task(world, case):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notice = _send(case, world)
    assert notices_guardian.deadline_for(case) == dt.timedelta(hours=24)  # the case has no level yet
    with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
        send_due_reminders()
    assert not _leader_tasks(case, f"notice-unacknowledged-{notice.pk}").exists()
    with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
        send_due_reminders()
        send_due_reminders()
    tasks = _leader_tasks(case, f"notice-unacknowledged-{notice.pk}")
    assert tasks.count() == 1
    assert tasks.get().assignee == world.team_leader_a


def test_deadline_follows_level(world, case):
    case.risk_level = "red"
    case.save(update_fields=["risk_level"])
    assert notices_guardian.deadline_for(case) == dt.timedelta(hours=2)


def _views(case, notice):
    return [
        ("get", reverse("cases:notice_send", args=[case.pk])),
        ("get", reverse("cases:notice_response", args=[case.pk, notice.pk])),
        ("get", reverse("cases:notice_print", args=[case.pk, notice.pk])),
    ]


@pytest.mark.parametrize("who", PEOPLE)
def test_notice_views_role_matrix(client, world, case, who):
    notice = _send(case, world)
    client.force_login(getattr(world, who))
    for _method, url in _views(case, notice):
        before = AuditEntry.objects.filter(action=DENIED).count()
        response = client.get(url)
        if who in ALLOWED:
            assert response.status_code == 200, url
            assert AuditEntry.objects.filter(action=DENIED).count() == before
        else:
            assert response.status_code == 404, url
            assert AuditEntry.objects.filter(action=DENIED).count() == before + 1
            assert AuditEntry.objects.filter(action=DENIED).latest("pk").actor == getattr(world, who)


@pytest.mark.parametrize("who", PEOPLE)
def test_notice_send_post_role_matrix(client, world, case, who):
    guardian = _guardian(case)
    client.force_login(getattr(world, who))
    data = {"guardian": guardian.pk, "purpose": NoticePurpose.REFERRAL_ADVISED, "text": "请尽快陪同孩子就医。"}
    response = client.post(reverse("cases:notice_send", args=[case.pk]), data)
    if who in ALLOWED:
        assert response.status_code == 302
        assert GuardianNotice.objects.filter(case=case).count() == 1
    else:
        assert response.status_code == 404
        assert not GuardianNotice.objects.exists()
        assert not Message.objects.filter(template="guardian_notice").exists()


def test_print_page_shows_text(client, world, case):
    notice = _send(case, world)
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:notice_print", args=[case.pk, notice.pk])).content.decode()
    assert case.student.name in page
    assert AuditEntry.objects.filter(action="xinan.case.notice.print").count() == 1


def test_send_prefills_per_purpose(client, world, case):
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:notice_send", args=[case.pk]) + "?purpose=return_conditions").content.decode()
    assert "返校复学" in page


def test_bad_input_gives_400_in_chinese(client, world, case):
    client.force_login(world.counsellor_a)
    url = reverse("cases:notice_send", args=[case.pk])
    response = client.post(url, {"guardian": _guardian(case).pk, "purpose": "crisis_found", "text": "  "})
    assert response.status_code == 400
    assert "请填写告知书内容" in response.content.decode()
    response = client.post(url, {"guardian": "", "purpose": "nonsense", "text": "内容"})
    assert response.status_code == 400
    assert "请选择接收告知书的监护人" in response.content.decode()
    assert not GuardianNotice.objects.exists()

    notice = _send(case, world)
    response = client.post(
        reverse("cases:notice_response", args=[case.pk, notice.pk]),
        {"response": "refused", "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "phone"},
    )
    assert response.status_code == 400
    assert "请记录监护人的原话" in response.content.decode()
    notice.refresh_from_db()
    assert notice.response == ""


def test_response_recorded_only_once(client, world, case):
    notice = _send(case, world)
    notices_guardian.record_response(notice, by=world.counsellor_a, response=NoticeResponse.ACKNOWLEDGED)
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("cases:notice_response", args=[case.pk, notice.pk]),
        {
            "response": "refused",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "guardian_words": "不",
        },
    )
    assert response.status_code == 400
    assert "不能重复记录" in response.content.decode()
