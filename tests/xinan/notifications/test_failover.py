"""Failover between the two SMS providers: a message the first one fails goes out
through the second, exactly once, and the row says which provider sent it."""

import socket

from tests.xinan.notifications.provider_fixtures import (
    use_aliyun,
    use_tencent,
)
from xinan.notifications.enums import MessageStatus
from xinan.notifications.services import outbox


def _queue():
    return outbox.queue_sms("13712345678", "login_code", {"code": "123456", "minutes": 5}, sensitive=("code",))


def test_a_refusal_by_the_first_provider_goes_out_through_the_second_exactly_once(
    db, settings, aliyun_sms, tencent_sms
):
    # Arrange: Aliyun answers "business limit" to everything; Tencent is the failover.
    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms, primary=False)
    aliyun_sms.fail_with = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit"}
    message = _queue()

    # Act: the worker delivers, then a second worker (or a retry) tries the same row.
    first = outbox.deliver(message.pk, worker="w1")
    second = outbox.deliver(message.pk, worker="w2")
    outbox.deliver_due(worker="w3")

    # Assert
    assert (first, second) == (True, False)
    assert aliyun_sms.calls == 1
    assert len(tencent_sms.sent) == 1
    assert tencent_sms.sent[0]["TemplateParamSet"] == ["123456", "5"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert (message.provider, message.provider_id) == ("tencent", "serial-1")
    assert message.attempts == 1
    assert "aliyun: isv.BUSINESS_LIMIT_CONTROL" in message.last_error  # why the failover sent it
    assert "123456" not in message.body  # the real provider has it: the code is scrubbed


def test_an_unreachable_first_provider_fails_over(db, settings, aliyun_sms, tencent_sms):
    # Arrange: Aliyun's endpoint is a closed port on loopback (connection refused).
    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms, primary=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.SMS_ENDPOINT = f"http://127.0.0.1:{closed_port}/"
    message = _queue()

    # Act
    sent = outbox.deliver(message.pk, worker="w1")

    # Assert
    assert sent is True
    message.refresh_from_db()
    assert message.provider == "tencent"
    assert "aliyun: network_error" in message.last_error
    assert len(tencent_sms.sent) == 1


def test_a_first_provider_that_does_not_answer_in_time_fails_over(db, settings, monkeypatch, aliyun_sms, tencent_sms):
    # Arrange: Tencent first, answering after the client has stopped waiting; Aliyun as failover.
    from xinan.notifications.backends import tencent

    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms)
    settings.SMS_FAILOVER_BACKEND = "aliyun"
    monkeypatch.setattr(tencent, "TIMEOUT_SECONDS", 0.2)
    tencent_sms.delay = 0.6
    message = _queue()

    # Act
    sent = outbox.deliver(message.pk, worker="w1")

    # Assert
    assert sent is True
    message.refresh_from_db()
    assert (message.provider, message.provider_id) == ("aliyun", "biz-1")
    assert "tencent: timeout" in message.last_error
    assert tencent_sms.calls == ["SendSms"]
    assert len(aliyun_sms.sent) == 1


def test_an_http_error_of_the_first_provider_fails_over(db, settings, aliyun_sms, tencent_sms):
    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms, primary=False)
    aliyun_sms.http_status = 503
    message = _queue()

    assert outbox.deliver(message.pk, worker="w1") is True

    message.refresh_from_db()
    assert message.provider == "tencent"
    assert "aliyun: http_error: 503" in message.last_error


def test_the_second_provider_is_not_called_when_the_first_sends(db, settings, aliyun_sms, tencent_sms):
    # Arrange
    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms, primary=False)
    message = _queue()

    # Act
    outbox.deliver(message.pk, worker="w1")

    # Assert
    message.refresh_from_db()
    assert (message.provider, message.provider_id, message.last_error) == ("aliyun", "biz-1", "")
    assert tencent_sms.calls == []


def test_both_providers_failing_queues_a_retry_naming_both(db, settings, aliyun_sms, tencent_sms):
    # Arrange
    use_aliyun(settings, aliyun_sms)
    use_tencent(settings, tencent_sms, primary=False)
    aliyun_sms.fail_with = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit"}
    tencent_sms.send_answers.append({"Error": {"Code": "RequestLimitExceeded", "Message": "too many"}})
    message = _queue()

    # Act
    sent = outbox.deliver(message.pk, worker="w1")

    # Assert
    assert sent is False
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.provider == ""
    assert "aliyun: isv.BUSINESS_LIMIT_CONTROL" in message.last_error
    assert "tencent: RequestLimitExceeded" in message.last_error
    assert message.next_attempt_at > message.created_at
    assert "123456" in message.body  # not sent anywhere: the code is still needed for the retry


def test_aliyun_reports_are_asked_for_and_reach_the_row(db, settings, aliyun_sms):
    # Arrange: two messages sent by Aliyun; the operator reports one delivered, the other not yet.
    import datetime as dt

    from xinan.notifications.enums import Delivery
    from xinan.notifications.services import receipts

    use_aliyun(settings, aliyun_sms)
    first, second = _queue(), _queue()
    outbox.deliver(first.pk, worker="w")
    outbox.deliver(second.pk, worker="w")
    aliyun_sms.reports["biz-1"] = {"SendStatus": 3, "ErrCode": "DELIVRD", "ReceiveDate": "2026-03-01 08:00:07"}

    # Act
    updated = receipts.pull_receipts()

    # Assert
    assert updated == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.delivery, first.delivery_detail) == (Delivery.DELIVERED, "DELIVRD")
    assert first.delivery_at == dt.datetime(2026, 3, 1, 0, 0, 7, tzinfo=dt.UTC)
    assert second.delivery == ""  # still waiting: asked again next time
    assert sorted(query["BizId"] for query in aliyun_sms.queries) == ["biz-1", "biz-2"]


def test_an_aliyun_failure_report_marks_the_row_undelivered(db, settings, aliyun_sms):
    from xinan.notifications.enums import Delivery
    from xinan.notifications.services import receipts

    use_aliyun(settings, aliyun_sms)
    message = _queue()
    outbox.deliver(message.pk, worker="w")
    aliyun_sms.reports["biz-1"] = {"SendStatus": 2, "ErrCode": "MOBILE_NOT_ON_SERVICE"}

    receipts.pull_receipts()

    message.refresh_from_db()
    assert (message.delivery, message.delivery_detail) == (Delivery.UNDELIVERED, "MOBILE_NOT_ON_SERVICE")
