"""``xinan doctor``: is this installation able to serve? One probe per part the platform needs.

Each probe does the real thing on a small scale (connects, writes and reads back, decrypts) and
answers with one line; none prints a secret, a key or any personal value.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

SAMPLE_PER_TABLE = 20
SCHEDULER_STALE_AFTER = dt.timedelta(minutes=3)
QUEUE_STALE_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    skipped: bool = False


def _ok(name: str, detail: str) -> Finding:
    return Finding(name, True, detail)


def _fail(name: str, detail: str) -> Finding:
    return Finding(name, False, detail)


def check_database() -> Finding:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any driver error means the same to the operator
        return _fail("database", f"cannot connect ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:3]) + (" …" if len(plan) > 3 else "")
        count = "1 migration" if len(plan) == 1 else f"{len(plan)} migrations"
        return _fail("database", f"{count} not applied ({names}): run `xinan migrate`")
    if not executor.loader.applied_migrations:
        return _fail("database", "no migrations applied: run `xinan migrate`")
    return _ok("database", f"{connection.vendor}, every migration applied")


def check_redis() -> Finding:
    if not settings.REDIS_URL:
        return Finding(
            "redis", True, "not configured (REDIS_URL unset): cache and sign-in limits in the database", skipped=True
        )
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
        key = f"xinan:doctor:{secrets.token_hex(8)}"
        client.set(key, b"1", ex=30)
        read = client.get(key)
        client.delete(key)
    except Exception as exc:  # redis-py raises several unrelated classes
        from urllib.parse import urlsplit

        where = urlsplit(settings.REDIS_URL)
        target = f"{where.hostname or '?'}:{where.port or 6379}"  # never the password
        return _fail("redis", f"cannot reach Redis at {target} ({type(exc).__name__})")
    if read != b"1":
        return _fail("redis", "a probe key written to Redis did not read back")
    return _ok("redis", "reachable, write and read back")


def check_storage() -> Finding:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    probe = secrets.token_bytes(64)
    name = f"doctor/probe-{secrets.token_hex(8)}.bin"
    stored = None
    try:
        stored = default_storage.save(name, ContentFile(probe))
        with default_storage.open(stored, "rb") as handle:
            read = handle.read()
        default_storage.delete(stored)
        left = default_storage.exists(stored)
    except Exception as exc:  # storage backends raise their own classes (OSError, botocore errors)
        return _fail(
            "storage",
            f"probe object could not be written, read and deleted in {_storage_place()} ({type(exc).__name__})",
        )
    if read != probe:
        return _fail("storage", "the probe object read back differs from what was written")
    if left:
        return _fail("storage", "the probe object is still there after delete")
    backend = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return _ok("storage", f"{backend}: write, read, delete")


def _storage_place() -> str:
    """Where the file storage writes: the folder, or the bucket (names only, never credentials)."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if "bucket_name" in options:
        return f"bucket {options['bucket_name']}"
    return str(options.get("location") or settings.MEDIA_ROOT)


def check_keys() -> Finding:
    from cryptography.fernet import InvalidToken
    from django.db import connection

    from xinan.crypto.fields import PREFIX, decrypt_text
    from xinan.crypto.keys import key_ids
    from xinan.operations.services.rotation import encrypted_tables

    try:
        ids = key_ids()
    except Exception as exc:  # ImproperlyConfigured, unreadable key file
        return _fail("encryption keys", f"cannot load the keys ({type(exc).__name__}: {exc})")
    qn = connection.ops.quote_name
    sampled = unreadable = 0
    try:
        with connection.cursor() as cursor:
            for table in encrypted_tables():
                for column in table.columns:
                    cursor.execute(
                        f"SELECT {qn(column)} FROM {qn(table.table)} "  # noqa: S608 - names from the model registry
                        f"WHERE {qn(column)} LIKE %s ORDER BY {qn(table.pk_column)} DESC LIMIT %s",
                        [f"{PREFIX}%", SAMPLE_PER_TABLE],
                    )
                    for (stored,) in cursor.fetchall():
                        sampled += 1
                        try:
                            decrypt_text(stored)
                        except (InvalidToken, ValueError):
                            unreadable += 1
    except Exception as exc:  # no database: reported by the database line already
        return _fail("encryption keys", f"not checked: the database cannot be read ({type(exc).__name__})")
    if unreadable:
        return _fail(
            "encryption keys",
            f"{unreadable} of {sampled} sampled values cannot be decrypted with keys {', '.join(ids)}: "
            "XINAN_ENCRYPTION_KEYS does not match the data",
        )
    return _ok("encryption keys", f"keys {', '.join(ids)}; {sampled} sampled values decrypt")


def sms_template_names() -> list[str]:
    """Every message kind that is sent by SMS (it has an sms.txt template)."""
    root = Path(__file__).resolve().parents[2] / "notifications" / "templates" / "messages"
    return sorted(path.parent.name for path in root.glob("*/sms.txt"))


def message_problems() -> list[str]:
    """What in the SMS and e-mail settings would stop a message, found without the network."""
    problems = []
    if "aliyun" in (settings.SMS_BACKEND, settings.SMS_FAILOVER_BACKEND):
        from django.core.exceptions import ImproperlyConfigured

        from xinan.notifications.backends.aliyun import template_codes

        try:
            codes = template_codes()
        except ImproperlyConfigured as exc:
            problems.append(str(exc))
            codes = {}
        missing = [name for name in sms_template_names() if not codes.get(name)]
        if missing:
            problems.append(f"XINAN_SMS_TEMPLATE_CODES has no code for: {', '.join(missing)}")
        if not settings.SMS_SIGN_NAME:
            problems.append("XINAN_SMS_SIGN_NAME is empty")
    if "tencent" in (settings.SMS_BACKEND, settings.SMS_FAILOVER_BACKEND):
        from django.core.exceptions import ImproperlyConfigured

        from xinan.notifications.backends.tencent import template_table

        try:
            table = template_table()
        except ImproperlyConfigured as exc:
            problems.append(str(exc))
            table = {}
        missing = [name for name in sms_template_names() if name not in table]
        if missing:
            problems.append(f"XINAN_TENCENT_SMS_TEMPLATES has no template for: {', '.join(missing)}")
    if settings.EMAIL_DELIVERY == "smtp":
        if not settings.EMAIL_HOST or settings.EMAIL_HOST == "localhost":
            problems.append("XINAN_EMAIL_HOST is not set (smtp backend)")
        if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
            problems.append("XINAN_EMAIL_FROM is not set (smtp backend)")
    return problems


def check_messages() -> Finding:
    problems = message_problems()
    if problems:
        return _fail("messages", "; ".join(problems))
    if settings.SMS_BACKEND == "outbox":
        return _ok("messages", "SMS and e-mail recorded in the outbox, not sent (XINAN_SMS_BACKEND=outbox)")
    via = settings.SMS_BACKEND
    if settings.SMS_FAILOVER_BACKEND:
        via += f" (failover {settings.SMS_FAILOVER_BACKEND})"
    return _ok("messages", f"SMS via {via}, a template for each of {len(sms_template_names())} kinds")


def check_worker(now: dt.datetime | None = None) -> Finding:
    from xinan.jobs.models import PeriodicRun

    now = now or timezone.now()
    try:
        last = PeriodicRun.objects.filter(name="deliver_due_messages").order_by("-slot").first()
    except Exception as exc:  # no database: reported by the database line already
        return _fail("worker", f"not checked: the database cannot be read ({type(exc).__name__})")
    if last is None:
        return _fail("worker", "the scheduler has never run: start `xinan worker`")
    age = now - last.enqueued_at
    if age > SCHEDULER_STALE_AFTER:
        minutes = int(age.total_seconds() // 60)
        return _fail("worker", f"no scheduler heartbeat for {minutes} min: is `xinan worker` running?")
    depth, oldest = queue_depth()
    if oldest is not None and now - oldest > QUEUE_STALE_AFTER:
        waited = int((now - oldest).total_seconds() // 60)
        return _fail("worker", f"{depth} tasks waiting, the oldest for {waited} min: the workers do not keep up")
    return _ok("worker", f"scheduler seen {int(age.total_seconds())} s ago, {depth} tasks waiting")


def queue_depth() -> tuple[int, dt.datetime | None]:
    """Tasks ready to run and when the oldest of them was enqueued."""
    if settings.TASK_BACKEND == "database":
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=timezone.now())
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        return ready.count(), oldest
    if settings.TASK_BACKEND == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        jobs = queue.get_jobs(0, 0)
        return queue.count, (jobs[0].enqueued_at.replace(tzinfo=dt.UTC) if jobs and jobs[0].enqueued_at else None)
    return 0, None


CHECKS: list[tuple[str, Callable[[], Finding]]] = [
    ("database", check_database),
    ("redis", check_redis),
    ("storage", check_storage),
    ("encryption keys", check_keys),
    ("messages", check_messages),
    ("worker", check_worker),
]


def run_checks() -> list[Finding]:
    findings = []
    for name, probe in CHECKS:
        try:
            findings.append(probe())
        except Exception as exc:  # a probe must never hide the others
            findings.append(_fail(name, f"the check itself failed ({type(exc).__name__})"))
    return findings
