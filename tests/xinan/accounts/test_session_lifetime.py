"""Sessions end a fixed time after their sign-in, however busy (issue 13.12)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from xinan.audit.models import AuditEntry

SIGN_IN = dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)


def _sign_in(client, user):
    response = client.post(reverse("accounts:login"), {"phone": user.phone, "password": PASSWORD})
    assert response.status_code == 302


@override_settings(SESSION_COOKIE_AGE=24 * 3600)  # a session kept busy: the idle timeout never ends it
def test_a_busy_session_ends_twelve_hours_after_sign_in(client, world):
    # Arrange
    home = reverse("web:home")
    with time_machine.travel(SIGN_IN, tick=False) as traveller:
        _sign_in(client, world.counsellor_a)
        # Act: a request every 25 minutes for just under 12 hours.
        for _ in range(28):
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get(home).status_code == 200
        traveller.shift(dt.timedelta(hours=12) - dt.timedelta(minutes=25 * 28))
        ended = client.get(home)

    # Assert: sent to sign in again, the session gone, the ending audited.
    assert ended.status_code == 302
    assert ended.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="xinan.auth.session_expired")
    assert entry.actor == world.counsellor_a
    assert entry.after == {"hours": 12}


@override_settings(SESSION_COOKIE_AGE=24 * 3600, SESSION_ABSOLUTE_HOURS=2)
def test_the_absolute_lifetime_is_configurable_and_a_new_sign_in_starts_it_again(client, world):
    # Arrange
    home = reverse("web:home")
    with time_machine.travel(SIGN_IN, tick=False) as traveller:
        _sign_in(client, world.counsellor_a)
        traveller.shift(dt.timedelta(hours=1, minutes=59))
        assert client.get(home).status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        assert client.get(home).status_code == 302

        # Act
        _sign_in(client, world.counsellor_a)
        traveller.shift(dt.timedelta(hours=1))
        again = client.get(home)

    # Assert
    assert again.status_code == 200


@override_settings(SESSION_COOKIE_AGE=24 * 3600)
def test_a_session_without_a_sign_in_time_counts_from_its_first_request(client, world):
    # Arrange: a session from before the check (force_login sets no sign-in time).
    home = reverse("web:home")
    with time_machine.travel(SIGN_IN, tick=False) as traveller:
        client.force_login(world.counsellor_a)
        assert client.get(home).status_code == 200
        traveller.shift(dt.timedelta(hours=11, minutes=59))
        # Act / Assert
        assert client.get(home).status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        assert client.get(home).status_code == 302
