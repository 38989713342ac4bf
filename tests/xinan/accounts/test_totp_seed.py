"""TOTP seeds are encrypted at rest (issue 13.6); devices enrolled before are moved and encrypted."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinan.accounts.models import EncryptedTOTPDevice
from xinan.accounts.services import otp


def _token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_seed_is_stored_encrypted_and_still_verifies(world):
    # Arrange
    admin = world.national_admin
    device = otp.pending_device(admin)

    # Act
    confirmed = otp.confirm_device(admin, _token(device))

    # Assert
    assert confirmed
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_encryptedtotpdevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:")
    assert device.key not in stored
    assert EncryptedTOTPDevice.objects.get(pk=device.pk).key == device.key


def test_the_migration_moves_plaintext_devices_and_encrypts_their_seeds(world):
    # Arrange: a device enrolled with django-otp's own (plaintext) table before the migration.
    plain = TOTPDevice.objects.create(user=world.national_admin, name="totp", confirmed=True, last_t=7)
    migration = importlib.import_module("xinan.accounts.migrations.0002_totp_device_with_encrypted_seed")

    # Act
    migration.move_plain_devices(apps, None)

    # Assert
    assert not TOTPDevice.objects.exists()
    moved = EncryptedTOTPDevice.objects.get(user=world.national_admin)
    assert (moved.key, moved.confirmed, moved.last_t) == (plain.key, True, 7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_encryptedtotpdevice WHERE id = %s", [moved.pk])
        assert plain.key not in cursor.fetchone()[0]
    assert otp.verify(world.national_admin, _token(moved)) is not None
