import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from xinan.notifications.enums import MessageStatus
from xinan.notifications.models import Message, Notification
from xinan.notifications.services import outbox


def test_queue_sms_renders_named_template_in_chinese(db):
    message = outbox.queue_sms("13712345678", "login_code", {"code": "123456", "minutes": 5})
    assert "123456" in message.body
    assert "5 分钟内有效" in message.body
    assert message.status == MessageStatus.QUEUED


def test_deliver_marks_sent_once_and_second_claim_loses(db):
    message = outbox.queue_sms("13712345678", "login_code", {"code": "123456", "minutes": 5})
    assert outbox.deliver(message.pk, worker="w1") is True
    assert outbox.deliver(message.pk, worker="w2") is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.claimed_by == "w1"


def test_queue_sms_with_dedupe_key_queues_only_once(db):
    first = outbox.queue_sms("13712345678", "login_code", {"code": "1", "minutes": 5}, dedupe_key="reminder:1")
    second = outbox.queue_sms("13712345678", "login_code", {"code": "1", "minutes": 5}, dedupe_key="reminder:1")
    assert first is not None
    assert second is None
    assert Message.objects.count() == 1


def test_queue_email_renders_subject_text_and_html(db):
    message = outbox.queue_email("someone@example.invalid", "account_invite", {"name": "测试", "organisation": "某校"})
    assert message.subject == "心安平台账号已开通"
    assert "<a href=" in message.html_body


def test_notify_with_dedupe_key_creates_one_notice(db):
    user = UserFactory()
    outbox.notify(user, "提醒", dedupe_key="x")
    outbox.notify(user, "提醒", dedupe_key="x")
    assert Notification.objects.filter(user=user).count() == 1


def test_deliver_due_marks_stale_sending_uncertain_not_resent(db):
    import datetime as dt

    from django.utils import timezone

    message = outbox.queue_sms("13712345678", "login_code", {"code": "1", "minutes": 5})
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=11), attempts=1
    )
    assert outbox.deliver_due(worker="w") == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.UNCERTAIN
    assert message.attempts == 1


def test_resend_queues_a_copy_and_audits(db):
    admin = UserFactory()
    message = outbox.queue_sms("13712345678", "login_code", {"code": "1", "minutes": 5})
    copy = outbox.resend(message, by=admin)
    assert copy.pk != message.pk
    assert copy.body == message.body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_message_exactly_once():
    # Rows as queue_sms leaves them, without its on-commit delivery (which would send them at once).
    messages = Message.objects.bulk_create(
        Message(channel="sms", template="login_code", to_address=f"1371234{i:04d}", body="x") for i in range(60)
    )
    barrier = threading.Barrier(2)
    sent_counts = {}

    def work(name):
        barrier.wait()
        try:
            sent_counts[name] = outbox.deliver_due(worker=name)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    rows = Message.objects.filter(pk__in=[m.pk for m in messages])
    assert sum(sent_counts.values()) == 60
    assert all(row.status == MessageStatus.SENT and row.attempts == 1 for row in rows)
    assert set(rows.values_list("claimed_by", flat=True)) <= {"worker-1", "worker-2"}
