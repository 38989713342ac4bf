#!/usr/bin/env python3
"""The multi-server stage: the deployment shape of docs/deployment.md started on this machine,
driven through nginx with plain HTTP, and put through faults.

    python3 dev stage                      (or: .venv/bin/python tests/stage/run.py [--soak-seconds 60])

nginx → two gunicorn application servers → PostgreSQL (a fresh database); Redis (its own
redis-server) with two rq workers (``xinan worker``, one with the scheduler); an S3-compatible
object store (moto's server mode, behind a switchable relay) for uploaded files and backups; a
stand-in for the SMS provider's API that counts what it receives. Everything on 127.0.0.1, in a
temporary folder, torn down at the end (also after a failure or Ctrl-C).

Then, through nginx: staff sign in, a first report, an upload to the case's dossier, an export
requested by one person and approved by another, a campaign submission (Word + PDF) by a filer
who signs in with an SMS code. Faults, each checked: an application server crashes in the middle
of traffic; a worker is killed while it sends an SMS; Redis restarts between failed sign-ins; the
object store refuses connections for a while; a backup with the files in S3 is restored into a
new database and bucket; the encryption key of the restored copy is rotated. A short soak after
warm-up prints p50/p95/p99. The summary lists every check; the exit status is 1 if any failed.

Needs PostgreSQL on 127.0.0.1:5432 (user ``postgres``; STAGE_POSTGRES overrides), Debian's
``nginx`` and ``redis-server``, and the development venv (moto is a dev dependency).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.stage.infra import Relay, Service, SmsGateway, StageError, free_port, nginx_conf  # noqa: E402
from tests.stage.web import Person, timed_get  # noqa: E402

PY = sys.executable
BIN = Path(sys.executable).parent
PG = os.environ.get("STAGE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DEMO_PASSWORD = "xinan-demo-2026"
COORDINATOR, COUNSELLOR, LEADER, STAFF = "13900000103", "13900000105", "13900000101", "13900000109"
FILER, FILER2 = "13900000110", "13900000303"
BUCKET, RESTORED_BUCKET = "xinan-files", "xinan-restored"
STORAGE_DOWN_TEXT = "文件存储暂时不可用"
# The one setting that differs from production: a person may ask for a new sign-in code after 10 s
# instead of 60 s (the setting's minimum), so the stage need not wait a minute after a lost SMS.
RESEND_SECONDS = 10
BASELINE = "anonymous baseline"
LOCKED_TEXT = "该账号已被临时锁定"
RECEIPT = re.compile(r"/cases/report/received/([A-Za-z0-9_-]+)/")
SUBMISSION = re.compile(r"/campaigns/submissions/(\d+)/")
DECLARATION = re.compile(r'name="(d\d+)"')


def say(message: str) -> None:
    print(f"[stage] {time.strftime('%H:%M:%S')} {message}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Stage:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="xinan-stage-"))
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.checks: list[tuple[str, bool, str]] = []
        self.services: dict[str, Service] = {}
        self.gateway: SmsGateway | None = None
        self.relay: Relay | None = None
        self.databases: list[str] = []
        self.deferred: list = []
        self.owner, self.app = f"{args.database}_owner", f"{args.database}_app"
        self.roles: list[str] = []
        self.role_password = secrets.token_hex(16)  # both roles, this run only
        self.timings: list[tuple[str, float]] = []
        self.started = time.monotonic()

    # --- results -----------------------------------------------------------------------------
    def check(self, name: str, ok: bool, detail: str = "", *, logs: tuple[str, ...] = ()) -> bool:
        self.checks.append((name, bool(ok), detail))
        say(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        if not ok:
            for service in logs:
                if service in self.services:
                    print(f"----- last lines of {service}'s log -----\n{self.services[service].tail()}\n-----")
        return ok

    # --- setting up --------------------------------------------------------------------------
    def database_url(self, name: str) -> str:
        return f"{PG}/{name}"

    def create_roles(self) -> None:
        """The two roles of docs/deployment.md §2: the owner migrates, the application role only
        reads and writes rows (no TRUNCATE, cannot touch the audit trigger)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            for role in (self.owner, self.app):
                verb = (
                    "ALTER"
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
                    else "CREATE"
                )
                conn.execute(
                    sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(self.role_password)
                    )
                )
        self.roles = [self.owner, self.app]

    def create_database(self, name: str) -> None:
        """A database owned by the owner role, with the schema and default privileges of §2."""
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{self.owner}" ENCODING \'UTF8\' TEMPLATE template0')
        self.databases.append(name)
        with psycopg.connect(self.database_url(name), autocommit=True) as conn:
            for statement in (
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                f'ALTER SCHEMA public OWNER TO "{self.owner}"',
                f'GRANT CONNECT ON DATABASE "{name}" TO "{self.app}"',
                f'GRANT USAGE ON SCHEMA public TO "{self.app}"',
                f'ALTER DEFAULT PRIVILEGES FOR ROLE "{self.owner}" IN SCHEMA public '
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{self.app}"',
                f'ALTER DEFAULT PRIVILEGES FOR ROLE "{self.owner}" IN SCHEMA public '
                f'GRANT USAGE, SELECT ON SEQUENCES TO "{self.app}"',
            ):
                conn.execute(statement)

    def role_url(self, role: str, database: str) -> str:
        """The server of STAGE_POSTGRES as ``role``, with the run's generated password."""
        parts = urllib.parse.urlsplit(PG)
        return f"postgres://{role}:{self.role_password}@{parts.hostname}:{parts.port or 5432}/{database}"

    def sql(self, query: str, params: tuple = (), *, database: str | None = None) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url(database or self.args.database), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def s3(self, port: int | None = None):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port or self.moto_port}",
            region_name="us-east-1",
            aws_access_key_id="stage",
            aws_secret_access_key="stage-secret",
        )

    def objects(self, bucket: str = BUCKET) -> set[str]:
        names: set[str] = set()
        for page in self.s3().get_paginator("list_objects_v2").paginate(Bucket=bucket):
            names.update(item["Key"] for item in page.get("Contents", []))
        return names

    def service(self, name: str, command: list[str], env: dict, port: int | None = None) -> Service:
        service = Service(name, command, env, self.logs / f"{name}.log", ROOT, port)
        self.services[name] = service
        return service

    def xinan(self, *args: str, env: dict | None = None, log: str = "commands") -> subprocess.CompletedProcess:
        started = time.monotonic()
        try:
            return self._xinan(args, env, log)
        finally:
            self.timings.append((f"xinan {args[0]}", time.monotonic() - started))

    def _xinan(self, args, env, log) -> subprocess.CompletedProcess:
        with (self.logs / f"{log}.log").open("a") as handle:
            handle.write(f"\n$ xinan {' '.join(args)}\n")
            handle.flush()
            return subprocess.run(
                [PY, "-m", "xinan", *args],
                cwd=ROOT,
                env=env or self.env,
                stdout=subprocess.PIPE,
                stderr=handle,
                text=True,
                timeout=300,
            )

    def setup_command(self, *args: str, env: dict | None = None) -> None:
        result = self.xinan(*args, log="setup", env=env)
        if result.returncode != 0:
            tail = "\n".join((self.logs / "setup.log").read_text(errors="replace").splitlines()[-30:])
            raise StageError(f"`xinan {' '.join(args)}` failed:\n{tail}")

    def start(self) -> None:
        from cryptography.fernet import Fernet

        self.gateway = SmsGateway()
        redis_port, self.moto_port, relay_port = free_port(), free_port(), free_port()
        (self.tmp / "redis").mkdir()
        # Persistence on, as docs/deployment.md §3 asks: a restart keeps the queued jobs.
        self.service(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(self.tmp / "redis"),
            ],
            {**os.environ},
            redis_port,
        ).start()
        self.service(
            "s3",
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.moto_port)],
            {**os.environ},
            self.moto_port,
        ).start()
        self.relay = Relay(relay_port, self.moto_port)
        self.relay.start()
        client = self.s3()
        for bucket in (BUCKET, RESTORED_BUCKET):
            client.create_bucket(Bucket=bucket)
            client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        self.create_roles()
        self.create_database(self.args.database)
        self.nginx_port = free_port()
        self.base = f"http://127.0.0.1:{self.nginx_port}"
        templates = sorted({p.parent.name for p in (ROOT / "src" / "xinan").glob("*/templates/messages/*/sms.txt")})
        self.old_key = Fernet.generate_key().decode()
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("XINAN_", "DATABASE_URL", "REDIS_URL", "AWS_"))
        }
        self.env = {
            **inherited,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "xinan.settings",
            "TZ": "Asia/Shanghai",
            "DATABASE_URL": self.role_url(self.app, self.args.database),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "XINAN_TASK_BACKEND": "rq",
            "XINAN_SECRET_KEY": secrets.token_urlsafe(50),
            "XINAN_ENCRYPTION_KEYS": self.old_key,
            "XINAN_DEBUG": "false",
            "XINAN_HTTPS": "false",  # nginx listens on the loopback without TLS
            "XINAN_BEHIND_PROXY": "true",
            "XINAN_ALLOWED_HOSTS": "127.0.0.1",
            "XINAN_SITE_URL": self.base,
            "XINAN_STATIC_ROOT": str(self.tmp / "static"),
            "XINAN_STORAGE": "s3",
            "XINAN_S3_BUCKET": BUCKET,
            "XINAN_S3_ENDPOINT_URL": f"http://127.0.0.1:{relay_port}",
            "XINAN_S3_REGION": "us-east-1",
            "XINAN_S3_ACCESS_KEY": "stage",
            "XINAN_S3_SECRET_KEY": "stage-secret",
            "XINAN_SMS_BACKEND": "aliyun",
            "XINAN_SMS_ENDPOINT": f"http://127.0.0.1:{self.gateway.port}/",
            "XINAN_SMS_ACCESS_KEY_ID": "stage",
            "XINAN_SMS_ACCESS_KEY_SECRET": "stage-secret",
            "XINAN_SMS_TEMPLATE_CODES": json.dumps({name: f"SMS_STAGE_{i}" for i, name in enumerate(templates)}),
            "XINAN_EMAIL_BACKEND": "outbox",
            "XINAN_LOGIN_CODE_RESEND_SECONDS": str(RESEND_SECONDS),
            "XINAN_DATA_DIR": str(self.tmp / "release"),
        }
        say("migrate, collectstatic, demo data (PostgreSQL, files in S3)")
        # Migrations as the owner role (deployment.md §6); everything else as the application role.
        self.setup_command(
            "migrate",
            "--no-input",
            "-v",
            "0",
            env={**self.env, "DATABASE_URL": self.role_url(self.owner, self.args.database)},
        )
        for step in (["collectstatic", "--no-input", "-v", "0"], ["demo"]):
            self.setup_command(*step)
        # Each server has its own data folder: nothing may depend on another's local disk.
        for name, extra in (("worker1", []), ("worker2", ["--no-scheduler"])):
            env = {**self.env, "XINAN_DATA_DIR": str(self.tmp / name)}
            self.service(name, [PY, "-m", "xinan", "worker", *extra], env).start()
        self.app_ports = [free_port(), free_port()]
        for index, port in enumerate(self.app_ports, start=1):
            env = {**self.env, "XINAN_DATA_DIR": str(self.tmp / f"app{index}")}
            self.service(
                f"app{index}",
                [
                    str(BIN / "gunicorn"),
                    "xinan.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "30",
                    "--error-logfile",
                    "-",
                ],
                env,
                port,
            )
            self.services[f"app{index}"].start(90)
        conf = nginx_conf(
            self.tmp / "nginx", port=self.nginx_port, upstreams=self.app_ports, run_as_root=os.geteuid() == 0
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.service(
            "nginx",
            [
                nginx,
                "-e",
                str(self.tmp / "nginx" / "error.log"),
                "-p",
                str(self.tmp / "nginx"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            {**os.environ},
            self.nginx_port,
        ).start()
        say(
            f"up: nginx :{self.nginx_port} → app1 :{self.app_ports[0]}, app2 :{self.app_ports[1]}; "
            f"PostgreSQL {self.args.database}; Redis :{redis_port}; 2 workers; S3 (moto) :{self.moto_port} "
            f"via relay :{relay_port}; SMS provider stand-in :{self.gateway.port}"
        )

    # --- the everyday flows ------------------------------------------------------------------
    def signed_in(self, phone: str, label: str) -> Person:
        person = Person(self.base, label)
        response = person.sign_in_with_password(phone, DEMO_PASSWORD)
        if response.status_code != 302:
            raise StageError(f"{label} could not sign in (status {response.status_code})")
        person.follow(response)
        return person

    def flows(self) -> None:
        from bench.load.reports import report_pool

        (self.docx, self.pdf), (self.docx2, self.pdf2) = report_pool(2, seed=7)
        coordinator = Person(self.base, "coordinator")
        response = coordinator.sign_in_with_password(COORDINATOR, DEMO_PASSWORD)
        home = coordinator.follow(response)
        self.check(
            "staff sign in with a password through nginx",
            response.status_code == 302 and home.status_code == 200,
            f"POST {response.status_code}, home {home.status_code}",
            logs=("nginx", "app1", "app2"),
        )
        self.coordinator = coordinator

        counsellor = self.signed_in(COUNSELLOR, "counsellor")
        counsellor.get("/cases/report/")
        now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")
        response = counsellor.post(
            "/cases/report/",
            {
                "student_text": "（演练）高二年级某班学生",
                "occurred_at": now,
                "location": "教学楼",
                "categories": ["self_harm"],
                "observed": "（演练）发现手臂有划痕，情绪低落。",
                "measures": "已陪伴并联系心理中心。",
                "injury": "first_aid",
            },
        )
        match = RECEIPT.search(response.headers.get("Location", ""))
        case_id = None
        if match:
            rows = self.sql("SELECT case_id FROM cases_firstreport WHERE receipt_token = %s", (match.group(1),))
            case_id = rows[0][0] if rows else None
        self.check(
            "a first report filed through nginx",
            case_id is not None,
            f"status {response.status_code}, case {case_id}",
            logs=("app1", "app2"),
        )
        if case_id is None:
            raise StageError("no case to work on")
        self.case_id = case_id

        documents_before = self.document_count()
        upload = self.upload_to_dossier(coordinator, "记录.pdf")
        names = [r[0] for r in self.sql("SELECT storage_name FROM dossier_document WHERE case_id = %s", (case_id,))]
        in_s3 = self.objects()
        self.check(
            "an upload to the dossier lands in S3",
            upload.status_code == 302
            and self.document_count() == documents_before + 1
            and bool(names)
            and all(name in in_s3 for name in names),
            f"status {upload.status_code}, {len(names)} document(s), all in the bucket: "
            f"{all(name in in_s3 for name in names)}",
            logs=("app1", "app2"),
        )

        coordinator.get(f"/exports/cases/{case_id}/dossier/")
        asked = coordinator.post(f"/exports/cases/{case_id}/dossier/", {"purpose": "（演练）交区教育局心理中心复核"})
        rows = self.sql("SELECT id FROM exports_exportrequest WHERE case_id = %s ORDER BY id DESC LIMIT 1", (case_id,))
        export_id = rows[0][0] if rows else None
        coordinator.get("/exports/mine/")
        self_approval = coordinator.post(f"/exports/{export_id}/decide/", {"action": "approve", "reason": "自批"})
        leader = self.signed_in(LEADER, "team leader")
        leader.get("/exports/pending/")
        decided = leader.post(f"/exports/{export_id}/decide/", {"action": "approve", "reason": "同意"})
        coordinator.get("/exports/mine/")
        download = coordinator.post(f"/exports/{export_id}/download/")
        decision = self.sql("SELECT decision, decided_by_id FROM exports_exportrequest WHERE id = %s", (export_id,))
        self.check(
            "an export requested by one and approved by another (four-eyes), downloaded",
            asked.status_code == 302
            and self_approval.status_code in (400, 404, 409)
            and decided.status_code == 302
            and download.status_code == 200
            and len(download.content) > 1000,
            f"request {asked.status_code}, self-approval refused {self_approval.status_code}, approval "
            f"{decided.status_code}, download {download.status_code} ({len(download.content)} bytes, "
            f"{download.headers.get('Content-Type', '')}), decision {decision}",
            logs=("app1", "app2"),
        )

        filer = Person(self.base, "filer")
        response = filer.sign_in_with_code(FILER, self.gateway)
        self.check(
            "a filer signs in with an SMS code (sent by a worker through the provider's API)",
            response.status_code == 302,
            f"status {response.status_code}",
            logs=("worker1", "worker2", "app1", "app2"),
        )
        self.filer = filer
        submission, page = self.file_submission(filer)
        rows = self.sql("SELECT state, docx_name, pdf_name FROM campaigns_submission WHERE id = %s", (submission,))
        in_s3 = self.objects()
        ok = bool(rows) and rows[0][0] == "submitted" and rows[0][1] in in_s3 and rows[0][2] in in_s3
        self.check(
            "a campaign submission (Word + PDF) through nginx, files in S3",
            ok and "提交成功" in page,
            f"submission {submission}: {rows[0][0] if rows else 'missing'}",
            logs=("app1", "app2"),
        )

        doctor = self.xinan("doctor")
        self.check(
            "xinan doctor against the stage (database, Redis, S3, keys, messages, worker)",
            doctor.returncode == 0,
            "; ".join(line for line in doctor.stdout.splitlines() if not line.startswith("ok"))[:400],
        )
        self.privileges()

    def privileges(self) -> None:
        """deployment.md §2's own check: the application role can neither empty nor rewrite the
        audit trail."""
        import psycopg

        refused = []
        for statement in (
            "TRUNCATE audit_auditentry",
            "UPDATE audit_auditentry SET reason = reason WHERE id = (SELECT min(id) FROM audit_auditentry)",
            "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
        ):
            with psycopg.connect(self.role_url(self.app, self.args.database), autocommit=True) as conn:
                try:
                    conn.execute(statement)
                except psycopg.Error as exc:
                    refused.append(type(exc).__name__)
        self.check(
            "the application role cannot truncate, rewrite or unprotect the audit trail",
            len(refused) == 3,
            f"refused: {refused}",
        )

    def document_count(self) -> int:
        return self.sql("SELECT count(*) FROM dossier_document WHERE case_id = %s", (self.case_id,))[0][0]

    def upload_to_dossier(self, person: Person, name: str):
        person.get(f"/dossier/cases/{self.case_id}/upload/")
        files = {"file": (name, self.pdf, "application/pdf")}
        return person.post(
            f"/dossier/cases/{self.case_id}/upload/",
            {"slot": "intervention_record", "note": "（演练）干预记录"},
            files=files,
        )

    def file_submission(self, filer: Person) -> tuple[int | None, str]:
        campaign = self.sql("SELECT id FROM campaigns_campaign WHERE title LIKE %s", ("（演示）%",))[0][0]
        filer.get(f"/campaigns/{campaign}/")
        started = filer.post(f"/campaigns/{campaign}/start/")
        match = SUBMISSION.search(started.headers.get("Location", ""))
        if not match:
            return None, started.text[:200]
        url = match.group(0)
        filer.get(url)
        files = {
            "docx": (
                "案例报告.docx",
                self.docx,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            "pdf": ("案例报告.pdf", self.pdf, "application/pdf"),
        }
        filer.follow(filer.post(f"{url}files/", files=files))
        # New files ask for the basic information again (it is re-read from them): confirm it, as the
        # filing page asks, then the declarations.
        filer.follow(
            filer.post(
                f"{url}info/",
                {
                    "title": "携手同行 守护生命",
                    "subtitle": "——一例由学业挫折引发的自我伤害危机的干预报告",
                    "authors": "演练作者，演示大学心理中心，专职咨询师",
                    "contact_phone": "13700000000",
                    "trigger": "学业",
                    "nature": "自我伤害",
                    "outcome": "successful",
                },
            )
        )
        page = filer.get(url).text
        boxes = {name: "on" for name in DECLARATION.findall(page)}
        filer.follow(filer.post(f"{url}declare/", boxes))
        page = filer.follow(filer.post(f"{url}submit/")).text
        return int(match.group(1)), page

    # --- faults ------------------------------------------------------------------------------
    def traffic(
        self, people: list[Person], paths: list[str], halt: threading.Event, out: list, think: float = 0.0
    ) -> list[threading.Thread]:
        """Each person reads ``paths`` in turn until ``halt``, pausing up to ``think`` seconds
        between pages; every request is recorded as (start, ms, status, path)."""

        def loop(person: Person) -> None:
            pace = random.Random(person.label)
            i = 0
            while not halt.is_set():
                path = paths[i % len(paths)]
                i += 1
                started = time.monotonic()
                elapsed, status = timed_get(person, path)
                out.append((started, elapsed, status, path, person.label))
                if think:
                    halt.wait(pace.uniform(0, think))

        threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in people]
        for thread in threads:
            thread.start()
        return threads

    def fault_app_server_crash(self) -> None:
        paths = ["/", "/cases/", f"/cases/{self.case_id}/", f"/dossier/cases/{self.case_id}/", "/healthz"]
        people = [self.signed_in(COORDINATOR, f"reader {i}") for i in range(4)]
        halt, samples = threading.Event(), []
        threads = self.traffic(people, paths, halt, samples)
        time.sleep(4)
        crashed_at = time.monotonic()
        self.services["app1"].kill()
        time.sleep(6)
        self.services["app1"].start(90)
        time.sleep(4)
        halt.set()
        for thread in threads:
            thread.join(70)
        bad = [s for s in samples if s[2] >= 500 or s[2] == 0]
        in_flight = [s for s in samples if s[0] <= crashed_at < s[0] + s[1] / 1000]
        late = [s for s in bad if s[0] > crashed_at + 1]
        during = [s for s in samples if crashed_at < s[0] < crashed_at + 6]
        self.crash_figures = (len(samples), len(during), len(in_flight), len(bad))
        self.check(
            "app server 1 killed mid-run: requests go on through app server 2",
            len(bad) <= len(in_flight) and not late and len(during) > 10,
            f"{len(samples)} requests, {len(during)} while it was down, in flight at the kill {len(in_flight)}, "
            f"5xx or failed {len(bad)}, of them after the first second {len(late)}",
            logs=("nginx", "app2"),
        )

    def fault_worker_killed(self) -> None:
        import psutil

        filer = Person(self.base, "filer 2")
        filer.get("/accounts/login/")
        self.gateway.hold_phone = FILER2
        before = self.gateway.count()
        filer.post("/accounts/login/code/send/", {"phone": FILER2})
        if not self.gateway.holding.wait(30):
            self.check(
                "a worker killed while it sends an SMS",
                False,
                "the SMS never reached the provider",
                logs=("worker1", "worker2"),
            )
            return
        out_id = self.gateway.received[before]["out_id"] if self.gateway.count() > before else ""
        busy = [
            name
            for name in ("worker1", "worker2")
            if self.services[name].running and psutil.Process(self.services[name].process.pid).children()
        ]
        victim = busy[0] if busy else "worker1"
        asked_at = time.monotonic()
        self.services[victim].kill()
        self.gateway.release.set()
        say(f"killed {victim} (and its work-horse) while it was sending message {out_id}")
        # The person got no code: once the resend interval has passed they ask again, and the
        # surviving worker sends it while the killed one is still down.
        time.sleep(max(0.0, RESEND_SECONDS + 1 - (time.monotonic() - asked_at)))
        filer.get("/accounts/login/")
        response = filer.sign_in_with_code(FILER2, self.gateway, seconds=40)
        self.check(
            "a worker killed mid-send: the other worker sends the next code and the filer signs in",
            response.status_code == 302 and bool(busy),
            f"killed {victim} (it had a work-horse: {bool(busy)}), sign-in {response.status_code}",
            logs=("worker1", "worker2"),
        )
        say(f"restarting {victim} (as systemd's Restart=always would)")
        self.services[victim].start()

        def exactly_once() -> None:
            status = self.sql("SELECT status FROM notifications_message WHERE id = %s", (int(out_id),))
            received = self.gateway.deliveries(out_id)
            self.check(
                "the message whose worker was killed reached the provider exactly once "
                "(after more than a minute of the other worker and the scheduler)",
                received == 1 and status and status[0][0] in ("sending", "uncertain"),
                f"message {out_id}: received {received}×, status {status[0][0] if status else '?'}",
            )

        self.deferred.append(exactly_once)

    def fault_redis_restart(self) -> None:
        person = Person(self.base, "guesser")
        statuses = []
        for _ in range(5):
            statuses.append(person.sign_in_with_password(STAFF, "wrong-password-1").status_code)
        self.services["redis"].stop()
        self.services["redis"].start()
        time.sleep(1)
        for _ in range(5):
            statuses.append(person.sign_in_with_password(STAFF, "wrong-password-2").status_code)
        right = person.sign_in_with_password(STAFF, DEMO_PASSWORD)
        self.check(
            "Redis restarted between failed sign-ins: the lockout still holds",
            302 not in statuses and right.status_code != 302 and LOCKED_TEXT in right.text,
            f"10 wrong passwords then the right one: {right.status_code}, locked message shown: "
            f"{LOCKED_TEXT in right.text}",
            logs=("redis", "app1", "app2"),
        )
        filer = Person(self.base, "filer after Redis restart")
        response = filer.sign_in_with_code(FILER, self.gateway, seconds=40)
        alive = [name for name in ("worker1", "worker2") if self.services[name].running]
        self.check(
            "after the Redis restart the queue works (an SMS code is sent) and both workers run",
            response.status_code == 302 and len(alive) == 2,
            f"sign-in {response.status_code}, workers running: {alive}",
            logs=("worker1", "worker2"),
        )

    def fault_storage_refuses(self) -> None:
        before = self.document_count()
        self.relay.refusing.set()
        try:
            refused = self.upload_to_dossier(self.coordinator, "存储故障时上传.pdf")
        finally:
            self.relay.refusing.clear()
        after_refusal = self.document_count()
        self.check(
            "the object store refuses writes: a clear message, nothing half-stored",
            refused.status_code != 500
            and refused.status_code < 600
            and STORAGE_DOWN_TEXT in refused.text
            and after_refusal == before,
            f"status {refused.status_code}, message shown: {STORAGE_DOWN_TEXT in refused.text}, "
            f"documents {before} → {after_refusal}, connections refused by the store: {self.relay.refused}",
            logs=("app1", "app2"),
        )
        again = self.upload_to_dossier(self.coordinator, "恢复后上传.pdf")
        self.check(
            "the store is back: the same upload succeeds",
            again.status_code == 302 and self.document_count() == before + 1,
            f"status {again.status_code}",
            logs=("app1", "app2"),
        )
        self.check_every_row_has_its_object()

    def check_every_row_has_its_object(self, database: str | None = None, bucket: str = BUCKET) -> None:
        names = [r[0] for r in self.sql("SELECT storage_name FROM dossier_document", database=database)]
        for docx, pdf in self.sql("SELECT docx_name, pdf_name FROM campaigns_submission", database=database):
            names += [n for n in (docx, pdf) if n]
        present = self.objects(bucket)
        missing = [n for n in names if n not in present]
        self.check(
            f"every file named by a row is in the bucket {bucket}",
            not missing,
            f"{len(names)} rows' files, missing {len(missing)}",
        )

    def backup_restore_rotate(self) -> None:
        backup = self.tmp / "backup"
        as_owner = {**self.env, "DATABASE_URL": self.role_url(self.owner, self.args.database)}
        made = self.xinan("backup", str(backup), env=as_owner, log="backup")  # operations.md: as the owner
        manifest = json.loads((backup / "manifest.json").read_text()) if (backup / "manifest.json").exists() else {}
        files = manifest.get("files", [])
        self.check(
            "xinan backup with the files in S3",
            made.returncode == 0 and len(files) >= 3,
            f"exit {made.returncode}, {len(files)} files in the manifest, objects in the bucket: {len(self.objects())}",
        )
        restored_db = f"{self.args.database}_restored"
        self.create_database(restored_db)
        restored = {
            **self.env,
            "DATABASE_URL": self.role_url(self.owner, restored_db),
            "XINAN_S3_BUCKET": RESTORED_BUCKET,
            "XINAN_DATA_DIR": str(self.tmp / "restored"),
        }
        result = self.xinan("restore", str(backup), env=restored, log="backup")
        # From here on the restored copy is used as the application would use it.
        restored = {**restored, "DATABASE_URL": self.role_url(self.app, restored_db)}
        self.check(
            "xinan restore into a new database and a new bucket",
            result.returncode == 0,
            f"exit {result.returncode}; objects in the new bucket: {len(self.objects(RESTORED_BUCKET))}",
            logs=(),
        )
        self.check_every_row_has_its_object(restored_db, RESTORED_BUCKET)
        checked = self.xinan("rotate_keys", "--check", env=restored, log="backup")
        self.check(
            "the restored copy opens with the key (rotate_keys --check)",
            checked.returncode == 0,
            checked.stdout.strip().splitlines()[-1] if checked.stdout.strip() else f"exit {checked.returncode}",
        )

        from cryptography.fernet import Fernet

        new_key = Fernet.generate_key().decode()  # what `xinan rotate_keys --generate` prints
        both = {**restored, "XINAN_ENCRYPTION_KEYS": f"{new_key},{self.old_key}"}
        rotated = self.xinan("rotate_keys", env=both, log="backup")
        only_new = self.xinan(
            "rotate_keys", "--check", env={**restored, "XINAN_ENCRYPTION_KEYS": new_key}, log="backup"
        )
        only_old = self.xinan("rotate_keys", "--check", env=restored, log="backup")
        summary = rotated.stdout.strip().splitlines()[-1] if rotated.stdout.strip() else ""
        self.check(
            "rotate_keys with the files in S3: everything opens with the new key alone",
            rotated.returncode == 0 and only_new.returncode == 0 and only_old.returncode != 0,
            f"rotate {rotated.returncode} ({summary}), check with the new key {only_new.returncode}, "
            f"with the old key alone {only_old.returncode} (must fail)",
        )

    # --- soak --------------------------------------------------------------------------------
    def soak(self) -> None:
        staff = [
            self.signed_in(phone, label)
            for phone, label in ((COORDINATOR, "coordinator"), (COUNSELLOR, "counsellor"), (LEADER, "team leader"))
        ]
        anonymous = Person(self.base, BASELINE)
        plans = [
            (
                staff[0],
                ["/", "/cases/", f"/cases/{self.case_id}/", f"/dossier/cases/{self.case_id}/", "/exports/mine/"],
            ),
            (staff[1], ["/", "/cases/", "/cases/dashboard/"]),
            (staff[2], ["/cases/tasks/", "/cases/dashboard/", "/cases/", "/exports/pending/"]),
            (anonymous, ["/healthz", "/accounts/login/"]),
        ]
        halt, samples = threading.Event(), []
        threads = []
        for person, paths in plans:
            threads += self.traffic([person], paths, halt, samples, think=self.args.think_seconds)
        warm_up = self.args.warm_up_seconds
        say(f"soak: {len(plans)} threads, {warm_up:g} s warm-up then {self.args.soak_seconds:g} s measured")
        started = time.monotonic()
        time.sleep(warm_up + self.args.soak_seconds)
        halt.set()
        for thread in threads:
            thread.join(70)
        measured = [s for s in samples if s[0] >= started + warm_up]
        times = [s[1] for s in measured]
        errors = [s for s in measured if s[2] >= 500 or s[2] == 0]
        p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
        by_path: dict[str, list[float]] = {}
        for sample in measured:
            by_path.setdefault(sample[3].replace(str(self.case_id), "<id>"), []).append(sample[1])
        medians = {path: percentile(values, 50) for path, values in by_path.items()}

        def tail_of(chosen: list) -> float:
            """p99 of each request's time over its page's p50, pooled over the pages (a dashboard at
            200 ms and a task list at 60 ms are both "typical"; pooling raw times would judge the mix)."""
            ratios = [s[1] / max(medians[s[3].replace(str(self.case_id), "<id>")], 1.0) for s in chosen]
            return percentile(ratios, 99)

        # Judged: the signed-in people's pages. The anonymous probe (/healthz, the sign-in page, ~15 ms)
        # is the baseline, as in bench/load: its own tail shows how noisy the machine was.
        tail = tail_of([s for s in measured if s[4] != BASELINE])
        baseline_tail = tail_of([s for s in measured if s[4] == BASELINE])
        with (self.logs / "soak.csv").open("w") as handle:
            handle.write("seconds,ms,status,path,who\n")
            handle.writelines(f"{s[0] - started:.3f},{s[1]:.1f},{s[2]},{s[3]},{s[4]}\n" for s in samples)
        for path, values in sorted(by_path.items()):
            say(
                f"  {path:<28}{len(values):>6} requests  p50 {percentile(values, 50):>5.0f}  "
                f"p95 {percentile(values, 95):>5.0f}  p99 {percentile(values, 99):>5.0f} ms"
            )
        self.soak_figures = {
            "requests": len(measured),
            "seconds": self.args.soak_seconds,
            "p50": p50,
            "p95": p95,
            "p99": p99,
            "tail": tail,
            "baseline_tail": baseline_tail,
            "errors": len(errors),
            "load": os.getloadavg()[0],
        }
        say(
            f"soak: {len(measured)} requests in {self.args.soak_seconds:g} s "
            f"({len(measured) / self.args.soak_seconds:.1f}/s),"
            f" p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms (all pages together); "
            f"p99 of time / the page's p50: {tail:.2f} for the signed-in pages, {baseline_tail:.2f} for the "
            f"anonymous baseline; 5xx {len(errors)}, "
            f"1-minute load average {os.getloadavg()[0]:.1f}"
        )
        self.check(
            "soak: no 5xx, p99 ≤ 5 × p50 (signed-in pages, each request against its page's p50)",
            not errors and bool(times) and tail <= 5,
            f"p99 / p50 = {tail:.2f} (baseline {baseline_tail:.2f}); "
            f"all pages together: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms",
            logs=("app1", "app2"),
        )

    def final_checks(self) -> None:
        for deferred in self.deferred:
            deferred()
        duplicates = self.gateway.duplicates()
        self.check(
            "no SMS reached the provider twice",
            not duplicates,
            f"{self.gateway.count()} requests received, duplicated: {duplicates}",
        )
        crashes = {
            name: self.services[name].count_in_log("Traceback") for name in ("app1", "app2", "worker1", "worker2")
        }
        self.check(
            "no traceback in the application servers' and workers' logs",
            not any(crashes.values()),
            str(crashes),
            logs=tuple(name for name, n in crashes.items() if n),
        )

    # --- tearing down ------------------------------------------------------------------------
    def teardown(self) -> None:
        for name in ("nginx", "app1", "app2", "worker1", "worker2", "redis", "s3"):
            if name in self.services:
                try:
                    self.services[name].stop(15)
                except Exception as exc:
                    say(f"stopping {name}: {exc}")
        if self.relay:
            self.relay.close()
        if self.gateway:
            self.gateway.close()
        if not self.args.keep:
            try:
                import psycopg

                with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
                    for name in self.databases:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    for role in self.roles:
                        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            except Exception as exc:
                say(f"dropping the stage databases: {exc}")
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            say(f"kept: {self.tmp} and the databases {self.databases}")

    def summary(self) -> int:
        failed = [c for c in self.checks if not c[1]]
        print()
        print(
            f"multi-server stage: {len(self.checks) - len(failed)}/{len(self.checks)} checks ok "
            f"in {time.monotonic() - self.started:.0f} s"
        )
        for name, ok, detail in self.checks:
            print(f"  {'ok  ' if ok else 'FAIL'}  {name}" + (f"  [{detail}]" if not ok and detail else ""))
        if self.timings:
            print("  commands: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.timings))
        figures = getattr(self, "soak_figures", None)
        if figures:
            print(
                f"  soak: {figures['requests']} requests in {figures['seconds']:g} s, p99/p50 {figures['tail']:.2f}, "
                f"all pages together p50 {figures['p50']:.0f} ms, "
                f"p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms, 5xx {figures['errors']}"
            )
        return 1 if failed or not self.checks else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="xinan_stage", help="created afresh and dropped at the end")
    parser.add_argument("--soak-seconds", type=float, default=60.0)
    parser.add_argument("--warm-up-seconds", type=float, default=10.0)
    parser.add_argument("--think-seconds", type=float, default=0.2, help="soak: pause up to this between pages")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and databases")
    args = parser.parse_args(argv)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    stage = Stage(args)
    steps = [
        ("start", stage.start),
        ("flows", stage.flows),
        ("fault: app server crash", stage.fault_app_server_crash),
        ("fault: worker killed mid-send", stage.fault_worker_killed),
        ("fault: Redis restart", stage.fault_redis_restart),
        ("fault: storage refuses writes", stage.fault_storage_refuses),
        ("backup, restore, key rotation", stage.backup_restore_rotate),
        ("soak", stage.soak),
        ("final checks", stage.final_checks),
    ]
    try:
        for name, step in steps:
            started = time.monotonic()
            try:
                step()
            except Exception as exc:  # a step that cannot go on ends the stage, with the reason
                if not isinstance(exc, StageError):
                    traceback.print_exc()
                stage.check(f"{name}: could not be carried out", False, str(exc) or type(exc).__name__)
                for service in stage.services.values():
                    if service.process is not None and not service.running:
                        print(f"----- {service.name} exited; last lines of its log -----\n{service.tail()}\n-----")
                break
            say(f"{name}: {time.monotonic() - started:.0f} s")
    except KeyboardInterrupt:
        stage.check("the stage ran to its end", False, "interrupted")
    finally:
        stage.teardown()
    return stage.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
