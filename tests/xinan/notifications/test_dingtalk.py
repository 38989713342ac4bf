"""钉钉 work notices (with getsendresult) and the custom robot, against a stand-in on loopback."""

import base64
import hashlib
import hmac

from django.utils import timezone

from tests.xinan.notifications.channel_fixtures import PHONE
from xinan.notifications.backends.dingtalk import robot_sign
from xinan.notifications.enums import Channel, Delivery, MessageStatus
from xinan.notifications.models import Message
from xinan.notifications.services import outbox, receipts


def _notice(account, template="case_task_due", reference="GX-2026-0007"):
    return outbox.queue_work_message(Channel.DINGTALK, account, PHONE, template, {"reference": reference})


def test_robot_sign_matches_an_independent_computation():
    # The documented recipe: Base64(HMAC-SHA256(key=secret, "timestamp\nsecret")).
    secret, timestamp = "SEC0123456789abcdef", 1577808000000
    expected = base64.b64encode(
        hmac.new(secret.encode(), b"1577808000000\nSEC0123456789abcdef", hashlib.sha256).digest()
    ).decode()
    assert robot_sign(secret, timestamp) == expected


def test_a_work_notice_is_sent_and_its_read_state_pulled_back(dingtalk, dingtalk_account):
    # Arrange
    dingtalk.members[PHONE] = "lisi"
    message = _notice(dingtalk_account)

    # Act: sent, then the result is polled (unread), then the person reads it.
    assert outbox.deliver(message.pk, worker="w") is True
    receipts.poll_dingtalk_results()
    message.refresh_from_db()
    unread = message.delivery
    task_id = int(message.provider_id)
    dingtalk.results[task_id]["unread_user_id_list"] = []
    dingtalk.results[task_id]["read_user_id_list"] = ["lisi"]
    receipts.poll_dingtalk_results()

    # Assert
    assert dingtalk.sent[0]["userid_list"] == "lisi"
    assert "GX-2026-0007" in dingtalk.sent[0]["msg"]["text"]["content"]
    assert unread == Delivery.UNREAD
    message.refresh_from_db()
    assert (message.provider, message.delivery) == ("dingtalk", Delivery.READ)


def test_a_repeated_reminder_is_varied_so_it_is_delivered(dingtalk, dingtalk_account):
    # Arrange: the same reminder twice on one day.
    dingtalk.members[PHONE] = "lisi"
    first, second = _notice(dingtalk_account), _notice(dingtalk_account)

    # Act
    outbox.deliver(first.pk, worker="w")
    outbox.deliver(second.pk, worker="w")
    receipts.poll_dingtalk_results()

    # Assert: different texts, neither forbidden by the once-a-day rule.
    contents = [body["msg"]["text"]["content"] for body in dingtalk.sent]
    assert len(contents) == 2
    assert contents[0] != contents[1]
    second.refresh_from_db()
    assert second.body == contents[1]  # the row keeps what was sent
    assert second.delivery == Delivery.UNREAD


def test_an_accepted_but_forbidden_notice_is_marked_undelivered_and_goes_by_sms(dingtalk, dingtalk_account):
    # Arrange: the platform accepts the notice but puts the person in the forbidden list (over a limit).
    dingtalk.members[PHONE] = "lisi"
    message = _notice(dingtalk_account)
    outbox.deliver(message.pk, worker="w")
    message.refresh_from_db()
    result = dingtalk.results[int(message.provider_id)]
    result["unread_user_id_list"] = []
    result["forbidden_user_id_list"] = ["lisi"]
    result["forbidden_list"] = [{"code": "143105", "count": 1, "userid": "lisi"}]

    # Act
    receipts.poll_dingtalk_results()
    receipts.poll_dingtalk_results()  # a second poll neither changes it nor queues a second SMS

    # Assert
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.delivery == Delivery.UNDELIVERED
    assert "143105" in message.delivery_detail
    fallback = Message.objects.filter(channel=Channel.SMS).get()
    assert fallback.dedupe_key == f"fallback-{message.pk}"
    assert "GX-2026-0007" in fallback.body


def test_an_invalid_token_is_fetched_again(dingtalk, dingtalk_account):
    # Arrange: a token the platform no longer knows.
    from django.core.cache import cache

    from xinan.notifications.backends.dingtalk import DingtalkClient

    dingtalk.members[PHONE] = "lisi"
    cache.set(DingtalkClient(dingtalk_account).token_key, "stale-token")
    message = _notice(dingtalk_account)

    # Act
    sent = outbox.deliver(message.pk, worker="w")

    # Assert
    assert sent is True
    assert dingtalk.tokens_issued == 1


def test_an_unknown_phone_fails_the_notice(dingtalk, dingtalk_account):
    message = _notice(dingtalk_account)
    assert outbox.deliver(message.pk, worker="w") is False
    message.refresh_from_db()
    assert "invalid_user" in message.last_error
    assert dingtalk.sent == []


def test_the_robot_signs_and_posts_a_content_free_ping(dingtalk, dingtalk_account):
    message = outbox.queue_robot_ping(Channel.DINGTALK_ROBOT, dingtalk_account)
    assert outbox.deliver(message.pk, worker="w") is True
    assert len(dingtalk.robot_posts) == 1
    assert "有新的待办，请登录平台查看" in dingtalk.robot_posts[0]


def test_a_robot_with_a_wrong_secret_is_refused(dingtalk, dingtalk_account):
    dingtalk_account.robot_secret = "SEC-wrong"
    dingtalk_account.save()
    message = outbox.queue_robot_ping(Channel.DINGTALK_ROBOT, dingtalk_account)
    assert outbox.deliver(message.pk, worker="w") is False
    message.refresh_from_db()
    assert "dingtalk_310000" in message.last_error


def test_a_robot_over_the_platform_limit_is_deferred(dingtalk, dingtalk_account):
    # Arrange
    dingtalk.robot_rate_limited = True
    message = outbox.queue_robot_ping(Channel.DINGTALK_ROBOT, dingtalk_account)

    # Act
    sent = outbox.deliver(message.pk, worker="w")

    # Assert
    assert sent is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    assert message.next_attempt_at > timezone.now()
    assert "dingtalk_130101" in message.last_error
