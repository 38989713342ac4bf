"""Load users for XinAn (run by bench/load/run.py, which seeds the database and starts gunicorn).

    locust -f bench/load/locustfile.py --headless --host http://127.0.0.1:PORT \
        MixedFiler Counsellor TeamLeader Probe          # the mixed scenario
        RushFiler Probe                                  # the deadline rush

Everyone signs in like a person: filers by SMS code (the code is read from the outbox table,
which is what the outbox SMS backend delivers to; it is never printed), counsellors and team
leaders by password. CSRF tokens come from the pages. Request names are endpoint groups.

Environment (set by run.py): LOAD_DATABASE_URL (the load database, to read the outbox),
LOAD_CAMPAIGN_ID, LOAD_DEADLINE (rush: the campaign's deadline, Unix seconds),
LOAD_RESULT_JSON (where the status tallies and the rush outcomes are written at the end).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet, MultiFernet
from locust import HttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.common import (
    CASE_SCHOOLS,
    FILERS,
    STAFF_PASSWORD,
    counsellor_phone,
    filer_phone,
    leader_phone,
)
from bench.load.reports import report_pool

CAMPAIGN_ID = int(os.environ.get("LOAD_CAMPAIGN_ID", "0"))
DEADLINE = float(os.environ.get("LOAD_DEADLINE", "0"))
RESULT_JSON = os.environ.get("LOAD_RESULT_JSON", "")
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinan_load")
# Rush: when each filer presses "submit", in seconds relative to the deadline.
RUSH_EARLIEST, RUSH_LATEST = -75.0, 15.0

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
DECLARATION_BOX = re.compile(r'name="(d\d+)"')
SUBMISSION_PATH = re.compile(r"/campaigns/submissions/(\d+)/")
SUBMITTED = "提交成功"
PAST_DEADLINE = "截止，不能再提交或修改"

REPORTS = report_pool(24)
STATUS = defaultdict(Counter)  # endpoint group -> status code -> count
RUSH = []  # (seconds after the deadline when submit was pressed, outcome)
_numbers = defaultdict(itertools.count)
_db_lock = threading.Lock()
_db = None


def _next(kind: str, limit: int) -> int:
    return next(_numbers[kind]) % limit + 1


def _token(html: str) -> str:
    match = TOKEN.search(html)
    if not match:
        return ""
    return match.group(1) or match.group(2)


_fernet: MultiFernet | None = None


def _decrypt_params(stored: str) -> dict:
    """The outbox keeps template parameters encrypted (one Fernet token behind ``enc1:``). The
    runner made this run's throwaway key in its data directory, so the load user can read the code
    the way the person's phone would show it."""
    global _fernet
    if _fernet is None:
        keys = [k.strip() for k in os.environ.get("XINAN_ENCRYPTION_KEYS", "").split(",") if k.strip()]
        if not keys:
            keys = (Path(os.environ["XINAN_DATA_DIR"]) / "encryption_keys").read_text(encoding="ascii").split()
        _fernet = MultiFernet([Fernet(key.encode()) for key in keys])
    if stored.startswith("enc1:"):
        stored = _fernet.decrypt(stored[len("enc1:") :].encode("ascii")).decode("utf-8")
    return json.loads(stored)


def _latest_code(phone: str, after_id: int) -> tuple[int, str | None]:
    """The newest sign-in SMS for ``phone`` in the outbox with an id above ``after_id``.

    The outbox keeps addresses encrypted, so the message is found by its recipient: the user
    with this phone (users' phones are stored in their national form)."""
    global _db
    with _db_lock:
        if _db is None:
            _db = psycopg.connect(DATABASE_URL, autocommit=True)
        row = _db.execute(
            "SELECT id, params FROM notifications_message"
            " WHERE recipient_id = (SELECT id FROM accounts_user WHERE phone = %s)"
            " AND template = 'login_code' AND id > %s ORDER BY id DESC LIMIT 1",
            (phone, after_id),
        ).fetchone()
    return (row[0], _decrypt_params(row[1]).get("code")) if row else (after_id, None)


@events.request.add_listener
def _tally(name, response, exception, **_kwargs):
    STATUS[name]["exception" if exception and response is None else str(getattr(response, "status_code", 0))] += 1


def _write_results(**_kwargs):
    if RESULT_JSON:
        Path(RESULT_JSON).write_text(
            json.dumps({"status": {k: dict(v) for k, v in STATUS.items()}, "rush": RUSH}, ensure_ascii=False)
        )


events.test_stop.add_listener(_write_results)
events.quitting.add_listener(_write_results)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def get(self, path: str, name: str, expect=(200,)) -> str:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code not in expect:
                response.failure(f"status {response.status_code}")
            return response.text

    def post(self, path: str, name: str, data=None, files=None, token: str = "", expect=(302,), accept=None):
        """POST without following the redirect (the next page is its own request, as in a browser)."""
        data = {**(data or {}), "csrfmiddlewaretoken": token}
        with self.client.post(
            path, data=data, files=files, name=name, catch_response=True, allow_redirects=False
        ) as response:
            ok = response.status_code in expect or (accept is not None and accept(response))
            if ok:
                response.success()
            else:
                response.failure(f"status {response.status_code}")
            return response

    def follow(self, response, name: str) -> str:
        """The page after a POST: the redirect's target, or the page the POST answered with."""
        location = response.headers.get("Location", "")
        return self.get(location, name) if location.startswith("/") else response.text

    def think(self, low: float = 0.5, high: float = 2.0) -> None:
        time.sleep(random.uniform(low, high))

    # --- Signing in --------------------------------------------------------------------
    def sign_in_with_password(self, phone: str) -> None:
        token = _token(self.get("/accounts/login/?tab=password", "sign-in page"))
        self.think()
        response = self.post(
            "/accounts/login/", "sign-in: password", {"phone": phone, "password": STAFF_PASSWORD}, token=token
        )
        self.home_html = self.follow(response, "home")

    def sign_in_with_code(self, phone: str) -> None:
        token = _token(self.get("/accounts/login/", "sign-in page"))
        before, _code = _latest_code(phone, 0)
        self.think()
        page = self.post(
            "/accounts/login/code/send/", "sign-in: send code", {"phone": phone}, token=token, expect=(200,)
        ).text
        code = None
        for _attempt in range(20):
            _id, code = _latest_code(phone, before)
            if code:
                break
            time.sleep(0.25)
        self.think(2, 5)  # reading the SMS and typing it
        response = self.post(
            "/accounts/login/code/", "sign-in: code", {"phone": phone, "code": code or "000000"}, token=_token(page)
        )
        self.home_html = self.follow(response, "home")


# --- Filers ----------------------------------------------------------------------------------
class Filer(Person):
    abstract = True

    def on_start(self) -> None:
        self.number = _next("filer", FILERS)
        self.sign_in_with_code(filer_phone(self.number))
        self.campaign_url = f"/campaigns/{CAMPAIGN_ID}/"

    def prepare_submission(self, *, accept=None) -> tuple[str, str] | None:
        """Start a draft, fill the information, upload Word + PDF, declare. Returns (url, page)."""
        token = _token(self.get(self.campaign_url, "filer: campaign page"))
        self.think()
        response = self.post(f"{self.campaign_url}start/", "filer: start draft", token=token)
        match = SUBMISSION_PATH.search(response.headers.get("Location", ""))
        if not match:
            return None
        url = match.group(0)
        page = self.get(url, "filer: submission page")
        self.think(3, 8)  # typing the title, the authors, the phone
        info = {
            "title": "携手同行 守护生命",
            "subtitle": "——一例由学业挫折引发的自我伤害危机的干预报告",
            "authors": f"负载测试作者{self.number}，负载测试大学心理中心，专职咨询师",
            "contact_phone": f"137{self.number:08d}",
            "trigger": "学业",
            "nature": "自我伤害",
            "outcome": "successful",
        }
        response = self.post(f"{url}info/", "filer: save report draft", info, token=_token(page), accept=accept)
        page = self.follow(response, "filer: submission page")
        self.think()
        docx, pdf = random.choice(REPORTS)
        files = {
            "docx": ("案例报告.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "pdf": ("案例报告.pdf", pdf, "application/pdf"),
        }
        response = self.post(f"{url}files/", "filer: upload Word + PDF", files=files, token=_token(page), accept=accept)
        page = self.follow(response, "filer: submission page")
        self.think()
        boxes = {name: "on" for name in DECLARATION_BOX.findall(page)}
        response = self.post(f"{url}declare/", "filer: declarations", boxes, token=_token(page), accept=accept)
        page = self.follow(response, "filer: submission page")
        return url, page

    def submit(self, url: str, page: str) -> str:
        response = self.post(f"{url}submit/", "filer: submit", token=_token(page))
        return self.follow(response, "filer: submission page")


class MixedFiler(Filer):
    """Reads the home and campaign pages and files a report start to end, then withdraws it
    (the school's slot is freed, so every filer can keep filing for the whole run)."""

    weight = 6

    @task(3)
    def home(self) -> None:
        self.get("/", "home")

    @task(3)
    def campaign_page(self) -> None:
        self.get(self.campaign_url, "filer: campaign page")

    @task(2)
    def file_a_report(self) -> None:
        prepared = self.prepare_submission()
        if prepared is None:
            return
        url, page = prepared
        self.think()
        page = self.submit(url, page)
        self.think(2, 5)
        if SUBMITTED in page:
            response = self.post(f"{url}withdraw/", "filer: withdraw", token=_token(page))
            self.follow(response, "filer: campaign page")


def _refused_for_deadline(response) -> bool:
    return response.status_code == 400 and PAST_DEADLINE in response.text


class RushFiler(Filer):
    """Prepares one report right away, presses "submit" at a moment spread over the last 75 s
    before the deadline and the first 15 s after it, then watches the campaign page."""

    wait_time = constant(5)

    def on_start(self) -> None:
        super().on_start()
        self.done = False

    @task
    def rush(self) -> None:
        if self.done:
            self.get(self.campaign_url, "filer: campaign page")
            return
        self.done = True
        prepared = self.prepare_submission(accept=_refused_for_deadline)
        moment = DEADLINE + random.uniform(RUSH_EARLIEST, RUSH_LATEST)
        if prepared is None:
            RUSH.append([round(time.time() - DEADLINE, 2), "not prepared"])
            return
        url, page = prepared
        time.sleep(max(0.0, moment - time.time()))
        pressed = time.time() - DEADLINE
        page = self.submit(url, page)
        if SUBMITTED in page:
            outcome = "accepted"
        elif PAST_DEADLINE in page:
            outcome = "refused: deadline"
        else:
            outcome = "other"
        RUSH.append([round(pressed, 2), outcome])


# --- Counsellors and team leaders ------------------------------------------------------------
class Staff(Person):
    abstract = True
    case_ids: list[str]

    def case_list(self) -> None:
        html = self.get("/cases/", "cases: case list")
        self.case_ids = sorted(set(CASE_LINK.findall(html))) or getattr(self, "case_ids", [])

    def case_page(self) -> None:
        if self.case_ids:
            self.get(f"/cases/{random.choice(self.case_ids)}/", "cases: case page")

    @task(2)
    def dashboard(self) -> None:
        self.get("/cases/dashboard/", "cases: dashboard")

    @task(2)
    def list_and_open(self) -> None:
        self.case_list()
        self.think()
        self.case_page()


class Counsellor(Staff):
    weight = 3

    def on_start(self) -> None:
        self.sign_in_with_password(counsellor_phone(_next("counsellor", CASE_SCHOOLS)))
        self.case_list()

    @task(1)
    def add_timeline_note(self) -> None:
        if not self.case_ids:
            return
        case = random.choice(self.case_ids)
        form = self.get(f"/cases/{case}/follow-up/", "cases: follow-up form")
        self.think(3, 8)
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
        data = {"at": now, "channel": "in_person", "note": "负载测试：面谈回访，学生情绪平稳，按计划继续跟踪。"}
        response = self.post(f"/cases/{case}/follow-up/", "cases: add follow-up note", data, token=_token(form))
        self.follow(response, "cases: case page")


class TeamLeader(Staff):
    weight = 1

    def on_start(self) -> None:
        self.sign_in_with_password(leader_phone(_next("leader", CASE_SCHOOLS)))
        self.case_list()

    @task(2)
    def my_tasks(self) -> None:
        self.get("/cases/tasks/", "cases: my tasks")

    @task(1)
    def home(self) -> None:
        self.get("/", "home")


# --- The baseline, measured in the same run ----------------------------------------------------
class Probe(HttpUser):
    """One anonymous user: /healthz (one SELECT 1, no template) and the sign-in page (a template,
    no session), once a second each — the yardsticks for every other group's times."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def probe(self) -> None:
        self.client.get("/healthz", name="baseline: /healthz")
        self.client.get("/accounts/login/", name="baseline: sign-in page (anonymous)")
