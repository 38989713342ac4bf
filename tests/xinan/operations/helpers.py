"""Running ``python -m xinan`` against another database and data folder, and reading raw rows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

OPERATIONS_AUDIT = "xinan.operations.%"


def xinan_env(data_dir: Path, database_url: str, key: str) -> dict[str, str]:
    """The environment of a second, separate installation (its own database and data folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XINAN_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="xinan.settings",
        XINAN_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        XINAN_SECRET_KEY=settings.SECRET_KEY,
        XINAN_ENCRYPTION_KEYS=key,
        XINAN_TASK_BACKEND="immediate",
        XINAN_HTTPS="false",
    )
    return env


def run_xinan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xinan", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def postgres_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def admin_postgres():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=True,
    )


def recreate_postgres_database(name: str) -> None:
    with admin_postgres() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name: str) -> None:
    with admin_postgres() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _order(rows: list) -> list:
    return sorted(rows, key=repr)


def sqlite_rows(db: sqlite3.Connection) -> dict[str, list]:
    """Every row of every table (the audit entries of backup and restore themselves left out)."""
    tables = [
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    result = {}
    for table in tables:
        where = f" WHERE action NOT LIKE '{OPERATIONS_AUDIT}'" if table == "audit_auditentry" else ""
        result[table] = _order(db.execute(f'SELECT * FROM "{table}"{where}').fetchall())  # noqa: S608
    return result


def postgres_rows(conn) -> dict[str, list]:
    """Every row of every table, each as PostgreSQL's text form of the whole row."""
    tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    result = {}
    for table in tables:
        where = f" WHERE t.action NOT LIKE '{OPERATIONS_AUDIT}'" if table == "audit_auditentry" else ""
        result[table] = sorted(r[0] for r in conn.execute(f'SELECT t::text FROM "{table}" t{where}'))  # noqa: S608
    return result


def source_rows() -> dict[str, list]:
    """Every row of the test database, read outside Django (no type conversion)."""
    if connection.vendor == "sqlite":
        # The in-memory test database is a shared-cache URI: a second connection sees the same data.
        db = sqlite3.connect(str(connection.settings_dict["NAME"]), uri=True)
        try:
            return sqlite_rows(db)
        finally:
            db.close()
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
    ) as conn:
        return postgres_rows(conn)


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
