"""Which channels carry a notice: the person's choice per kind, the school's default, SMS
otherwise; urgent kinds by SMS as well; sign-in codes always by SMS."""

from tests.factories import person
from xinan.notifications.enums import Channel, NoticeKind
from xinan.notifications.models import Message, NoticePreference
from xinan.notifications.services import outbox
from xinan.organisations.enums import Role


def _channels():
    return sorted(Message.objects.values_list("channel", flat=True))


def test_without_a_choice_or_a_school_platform_a_notice_goes_by_sms(channel_school):
    counsellor = person(Role.COUNSELLOR, channel_school)
    outbox.queue_sms(counsellor.phone, "case_task_due", {"reference": "GX-1"}, user=counsellor)
    assert _channels() == [Channel.SMS]


def test_a_chosen_platform_carries_a_task_reminder_alone(channel_school, wecom_account):
    # Arrange
    counsellor = person(Role.COUNSELLOR, channel_school)
    NoticePreference.objects.create(user=counsellor, kind=NoticeKind.CASE_TASK, channel=Channel.WECOM)

    # Act
    message = outbox.queue_sms(counsellor.phone, "case_task_due", {"reference": "GX-1"}, user=counsellor)

    # Assert
    assert message.channel == Channel.WECOM
    assert message.account == wecom_account
    assert _channels() == [Channel.WECOM]


def test_an_urgent_case_alert_goes_by_sms_as_well_and_pings_the_robot_once(channel_school, wecom_account):
    # Arrange: two team leaders who chose 企业微信 for case alerts; the school has a group robot.
    leaders = [person(Role.TEAM_LEADER, channel_school), person(Role.DEPUTY_LEADER, channel_school)]
    for leader in leaders:
        NoticePreference.objects.create(user=leader, kind=NoticeKind.CASE_ALERT, channel=Channel.WECOM)

    # Act
    for leader in leaders:
        outbox.queue_sms(
            leader.phone, "case_first_report", {"reference": "GX-1"}, user=leader, dedupe_key=f"k{leader.pk}"
        )

    # Assert: per leader one 企业微信 message and one SMS; one content-free ping for the school.
    assert _channels() == sorted([Channel.WECOM, Channel.SMS] * 2 + [Channel.WECOM_ROBOT])
    ping = Message.objects.get(channel=Channel.WECOM_ROBOT)
    assert "GX-1" not in ping.body
    assert ping.template == "robot_ping"


def test_a_choice_the_school_cannot_carry_falls_back_to_sms(channel_school):
    counsellor = person(Role.COUNSELLOR, channel_school)
    NoticePreference.objects.create(user=counsellor, kind=NoticeKind.CASE_TASK, channel=Channel.DINGTALK)
    outbox.queue_sms(counsellor.phone, "case_task_due", {"reference": "GX-1"}, user=counsellor)
    assert _channels() == [Channel.SMS]


def test_the_school_default_applies_to_people_without_a_choice(channel_school, dingtalk_account):
    dingtalk_account.is_default = True
    dingtalk_account.save()
    counsellor = person(Role.COUNSELLOR, channel_school)
    outbox.queue_sms(counsellor.phone, "case_task_overdue", {"reference": "GX-1"}, user=counsellor)
    assert _channels() == [Channel.DINGTALK]


def test_a_sign_in_code_always_goes_by_sms(channel_school, wecom_account):
    # Arrange: a person who chose 企业微信 for everything.
    counsellor = person(Role.COUNSELLOR, channel_school)
    for kind in NoticeKind.values:
        NoticePreference.objects.create(user=counsellor, kind=kind, channel=Channel.WECOM)

    # Act
    outbox.queue_sms(
        counsellor.phone, "login_code", {"code": "123456", "minutes": 5}, user=counsellor, sensitive=("code",)
    )

    # Assert
    assert _channels() == [Channel.SMS]


def test_a_dedupe_key_holds_across_the_channels(channel_school, wecom_account):
    leader = person(Role.TEAM_LEADER, channel_school)
    NoticePreference.objects.create(user=leader, kind=NoticeKind.CASE_ALERT, channel=Channel.WECOM)
    for _ in range(2):
        outbox.queue_sms(leader.phone, "case_escalation", {"reference": "GX-1"}, user=leader, dedupe_key="esc-1")
    assert sorted(Message.objects.exclude(channel=Channel.WECOM_ROBOT).values_list("dedupe_key", flat=True)) == [
        "esc-1",
        "esc-1:sms",
    ]
