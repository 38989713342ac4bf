"""企业微信 application messages and the group robot, against a stand-in on loopback."""

import datetime as dt

from django.utils import timezone

from tests.xinan.notifications.channel_fixtures import PHONE
from xinan.notifications.enums import Channel, MessageStatus
from xinan.notifications.models import Message
from xinan.notifications.services import outbox


def _case_notice(account, phone=PHONE, **kwargs):
    return outbox.queue_work_message(
        Channel.WECOM, account, phone, "case_task_due", {"reference": "GX-2026-0007"}, **kwargs
    )


def test_a_case_notice_goes_to_the_member_as_a_confidential_message(wecom, wecom_account):
    # Arrange
    wecom.members[PHONE] = "zhangsan"
    message = _case_notice(wecom_account)

    # Act
    sent = outbox.deliver(message.pk, worker="w")

    # Assert
    assert sent is True
    body = wecom.sent[0]
    assert body["touser"] == "zhangsan"
    assert body["agentid"] == 1000002
    assert body["safe"] == 1
    assert "GX-2026-0007" in body["text"]["content"]
    assert "http" in body["text"]["content"]  # a link to the platform
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_id) == (MessageStatus.SENT, "wecom", "msg-1")


def test_a_notice_not_about_a_case_is_not_confidential(wecom, wecom_account):
    wecom.members[PHONE] = "zhangsan"
    message = outbox.queue_work_message(Channel.WECOM, wecom_account, PHONE, "campaign_returned", {"title": "某案例"})
    outbox.deliver(message.pk, worker="w")
    assert wecom.sent[0]["safe"] == 0


def test_the_token_is_fetched_once_and_the_userid_looked_up_once(wecom, wecom_account):
    # Arrange
    wecom.members[PHONE] = "zhangsan"
    first, second = _case_notice(wecom_account), _case_notice(wecom_account)

    # Act
    outbox.deliver(first.pk, worker="w")
    outbox.deliver(second.pk, worker="w")

    # Assert
    assert wecom.tokens_issued == 1
    assert wecom.lookups == [PHONE]
    assert len(wecom.sent) == 2


def test_an_expired_token_is_fetched_again_and_the_call_repeated(wecom, wecom_account):
    # Arrange: the first token expires (42001) after the first message.
    wecom.members[PHONE] = "zhangsan"
    first, second = _case_notice(wecom_account), _case_notice(wecom_account)
    outbox.deliver(first.pk, worker="w")
    wecom.expired_tokens.add("tok-1")

    # Act
    sent = outbox.deliver(second.pk, worker="w")

    # Assert
    assert sent is True
    assert wecom.tokens_issued == 2
    assert len(wecom.sent) == 2


def test_an_unknown_phone_fails_and_is_not_looked_up_again(wecom, wecom_account):
    # Arrange: nobody in the corp has this phone.
    first, second = _case_notice(wecom_account), _case_notice(wecom_account)

    # Act
    outbox.deliver(first.pk, worker="w")
    outbox.deliver(second.pk, worker="w")

    # Assert: one lookup only (the platform blocks applications with many invalid lookups); no
    # retry can find the person, so each notice fails at once and goes by SMS instead.
    assert wecom.lookups == [PHONE]
    assert wecom.sent == []
    first.refresh_from_db()
    assert first.status == MessageStatus.FAILED
    assert "invalid_user" in first.last_error
    fallbacks = Message.objects.filter(channel=Channel.SMS).order_by("pk")
    assert [m.dedupe_key for m in fallbacks] == [f"fallback-{first.pk}", f"fallback-{second.pk}"]
    assert "GX-2026-0007" in fallbacks[0].body


def test_lookups_pause_when_too_many_phones_were_unknown_today(wecom, wecom_account):
    # Arrange: 20 lookups today, 4 of them misses (20 %): above the 15 % ceiling.
    from django.core.cache import cache

    day = timezone.localdate().isoformat()
    cache.set(f"wecom:lookups:{wecom_account.pk}:{day}", 20)
    cache.set(f"wecom:misses:{wecom_account.pk}:{day}", 4)
    wecom.members[PHONE] = "zhangsan"
    message = _case_notice(wecom_account)

    # Act
    outbox.deliver(message.pk, worker="w")

    # Assert
    assert wecom.lookups == []
    message.refresh_from_db()
    assert "lookup_paused" in message.last_error


def test_an_unlicensed_member_fails_the_message(wecom, wecom_account):
    wecom.members[PHONE] = "zhangsan"
    wecom.not_licensed.add("zhangsan")
    message = _case_notice(wecom_account)
    outbox.deliver(message.pk, worker="w")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "unlicensed_user" in message.last_error
    assert Message.objects.filter(channel=Channel.SMS, dedupe_key=f"fallback-{message.pk}").exists()


def test_the_thirty_first_message_a_minute_to_one_person_is_deferred_not_dropped(wecom, wecom_account):
    # Arrange: 30 messages to this person claimed in the last minute.
    wecom.members[PHONE] = "zhangsan"
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            channel=Channel.WECOM,
            account=wecom_account,
            template="case_task_due",
            to_address=PHONE,
            body="x",
            status=MessageStatus.SENT,
            claimed_at=now - dt.timedelta(seconds=30 - i),
        )
        for i in range(30)
    )
    message = _case_notice(wecom_account)

    # Act
    sent = outbox.deliver(message.pk, worker="w")

    # Assert: queued again for later, the try not counted, nothing sent.
    assert sent is False
    assert wecom.sent == []
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 0
    assert message.claimed_at is None
    assert message.next_attempt_at > now
    assert "wecom_person_limit" in message.last_error


def test_a_rate_limit_answer_defers_the_message(wecom, wecom_account):
    wecom.members[PHONE] = "zhangsan"
    wecom.rate_limited = True
    message = _case_notice(wecom_account)
    assert outbox.deliver(message.pk, worker="w") is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    assert "wecom_45009" in message.last_error


def test_a_case_closed_recalls_what_was_sent_about_it_today(wecom, wecom_account):
    # Arrange: two messages about the case, one about another case, one sent two days ago.
    wecom.members[PHONE] = "zhangsan"
    about = [_case_notice(wecom_account), _case_notice(wecom_account)]
    other = outbox.queue_work_message(Channel.WECOM, wecom_account, PHONE, "case_task_due", {"reference": "GX-9"})
    for message in [*about, other]:
        outbox.deliver(message.pk, worker="w")
    Message.objects.filter(pk=about[1].pk).update(sent_at=timezone.now() - dt.timedelta(days=2))

    # Act
    recalled = outbox.recall_case_messages("GX-2026-0007", reason="个案已结案")

    # Assert
    assert recalled == 1
    assert wecom.recalled == ["msg-1"]
    about[0].refresh_from_db()
    assert about[0].status == MessageStatus.RECALLED
    from xinan.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="xinan.message.recall").count() == 1


def test_the_robot_posts_only_a_content_free_ping(wecom, wecom_account):
    # Arrange
    message = outbox.queue_robot_ping(Channel.WECOM_ROBOT, wecom_account)

    # Act
    outbox.deliver(message.pk, worker="w")

    # Assert
    assert len(wecom.robot_posts) == 1
    assert "有新的待办，请登录平台查看" in wecom.robot_posts[0]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_robot_refuses_anything_but_the_ping(wecom, wecom_account):
    # Arrange: a row written by hand with case content, bypassing queue_robot_ping.
    message = Message.objects.create(
        channel=Channel.WECOM_ROBOT,
        account=wecom_account,
        template="case_first_report",
        to_address="robot",
        body="个案 GX-1 学生某某",
    )

    # Act
    outbox.deliver(message.pk, worker="w")

    # Assert
    assert wecom.robot_posts == []
    message.refresh_from_db()
    assert "robot_content_refused" in message.last_error


def test_the_twenty_first_robot_ping_a_minute_waits(wecom, wecom_account):
    # Arrange: 20 pings claimed in the last minute.
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            channel=Channel.WECOM_ROBOT,
            account=wecom_account,
            template="robot_ping",
            to_address="robot",
            body="x",
            status=MessageStatus.SENT,
            claimed_at=now - dt.timedelta(seconds=50 - i),
        )
        for i in range(20)
    )
    message = outbox.queue_robot_ping(Channel.WECOM_ROBOT, wecom_account)

    # Act
    sent = outbox.deliver(message.pk, worker="w")

    # Assert: deferred until the oldest of the 20 leaves the window (about 10 s), nothing posted.
    assert sent is False
    assert wecom.robot_posts == []
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert dt.timedelta(seconds=5) < message.next_attempt_at - now < dt.timedelta(seconds=15)


def test_a_passing_failure_is_retried_through_wecom_not_sent_by_sms(wecom, wecom_account, settings):
    # Arrange: the platform answers an unknown error once (e.g. a system error): worth a retry.
    settings.MESSAGE_MAX_ATTEMPTS = 5
    message = Message.objects.create(
        channel=Channel.WECOM, account=wecom_account, template="case_task_due", to_address=PHONE, body="x"
    )
    wecom_account.app_secret = "wrong-secret"  # gettoken answers 40013
    wecom_account.save()

    # Act
    outbox.deliver(message.pk, worker="w")

    # Assert
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert "wecom_40013" in message.last_error
    assert not Message.objects.filter(channel=Channel.SMS).exists()


def test_a_resent_wecom_message_goes_through_the_same_application(wecom, wecom_account):
    # Arrange: a message that failed for a passing reason, resent by hand.
    from tests.factories import UserFactory

    wecom.members[PHONE] = "zhangsan"
    message = _case_notice(wecom_account)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)

    # Act
    copy = outbox.resend(message, by=UserFactory())
    outbox.deliver(copy.pk, worker="w")

    # Assert
    copy.refresh_from_db()
    assert copy.account == wecom_account
    assert (copy.status, copy.provider) == (MessageStatus.SENT, "wecom")


def test_lookups_and_misses_are_counted_per_day(wecom, wecom_account):
    # Arrange: one known and one unknown phone.
    from django.core.cache import cache

    wecom.members[PHONE] = "zhangsan"
    known = _case_notice(wecom_account)
    unknown = _case_notice(wecom_account, phone="13912345678")

    # Act
    outbox.deliver(known.pk, worker="w")
    outbox.deliver(unknown.pk, worker="w")

    # Assert: the counts the pause is decided on.
    day = timezone.localdate().isoformat()
    assert cache.get(f"wecom:lookups:{wecom_account.pk}:{day}") == 2
    assert cache.get(f"wecom:misses:{wecom_account.pk}:{day}") == 1
