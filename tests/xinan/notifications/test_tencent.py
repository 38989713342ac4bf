"""The Tencent Cloud SMS backend: the TC3-HMAC-SHA256 signature per the documented
example, and SendSms / PullSmsSendStatus against a stand-in on loopback."""

import datetime as dt

import pytest

from tests.xinan.notifications.provider_fixtures import (
    TENCENT_SECRET_ID,
    TENCENT_SECRET_KEY,
    use_tencent,
)
from xinan.notifications.backends.base import DeliveryError
from xinan.notifications.backends.tencent import TencentSmsBackend, authorization, tc3_signature
from xinan.notifications.enums import Delivery, MessageStatus
from xinan.notifications.models import Message
from xinan.notifications.services import outbox, receipts


def test_signature_matches_the_documented_example():
    # Arrange: the worked example of Tencent Cloud's "Signature v3" page (CVM DescribeInstances).
    payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'

    # Act
    signature = tc3_signature(
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        host="cvm.tencentcloudapi.com",
        service="cvm",
        timestamp=1551113065,
        payload=payload,
    )

    # Assert
    assert signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_authorization_uses_the_utc_date_not_the_local_one():
    # 1551113065 is 2019-02-26 00:44 in China but 2019-02-25 in UTC: the scope must say the 25th.
    header = authorization(
        secret_id="AKIDEXAMPLE",
        secret_key="k",
        host="sms.tencentcloudapi.com",
        service="sms",
        timestamp=1551113065,
        payload="{}",
    )
    assert header.startswith("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/sms/tc3_request, ")
    assert "SignedHeaders=content-type;host, Signature=" in header


def _backend(endpoint, *, secret_key=TENCENT_SECRET_KEY):
    return TencentSmsBackend(
        secret_id=TENCENT_SECRET_ID,
        secret_key=secret_key,
        app_id="1400000001",
        sign_name="心安",
        templates={"login_code": {"id": "1100001", "params": ["code", "minutes"]}},
        endpoint=endpoint,
        region="ap-guangzhou",
    )


def test_send_ok_returns_the_serial_number_and_sends_positional_params(tencent_sms):
    # Arrange
    message = Message(pk=5, template="login_code", to_address="13712345678", params={"minutes": "5", "code": "123456"})

    # Act
    receipt = _backend(tencent_sms.endpoint).send(message)

    # Assert
    assert receipt == "serial-1"
    sent = tencent_sms.sent[0]
    assert sent["PhoneNumberSet"] == ["+8613712345678"]
    assert sent["TemplateId"] == "1100001"
    assert sent["TemplateParamSet"] == ["123456", "5"]  # in the template's order, not the dict's
    assert sent["SignName"] == "心安"
    assert sent["SessionContext"] == "xinan-5"


def test_send_with_a_wrong_secret_is_refused_by_the_signature_check(tencent_sms):
    message = Message(pk=6, template="login_code", to_address="13712345678", params={})
    with pytest.raises(DeliveryError) as info:
        _backend(tencent_sms.endpoint, secret_key="wrong").send(message)
    assert info.value.code == "AuthFailure.SignatureFailure"
    assert tencent_sms.sent == []


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (
            {"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "daily limit", "SerialNo": ""},
            "LimitExceeded.PhoneNumberDailyLimit",
        ),
        (
            {"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "bad phone", "SerialNo": ""},
            "InvalidParameterValue.IncorrectPhoneNumber",
        ),
        ({"Error": {"Code": "RequestLimitExceeded", "Message": "too many requests"}}, "RequestLimitExceeded"),
    ],
)
def test_send_refusals_raise_delivery_error_with_the_provider_code(tencent_sms, answer, code):
    # Arrange
    tencent_sms.send_answers.append(answer)
    message = Message(pk=7, template="login_code", to_address="13712345678", params={})

    # Act / Assert
    with pytest.raises(DeliveryError) as info:
        _backend(tencent_sms.endpoint).send(message)
    assert info.value.code == code


def test_send_unknown_template_is_refused_before_any_request(tencent_sms):
    message = Message(pk=8, template="unknown", to_address="13712345678", params={})
    with pytest.raises(DeliveryError, match="no_template_code"):
        _backend(tencent_sms.endpoint).send(message)
    assert tencent_sms.calls == []


def test_pulled_reports_reach_the_rows_that_tencent_sent(db, settings, tencent_sms):
    # Arrange: two messages sent through Tencent, one report each (one delivered, one not).
    use_tencent(settings, tencent_sms)
    first = outbox.queue_sms("13712345678", "login_code", {"code": "111111", "minutes": 5})
    second = outbox.queue_sms("13912345678", "login_code", {"code": "222222", "minutes": 5})
    assert outbox.deliver(first.pk, worker="w")
    assert outbox.deliver(second.pk, worker="w")
    first.refresh_from_db()
    second.refresh_from_db()
    tencent_sms.reports = [
        {
            "UserReceiveTime": "2026-03-01 08:00:05",
            "CountryCode": "86",
            "SubscriberNumber": "13712345678",
            "PhoneNumber": "+8613712345678",
            "SerialNo": first.provider_id,
            "ReportStatus": "SUCCESS",
            "Description": "DELIVRD",
            "SessionContext": f"xinan-{first.pk}",
        },
        {
            "UserReceiveTime": "2026-03-01 08:00:09",
            "CountryCode": "86",
            "SubscriberNumber": "13912345678",
            "PhoneNumber": "+8613912345678",
            "SerialNo": second.provider_id,
            "ReportStatus": "FAIL",
            "Description": "MK:0001 user powered off",
            "SessionContext": f"xinan-{second.pk}",
        },
    ]

    # Act
    updated = receipts.pull_sms_receipts()

    # Assert
    assert updated == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.provider, first.delivery, first.delivery_detail) == ("tencent", Delivery.DELIVERED, "DELIVRD")
    assert first.delivery_at == dt.datetime(2026, 3, 1, 0, 0, 5, tzinfo=dt.UTC)  # China time read as such
    assert (second.delivery, second.delivery_detail) == (Delivery.UNDELIVERED, "MK:0001 user powered off")
    assert second.status == MessageStatus.SENT


def test_a_report_for_another_provider_receipt_changes_nothing(db, settings, tencent_sms):
    # Arrange: a row sent by Aliyun whose receipt id happens to equal a Tencent serial number.
    use_tencent(settings, tencent_sms)
    message = Message.objects.create(
        channel="sms",
        template="login_code",
        to_address="13712345678",
        body="x",
        status=MessageStatus.SENT,
        provider="aliyun",
        provider_id="serial-1",
    )
    tencent_sms.reports = [{"SerialNo": "serial-1", "ReportStatus": "SUCCESS", "Description": "DELIVRD"}]

    # Act
    updated = receipts.pull_sms_receipts()

    # Assert
    assert updated == 0
    message.refresh_from_db()
    assert message.delivery == ""
