"""The session table keeps only a keyed digest of each session key (issue 13.6): a copy of the
table signs nobody in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from xinan.accounts.sessions import stored_key


def _signed_in(world) -> tuple[Client, str]:
    client = Client()
    assert (
        client.post(reverse("accounts:login"), {"phone": world.counsellor_a.phone, "password": PASSWORD}).status_code
        == 302
    )
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_table_holds_a_digest_not_the_key(world):
    # Arrange / Act
    _client, browser_key = _signed_in(world)

    # Assert
    keys = list(Session.objects.values_list("session_key", flat=True))
    assert browser_key not in keys
    assert stored_key(browser_key) in keys


def test_a_session_key_read_from_a_copy_of_the_table_signs_nobody_in(world):
    # Arrange: the insider reads the row of a live session.
    _client, browser_key = _signed_in(world)
    row = Session.objects.get(session_key=stored_key(browser_key))
    assert row.get_decoded()["_auth_user_id"] == str(world.counsellor_a.pk)
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = row.session_key

    # Act
    response = thief.get(reverse("web:home"))

    # Assert: sent to sign in; the owner's own cookie still works.
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    owner = Client()
    owner.cookies[settings.SESSION_COOKIE_NAME] = browser_key
    assert owner.get(reverse("web:home")).status_code == 200


def test_signing_out_and_rotating_the_key_remove_the_rows(world):
    # Arrange
    client, browser_key = _signed_in(world)

    # Act
    client.post(reverse("accounts:logout"))

    # Assert
    assert not Session.objects.filter(session_key=stored_key(browser_key)).exists()
    assert not Session.objects.filter(session_key=browser_key).exists()
