"""The run-wide log watch (tests/conftest.py, log_watch.py) finds personal data in logs, says
where without repeating it, and fails the run, with or without pytest-xdist."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from tests.factories import UserFactory
from tests.xinan.security.log_watch import MOBILE, LeakWatch, mask, report
from xinan.accounts.services import codes
from xinan.notifications.models import Message
from xinan.web.logging import RedactPersonalDataFilter, redact

ROOT = Path(__file__).resolve().parents[3]
PLANT = "XINAN_PLANT_LOG_LEAK"


def test_checker_finds_each_kind_of_personal_data():
    watch = LeakWatch()
    watch.known.add("names", "欧阳测试")
    watch.known.add("codes", "482913")
    watch.known.add("phones", "13712345678")
    assert watch.check("request done in 12 ms for case 4711 on 2026-05-04") == []
    kinds = {kind for kind, _value in watch.check("sent to +86 139-1234-5678")}
    assert kinds == {"mobile number"}
    assert ("ID number", "11010519491231002X") in watch.check("id 11010519491231002X checked")
    assert ("SMS code", "482913") in watch.check("code 482913 verified")
    assert watch.check("code 1482913 is another number") == []
    assert ("name", "欧阳测试") in watch.check("新个案：欧阳测试同学")
    assert ("phone", "13712345678") in watch.check("user 13712345678")


def test_findings_say_where_but_mask_the_value():
    watch = LeakWatch()
    logger = logging.getLogger("xinan.test.planted")
    logger.addHandler(watch)
    logger.propagate = False  # this planted leak must not reach the run-wide watch
    try:
        logger.warning("signing in %s", "13912345678")
    finally:
        logger.removeHandler(watch)
        logger.propagate = True
    (finding,) = watch.findings
    assert (finding.logger, finding.level, finding.kind) == ("xinan.test.planted", "WARNING", "mobile number")
    assert finding.where.startswith("test_log_privacy:")
    text = "\n".join(report(watch.findings))
    assert "13912345678" not in text
    assert mask("13912345678") in text


def test_run_wide_watch_knows_the_people_and_codes_the_run_created(request, db):
    watch = request.config._xinan_log_watch
    user = UserFactory()
    assert user.name in watch.known.names
    assert user.phone in watch.known.phones
    codes.request_code(user.phone, request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.9"))
    body = Message.objects.to_address(user.phone).get().body
    code = re.search(r"(?<!\d)\d{6}(?!\d)", body).group()
    assert code in watch.known.codes
    assert watch.check(f"verified {code}") == [("SMS code", code)]


def test_watch_comes_back_after_logging_is_reconfigured(request):
    watch = request.config._xinan_log_watch
    root = logging.getLogger()
    root.removeHandler(watch)  # what a dictConfig of the root logger does
    try:
        watch.ensure_installed()
        assert watch in root.handlers
    finally:
        watch.ensure_installed()


def test_redaction_filter_is_only_the_last_line():
    assert redact("call 13912345678") == "call [phone]"


def test_redaction_filter_also_scrubs_the_traceback():
    """A 500 is logged with its exception; a database error repeats the refused values."""
    try:
        raise ValueError("duplicate key: Key (phone)=(13912345678) already exists, id 11010519491231002X")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/",), sys.exc_info()
        )
    assert RedactPersonalDataFilter().filter(record)
    line = logging.Formatter("%(message)s").format(record)
    assert "Internal Server Error: /" in line
    assert "ValueError" in line
    assert "13912345678" not in line
    assert "11010519491231002X" not in line


@pytest.mark.skipif(not os.environ.get(PLANT), reason="runs only inside test_a_planted_leak_fails_the_run")
def test_planted_leak(db):
    user = UserFactory()
    logging.getLogger("xinan.planted").info("signed in %s (%s)", user.phone, user.name)


def _run_planted(*extra: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env[PLANT] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *extra, f"{Path(__file__).relative_to(ROOT)}::test_planted_leak"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.parametrize("xdist", [False, True], ids=["single", "xdist"])
def test_a_planted_leak_fails_the_run(xdist):
    result = _run_planted("--nomigrations", *(["-n", "2"] if xdist else ["-p", "no:xdist"]))
    output = result.stdout + result.stderr
    assert "1 passed" in output  # the test itself passes ...
    assert result.returncode == pytest.ExitCode.TESTS_FAILED  # ... the run does not
    assert "Personal data in" in output
    assert "xinan.planted [INFO] test_log_privacy:" in output
    assert "mobile number" in output
    assert "name" in output
    assert not MOBILE.search(output)  # the number itself is never printed
