"""`xinan doctor`: one line per part the platform needs, and a failing exit status when one is broken."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from xinan.crypto.keys import reset_cache
from xinan.jobs.models import PeriodicRun
from xinan.notifications.models import Message
from xinan.operations.services import doctor

pytestmark = pytest.mark.django_db


def _heartbeat(age: dt.timedelta) -> None:
    now = timezone.now()
    PeriodicRun.objects.create(name="deliver_due_messages", slot=now - age, enqueued_at=now - age)


def _run_doctor() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_healthy_installation_passes_every_check():
    # Arrange: a scheduler that ran a moment ago and one stored encrypted value.
    _heartbeat(dt.timedelta(seconds=20))
    Message.objects.create(channel="sms", template="login_code", to_address="13900000000", body="probe")

    # Act
    status, output = _run_doctor()

    # Assert: one line per check, each ok (Redis is not configured in tests: shown as skipped).
    assert status == 0, output
    lines = output.splitlines()
    assert [line.split()[1] for line in lines[:6]] == ["database", "redis", "storage", "encryption", "messages",
                                                       "worker"]
    assert all(line.startswith(("ok", "skip")) for line in lines[:6])
    import re

    sampled = re.search(r"(\d+) sampled values decrypt", output)
    assert sampled is not None
    assert int(sampled.group(1)) >= 2  # at least the message's address and body
    assert lines[-1] == "all 6 checks passed"


def test_values_under_a_key_that_is_not_configured_fail_the_key_check():
    # Arrange: a value written under key A, then the installation configured with key B only.
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        reset_cache()
        Message.objects.create(channel="sms", template="login_code", to_address="13900000001", body="probe")
    try:
        with override_settings(ENCRYPTION_KEYS=[key_b]):
            reset_cache()

            # Act
            finding = doctor.check_keys()
    finally:
        reset_cache()

    # Assert
    assert not finding.ok
    assert "cannot be decrypted" in finding.detail
    assert key_a not in finding.detail
    assert key_b not in finding.detail


def test_storage_that_refuses_writes_fails_the_storage_check(tmp_path):
    # Arrange: a storage folder whose parent is a file, so nothing can be written under it (even as root).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(blocker / "files")}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        # Act
        finding = doctor.check_storage()

    # Assert
    assert not finding.ok
    assert "could not be written" in finding.detail
    assert str(blocker / "files") in finding.detail  # the operator is told where


def test_unreachable_redis_fails_the_redis_check():
    # Arrange: nothing listens on port 1.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        # Act
        finding = doctor.check_redis()

    # Assert
    assert not finding.ok
    assert "cannot reach Redis at 127.0.0.1:1" in finding.detail


@pytest.mark.parametrize(("age", "expected"), [(None, "never run"), (dt.timedelta(minutes=10), "no scheduler")])
def test_a_worker_that_is_not_running_fails_the_worker_check(age, expected):
    # Arrange
    if age is not None:
        _heartbeat(age)

    # Act
    status, output = _run_doctor()

    # Assert
    assert status == 1
    assert expected in output
    assert "FAIL  worker" in output


def test_aliyun_without_a_sign_in_code_template_fails_doctor_and_check_deploy():
    # Arrange: Aliyun SMS with a template code for invitations only.
    aliyun = {"SMS_BACKEND": "aliyun", "SMS_TEMPLATE_CODES": '{"account_invite": "SMS_1"}'}
    with override_settings(**aliyun):
        # Act
        finding = doctor.check_messages()
        from django.core.checks import run_checks

        errors = [e for e in run_checks(include_deployment_checks=True) if e.id == "xinan.E101"]

    # Assert: both name the missing sign-in template.
    assert not finding.ok
    assert "login_code" in finding.detail
    assert any("login_code" in e.msg for e in errors)


def test_doctor_against_a_database_that_does_not_answer_says_so(tmp_path):
    # Arrange: a PostgreSQL URL where nothing listens.
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("XINAN_", "DJANGO_"))}
    env.update(XINAN_DATA_DIR=str(tmp_path), XINAN_SECRET_KEY="k" * 60,
               DATABASE_URL="postgres://nobody@127.0.0.1:1/missing")

    # Act
    result = subprocess.run([sys.executable, "-m", "xinan", "doctor"], env=env, capture_output=True, text=True,
                            timeout=120, check=False)

    # Assert: a failing line for the database, and a failing exit status.
    assert result.returncode == 1, result.stderr[-2000:]
    assert "FAIL  database" in result.stdout
    assert "cannot connect" in result.stdout


def test_tencent_failover_without_a_sign_in_template_fails_doctor():
    # Arrange: Aliyun complete, Tencent as failover with a template for invitations only.
    import json

    codes = {name: "SMS_1" for name in doctor.sms_template_names()}
    overrides = {
        "SMS_BACKEND": "aliyun",
        "SMS_TEMPLATE_CODES": json.dumps(codes),
        "SMS_FAILOVER_BACKEND": "tencent",
        "TENCENT_SMS_TEMPLATES": '{"account_invite": {"id": "1", "params": ["name"]}}',
    }
    with override_settings(**overrides):
        # Act
        finding = doctor.check_messages()

    # Assert
    assert not finding.ok
    assert "XINAN_TENCENT_SMS_TEMPLATES" in finding.detail
    assert "login_code" in finding.detail
    assert "XINAN_SMS_TEMPLATE_CODES" not in finding.detail
