"""Asking for a sign-in code does the same work for a registered and an unknown phone (issue
13.7): the request seals the code and enqueues a task; the task decides whether to send."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend

from tests.factories import UserFactory
from xinan.accounts.models import LoginCode
from xinan.accounts.services import codes
from xinan.notifications.models import Message

QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
UNKNOWN = "13712345678"


def _request(ip: str):
    return RequestFactory().post("/accounts/login/code/send/", REMOTE_ADDR=ip)


def _shape(sql: str) -> str:
    """The statement without its values (digests, ids, times and encrypted tokens differ)."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "SAVEPOINT_NAME", sql)
    return re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)


@override_settings(TASKS=QUEUED_ONLY)
def test_registered_and_unknown_phones_run_the_same_statements_and_enqueue_the_same(db):
    # Arrange
    registered = UserFactory().phone

    # Act
    with CaptureQueriesContext(connection) as known_queries:
        codes.request_code(registered, request=_request("10.0.0.1"))
    with CaptureQueriesContext(connection) as unknown_queries:
        codes.request_code(UNKNOWN, request=_request("10.0.0.2"))

    # Assert: one statement list, one task each, and nothing sent yet.
    assert [_shape(q["sql"]) for q in known_queries] == [_shape(q["sql"]) for q in unknown_queries]
    assert [result.task.name for result in default_task_backend.results] == ["task_send_login_code"] * 2
    assert not Message.objects.exists()


@override_settings(TASKS=QUEUED_ONLY)
def test_the_sealed_code_and_phone_are_encrypted_until_the_task_wipes_them(db):
    # Arrange
    user = UserFactory()
    codes.request_code(user.phone, request=_request("10.0.0.1"))
    issued = LoginCode.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_phone, sealed_code FROM accounts_logincode WHERE id = %s", [issued.pk])
        sealed = cursor.fetchone()

    # Act
    sent = codes.send_login_code(issued.pk)

    # Assert
    assert all(value.startswith("enc1:") for value in sealed)
    assert user.phone not in "".join(sealed)
    assert sent
    issued.refresh_from_db()
    assert (issued.sealed_phone, issued.sealed_code, issued.user) == ("", "", user)
    body = Message.objects.to_address(user.phone).get(template="login_code").body
    assert codes._hash_code(issued.salt, re.search(r"\d{6}", body).group()) == issued.code_hash
    assert not codes.send_login_code(issued.pk)  # a second run sends nothing
    assert Message.objects.count() == 1


@override_settings(TASKS=QUEUED_ONLY)
def test_the_task_sends_nothing_to_an_unknown_phone_or_for_a_superseded_code(db):
    # Arrange
    user = UserFactory()
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False) as traveller:
        codes.request_code(UNKNOWN, request=_request("10.0.0.1"))
        codes.request_code(user.phone, request=_request("10.0.0.2"))
        traveller.shift(dt.timedelta(seconds=61))
        codes.request_code(user.phone, request=_request("10.0.0.2"))
        unknown, first, second = LoginCode.objects.order_by("pk")

        # Act
        sent = [codes.send_login_code(issued.pk) for issued in (unknown, first, second)]

    # Assert
    assert sent == [False, False, True]
    assert Message.objects.count() == 1
    assert LoginCode.objects.exclude(sealed_code="").count() == 0


def test_the_page_still_signs_a_registered_person_in(client, db):
    # Arrange: with the immediate task backend of the tests, the task runs at once.
    user = UserFactory()

    # Act
    client.post("/accounts/login/code/send/", {"phone": user.phone})
    code = re.search(r"\d{6}", Message.objects.to_address(user.phone).get().body).group()
    response = client.post("/accounts/login/code/", {"phone": user.phone, "code": code})

    # Assert
    assert response.status_code == 302


def test_a_code_for_an_unknown_phone_is_bound_to_nobody_and_never_sent(client, db):
    # Arrange
    client.post("/accounts/login/code/send/", {"phone": UNKNOWN})
    issued = LoginCode.objects.get()

    # Act / Assert: no code was sent and no guess can work (no account is bound to it).
    assert issued.user_id is None
    assert not Message.objects.exists()
