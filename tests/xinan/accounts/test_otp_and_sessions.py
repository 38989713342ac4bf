import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp

from tests.factories import PASSWORD, person
from xinan.accounts.models import EncryptedTOTPDevice
from xinan.accounts.services import otp
from xinan.audit.models import AuditEntry
from xinan.organisations.enums import Role


def _token(device: EncryptedTOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_admin_enables_totp_from_security_page(client, world):
    admin = world.provincial_admin_a
    client.force_login(admin)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "启用动态口令" in page
    assert "<svg" in page
    device = EncryptedTOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(reverse("accounts:security"), {"action": "otp_confirm", "token": _token(device)})
    assert response.status_code == 302
    assert EncryptedTOTPDevice.objects.filter(user=admin, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action="xinan.auth.otp.enable", actor=admin).exists()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_the_three_duties_may_enable_totp(client, world, role):
    holder = person(role, world.province_a)
    client.force_login(holder)
    assert "启用动态口令" in client.get(reverse("accounts:security")).content.decode()
    device = EncryptedTOTPDevice.objects.get(user=holder, confirmed=False)
    client.post(reverse("accounts:security"), {"action": "otp_confirm", "token": _token(device)})
    assert EncryptedTOTPDevice.objects.filter(user=holder, confirmed=True).count() == 1


def test_totp_not_offered_to_non_admin_roles(client, world):
    client.force_login(world.staff_a)
    html = client.get(reverse("accounts:security")).content.decode()
    assert "动态口令" not in html
    assert not EncryptedTOTPDevice.objects.filter(user=world.staff_a).exists()


def test_sign_in_with_totp_requires_the_second_step(client, world):
    admin = world.national_admin
    device = otp.pending_device(admin)
    assert otp.confirm_device(admin, _token(device))
    response = client.post(reverse("accounts:login"), {"phone": admin.phone, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp")
    assert client.get(reverse("web:home")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("accounts:otp"), {"token": "000000" if _token(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "动态口令错误" in wrong.content.decode()
    device.refresh_from_db()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=False):
        done = client.post(reverse("accounts:otp"), {"token": _token(device)})
        assert done.status_code == 302
        assert client.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action="xinan.auth.login", actor=admin, reason="password+totp").exists()
    assert AuditEntry.objects.filter(action="xinan.auth.otp.failed", actor=admin).exists()


def test_otp_page_without_pending_sign_in_redirects_to_login(client, db):
    assert client.get(reverse("accounts:otp"))["Location"] == reverse("accounts:login")


def test_session_expires_after_inactivity(client, world, settings):
    start = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    idle = settings.SESSION_IDLE_MINUTES
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("accounts:login"), {"phone": world.staff_a.phone, "password": PASSWORD})
        traveller.shift(dt.timedelta(minutes=idle - 1))
        assert client.get(reverse("web:home")).status_code == 200  # activity renews the session
        traveller.shift(dt.timedelta(minutes=idle - 1))
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=idle + 1))
        assert client.get(reverse("web:home")).status_code == 302


def test_sign_in_rotates_the_session_key(client, world):
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("accounts:login"), {"phone": world.staff_a.phone, "password": PASSWORD})
    assert client.session.session_key != before


def test_next_parameter_to_another_site_is_ignored(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"phone": world.staff_a.phone, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
