"""The outbox keeps addresses and bodies encrypted; messages are found by a blind index."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from xinan.crypto.fields import PREFIX
from xinan.notifications.models import Message
from xinan.notifications.services import outbox

PHONE = "13712345678"
CODE = "482913"


def raw_row(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_message WHERE id = %s", [pk])
        return " ".join(str(value) for value in cursor.fetchone())


def raw_column(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM notifications_message WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_row_holds_neither_the_phone_nor_the_body_and_the_lookup_finds_it(db):
    message = outbox.queue_sms(
        PHONE, "campaign_invite", {"name": "测试甲", "campaign": "某年度填报", "deadline": "明天"}
    )
    row = raw_row(message.pk)
    assert PHONE not in row
    assert "测试甲" not in raw_column(message.pk, "body")
    assert raw_column(message.pk, "params").startswith(PREFIX)
    assert "测试甲" not in raw_column(message.pk, "params")
    assert raw_column(message.pk, "to_address").startswith(PREFIX)
    assert raw_column(message.pk, "body").startswith(PREFIX)
    assert list(Message.objects.to_address(PHONE)) == [message]
    assert Message.objects.get(pk=message.pk).to_address == PHONE
    assert "测试甲" in Message.objects.get(pk=message.pk).body
    assert Message.objects.get(pk=message.pk).params["name"] == "测试甲"


def test_the_lookup_takes_any_written_form_of_the_address(db):
    sms = outbox.queue_sms(PHONE, "login_code", {"code": CODE, "minutes": 5})
    email = outbox.queue_email("Someone@Example.invalid", "account_invite", {"name": "测试", "organisation": "某校"})
    assert list(Message.objects.to_address("+86 137-1234-5678")) == [sms]
    assert list(Message.objects.to_address("someone@example.INVALID")) == [email]
    assert not Message.objects.to_address("13712345679").exists()
    row = raw_row(email.pk)
    assert "example.invalid" not in row.casefold()
    assert "<a href=" not in raw_column(email.pk, "html_body")


def test_bulk_created_messages_are_indexed(db):
    Message.objects.bulk_create(
        Message(channel="sms", template="login_code", to_address=f"1371234{i:04d}", body="x") for i in range(3)
    )
    assert Message.objects.to_address("13712340001").count() == 1


def test_a_real_provider_send_scrubs_the_code_from_the_encrypted_body(db, monkeypatch):
    class Provider:
        name = "provider"
        scrubs_after_send = True

        def send(self, message):
            assert message.to_address == PHONE  # backends read the decrypted values
            assert CODE in message.body
            return "receipt-1"

    monkeypatch.setattr(outbox, "get_backends", lambda channel: [Provider()])
    message = outbox.queue_sms(PHONE, "login_code", {"code": CODE, "minutes": 5}, sensitive=("code",))
    assert outbox.deliver(message.pk, worker="w1") is True
    message.refresh_from_db()
    assert CODE not in message.body
    assert "******" in message.body
    assert message.params["code"] == "******"
    assert raw_column(message.pk, "body").startswith(PREFIX)


def test_the_outbox_command_filters_by_the_blind_index(db):
    outbox.queue_sms(PHONE, "login_code", {"code": CODE, "minutes": 5})
    outbox.queue_sms("13912345678", "login_code", {"code": "111111", "minutes": 5})
    out = StringIO()
    call_command("outbox", "--phone", "137 1234 5678", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert PHONE in lines[0]
    assert CODE in lines[0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_back():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    target = [("notifications", "0001_initial")]
    executor.migrate(target)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notifications_message (channel, template, to_address, subject, body, html_body,"
                " params, sensitive, status, attempts, next_attempt_at, claimed_by, sent_at, provider_id,"
                " last_error, created_at) VALUES ('sms', 'login_code', %s, '', %s, '', %s, '[\"code\"]', 'queued', 0,"
                " CURRENT_TIMESTAMP, '', NULL, '', '', CURRENT_TIMESTAMP)",
                ["+86 13712345678", f"code {CODE}", f'{{"code": "{CODE}"}}'],
            )
        executor = MigrationExecutor(connection)
        executor.migrate([("notifications", "0003_encrypt_outbox_params")])
        # Only the columns of 0003: later migrations add more.
        message = Message.objects.to_address(PHONE).only("body", "params").get()
        assert PHONE not in raw_row(message.pk)
        assert CODE not in raw_row(message.pk)
        assert message.body == f"code {CODE}"
        assert message.params == {"code": CODE}
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        assert raw_column(message.pk, "body") == f"code {CODE}"
        assert CODE in str(raw_column(message.pk, "params"))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        Message.objects.all().delete()


def test_the_outbox_command_prints_china_time(db):
    # Arrange: a message recorded at 19:54 UTC, which is 03:54 the next day in China.
    import datetime as dt

    from freezegun import freeze_time

    with freeze_time(dt.datetime(2026, 12, 7, 19, 54, 5, tzinfo=dt.UTC)):
        outbox.queue_sms(PHONE, "login_code", {"code": CODE, "minutes": 5})

    # Act
    out = StringIO()
    call_command("outbox", "--last", "1", stdout=out)

    # Assert
    assert out.getvalue().startswith("2026-12-08 03:54:05 ")
