"""Suite-wide fixtures: a standard world of organisations and people, a network
guard, and a real headless Chromium for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass

import pytest

from tests.campaign_fixtures import campaign, right  # noqa: F401 - shared fixtures, registered by import
from tests.case_fixtures import case, student  # noqa: F401 - shared fixtures, registered by import
from tests.factories import make_org, person
from xinan.organisations.enums import OrgKind, Role

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# --- No network beyond this machine -------------------------------------------------
_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host not in {"127.0.0.1", "::1", "localhost"} and not str(host).startswith("127."):
            raise RuntimeError("tests must not reach the network (blocked connection)")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(autouse=True)
def _allow_flush_of_audit_trail(request):
    """Transactional tests end with a flush that empties every table; the SQLite trigger
    refuses to delete audit rows without a purge permit. Grant one for that flush only:
    it is revoked when the next test starts."""
    from django.db import connection

    from xinan.audit.services.record import GRANT_PURGE_SQL, REVOKE_PURGE_SQL

    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or _wants_transaction(request)
    if connection.vendor != "sqlite":
        yield
        return
    if not transactional:
        if "db" in request.fixturenames:  # a permit left by an earlier flush must not reach this test
            from django.db import DatabaseError, transaction

            request.getfixturevalue("db")
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(REVOKE_PURGE_SQL)
            except DatabaseError:
                pass  # a database built without the migrations has no permit table (and no trigger)
        yield
        return
    request.getfixturevalue("transactional_db")
    with connection.cursor() as cursor:
        cursor.execute(REVOKE_PURGE_SQL)
    yield
    with connection.cursor() as cursor:
        cursor.execute(GRANT_PURGE_SQL)


def _wants_transaction(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


# --- Ids that cannot coincide -----------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once the test database exists, give every table's ids their own range (tests/id_offsets.py)."""
    from tests.id_offsets import offset_table_ids

    with django_db_blocker.unblock():
        offset_table_ids()


# --- The standard world ---------------------------------------------------------------
@dataclass
class World:
    nation: object
    province_a: object
    province_b: object
    school_a: object
    school_a2: object
    school_b: object
    national_admin: object
    provincial_admin_a: object
    provincial_admin_b: object
    reviewer_a: object
    team_leader_a: object
    coordinator_a: object
    counsellor_a: object
    counsellor_a2: object
    health_teacher_a: object
    class_teacher_a: object
    staff_a: object
    filer_a: object
    counsellor_a2_school: object
    counsellor_b: object
    team_leader_b: object


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The standard organisations and people (also built once per module by the access matrix)."""
    nation = make_org(OrgKind.NATION, name="全国")
    province_a = make_org(OrgKind.PROVINCE, nation, name="甲省")
    province_b = make_org(OrgKind.PROVINCE, nation, name="乙省")
    school_a = make_org(OrgKind.SCHOOL, province_a, name="甲省第一测试大学")
    school_a2 = make_org(OrgKind.SCHOOL, province_a, name="甲省第二测试中学")
    school_b = make_org(OrgKind.SCHOOL, province_b, name="乙省测试大学")
    return World(
        nation=nation,
        province_a=province_a,
        province_b=province_b,
        school_a=school_a,
        school_a2=school_a2,
        school_b=school_b,
        national_admin=person(Role.NATIONAL_ADMIN, nation),
        provincial_admin_a=person(Role.PROVINCIAL_ADMIN, province_a),
        provincial_admin_b=person(Role.PROVINCIAL_ADMIN, province_b),
        reviewer_a=person(Role.REVIEWER, province_a),
        team_leader_a=person(Role.TEAM_LEADER, school_a),
        coordinator_a=person(Role.COORDINATOR, school_a),
        counsellor_a=person(Role.COUNSELLOR, school_a),
        counsellor_a2=person(Role.COUNSELLOR, school_a),
        health_teacher_a=person(Role.HEALTH_TEACHER, school_a),
        class_teacher_a=person(Role.CLASS_TEACHER, school_a),
        staff_a=person(Role.STAFF, school_a),
        filer_a=person(Role.FILER, school_a),
        counsellor_a2_school=person(Role.COUNSELLOR, school_a2),
        counsellor_b=person(Role.COUNSELLOR, school_b),
        team_leader_b=person(Role.TEAM_LEADER, school_b),
    )


# --- Headless Chromium ----------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


def _make_driver(width: int, height: int, download_dir: str, *, phone: bool = False):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if phone:  # a real phone's viewport; a headless window alone cannot be narrower than ~500 px
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": True}}
        )
    options.add_experimental_option(
        "prefs", {"download.default_directory": download_dir, "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console, for CSP violations
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def chromium(request, tmp_path):
    """A fresh headless Chromium; phone-sized with @pytest.mark.parametrize indirect or the ``phone`` marker."""
    if not chromium_available():
        if IN_CI:
            pytest.fail("Chromium and chromedriver are required in CI (apt-get install chromium chromium-driver)")
        pytest.skip("SKIPPED-E2E: Chromium/chromedriver not installed")
    phone = request.node.get_closest_marker("phone") is not None
    size = (390, 844) if phone else (1280, 900)
    driver = _make_driver(*size, download_dir=str(tmp_path), phone=phone)
    driver.download_dir = str(tmp_path)
    yield driver
    driver.quit()


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass"))


# --- No personal data in logs (tests/xinan/security/log_watch.py) -----------------------
_LEAKS_KEY = "xinan_log_leaks"


def pytest_sessionstart(session):
    from tests.xinan.security.log_watch import LeakWatch

    session.config._xinan_log_watch = LeakWatch()
    session.config._xinan_log_watch.install()
    session.config._xinan_worker_leaks = []


def pytest_runtest_setup(item):
    watch = getattr(item.config, "_xinan_log_watch", None)
    if watch is not None:
        watch.ensure_installed()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):  # pytest-xdist: a worker hands over its findings
    output = getattr(node, "workeroutput", {})
    node.config._xinan_worker_leaks += output.get(_LEAKS_KEY, [])
    matrix = output.get("xinan_access_matrix")
    if matrix:
        totals = getattr(node.config, "_xinan_access_matrix", None) or dict.fromkeys(matrix, 0)
        for key, value in matrix.items():
            totals[key] = max(totals[key], value) if key in ("roles", "methods") else totals[key] + value
        node.config._xinan_access_matrix = totals


def pytest_terminal_summary(terminalreporter, config):
    """The access matrix's size and result (tests/xinan/access), with or without xdist."""
    from tests.xinan.access.matrix import RESULTS

    results = getattr(config, "_xinan_access_matrix", None) or RESULTS
    if not results["urls"]:
        return
    size = results["urls"] * results["roles"] * results["methods"]
    verdict = "all as declared" if not results["failed_urls"] else f"{results['failed_urls']} URL patterns differ"
    terminalreporter.write_line(
        f"access matrix: {results['urls']} URL patterns × {results['roles']} roles × {results['methods']} methods"
        f" = {size} cells, {results['cells']} checked, and {results['outside']} requests on school B's objects"
        f" by school A's people: {verdict}"
    )


def pytest_sessionfinish(session, exitstatus):
    from tests.xinan.security.log_watch import Finding, report

    watch = getattr(session.config, "_xinan_log_watch", None)
    if watch is None:
        return
    watch.uninstall()
    if hasattr(session.config, "workeroutput"):  # an xdist worker: the controller reports
        session.config.workeroutput[_LEAKS_KEY] = [vars(finding) for finding in watch.findings]
        return
    findings = watch.findings + [Finding(**item) for item in session.config._xinan_worker_leaks]
    if findings:
        terminal = session.config.pluginmanager.get_plugin("terminalreporter")
        for line in report(findings):
            terminal.write_line(line, red=True) if terminal else print(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
