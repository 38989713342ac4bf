"""Defects found in review: each stays fixed."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from xinan.accounts.models import LoginCode
from xinan.accounts.services import codes
from xinan.audit.models import AuditEntry
from xinan.audit.services.queries import search_entries
from xinan.jobs.models import PeriodicRun
from xinan.jobs.services.housekeeping import prune


def test_sign_in_events_are_filed_under_the_persons_organisation(client, world):
    client.post(reverse("accounts:login"), {"phone": world.team_leader_a.phone, "password": PASSWORD})
    entry = AuditEntry.objects.get(action="xinan.auth.login")
    assert entry.organisation_id == world.school_a.pk


def test_refusal_is_filed_under_the_refused_organisation(client, world):
    client.force_login(world.counsellor_b)
    client.get(reverse("organisations:team", args=[world.school_a.pk]))
    entry = AuditEntry.objects.get(action="xinan.access.denied")
    assert entry.organisation_id == world.school_a.pk


def test_refusals_filter_includes_lockouts_and_refused_codes(db):
    user = UserFactory()
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.1.1")
    codes.request_code(user.phone, request=request)
    with pytest.raises(codes.SignInError):
        codes.request_code(user.phone, request=request)  # resend refused
    found = search_entries(AuditEntry.objects.all(), refusals_only=True).values_list("action", flat=True)
    assert "xinan.auth.code.refused" in list(found)


def test_superuser_flag_opens_no_school(world):
    user = world.counsellor_b
    user.is_superuser = True
    user.save()
    assert not user.has_perm("organisations.view_crisis_team", world.school_a)


def test_disabling_totp_needs_a_current_token(client, world):
    from django_otp.oath import totp

    from xinan.accounts.services import otp

    admin = world.provincial_admin_a
    device = otp.pending_device(admin)
    otp.confirm_device(admin, f"{totp(device.bin_key):06d}")
    client.force_login(admin)
    response = client.post(reverse("accounts:security"), {"action": "otp_disable", "token": "12345"})
    assert response.status_code == 400
    assert otp.confirmed_device(admin) is not None


def test_health_endpoint_answers_without_sign_in(client, db):
    response = client.get(reverse("web:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_housekeeping_prunes_old_rows_only(db):
    now = timezone.now()
    PeriodicRun.objects.create(name="x", slot=now - dt.timedelta(days=8))
    PeriodicRun.objects.create(name="x", slot=now)
    LoginCode.objects.create(phone_digest="d", salt="s", code_hash="h", expires_at=now - dt.timedelta(days=2))
    removed = prune(now=now)
    assert removed["periodic_runs"] == 1
    assert removed["login_codes"] == 1
    assert PeriodicRun.objects.count() == 1
