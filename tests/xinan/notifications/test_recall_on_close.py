"""Closing a case takes back what 企业微信 carried about it in the last 24 hours."""

from xinan.cases.enums import CaseState
from xinan.cases.services.workflow import transition_case
from xinan.notifications.enums import Channel, MessageStatus, Platform
from xinan.notifications.models import ChannelAccount
from xinan.notifications.services import outbox


def test_closing_a_case_recalls_its_wecom_reminders(case, world, wecom, django_capture_on_commit_callbacks):
    # Arrange: a reminder about the case went to the counsellor through the school's 企业微信.
    account = ChannelAccount.objects.create(
        organisation=world.school_a,
        platform=Platform.WECOM,
        app_key=wecom.CORP_ID,
        agent_id="1000002",
        app_secret=wecom.SECRET,
    )
    wecom.members[world.counsellor_a.phone] = "counsellor"
    message = outbox.queue_work_message(
        Channel.WECOM, account, world.counsellor_a.phone, "case_task_due", {"reference": case.reference}
    )
    outbox.deliver(message.pk, worker="w")
    case.state = CaseState.CARE_TRACKING
    case.save(update_fields=["state"])

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        transition_case(case, CaseState.CLOSED, by=world.team_leader_a, outcome="resolved")

    # Assert
    assert wecom.recalled == ["msg-1"]
    message.refresh_from_db()
    assert message.status == MessageStatus.RECALLED
