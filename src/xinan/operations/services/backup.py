"""Backup and restore of a whole platform: the database, every stored file, and a manifest.

A backup is a folder (or a .tar / .tar.gz of one):

    manifest.json        what is in it, with the SHA-256 and size of every file
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.dump        PostgreSQL: ``pg_dump --format=custom``
    files/<name>         every stored file, byte for byte (they are encrypted already)

The database copy is one snapshot while the platform keeps running: SQLite's backup API copies
a consistent state; on PostgreSQL the table counts of the manifest are read in a REPEATABLE READ
transaction whose snapshot is handed to ``pg_dump --snapshot``. Files are copied after the
snapshot: XinAn writes a file before the row that names it and never changes a file's content,
so every file the snapshot refers to is there (unless deleted meanwhile; counted).

The encryption keys are never in a backup (only their fingerprints): keep them separately.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

import xinan
from xinan.crypto.files import stored_names
from xinan.crypto.keys import existing_key_ids

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
FILES_DIR = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why (never a value)."""


# --- Small helpers ---------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path, name: str) -> dict:
    return {"name": name, "sha256": sha256_of(path), "size": path.stat().st_size}


def _safe_name(name: str) -> PurePosixPath:
    """A stored file's name as a relative path that stays inside the backup's files folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or name != str(path):
        raise BackupError(f"the backup names a file outside its folder: {name!r}")
    return path


def _is_tar(path: Path) -> bool:
    return path.name.endswith((".tar", ".tar.gz", ".tgz"))


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def postgres_client(program: str, settings_dict: dict | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for a PostgreSQL client program (pg_dump, pg_restore,
    psql) reaching the configured database; the password goes in the environment, not argv."""
    settings_dict = settings_dict or connection.settings_dict
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (install the PostgreSQL client of the server's version)")
    args = [program]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed (exit status {result.returncode}): {result.stderr.strip()[-2000:]}")


# --- The database ------------------------------------------------------------------------------
def _sqlite_tables(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def _sqlite_migrations(db: sqlite3.Connection) -> list[str]:
    try:
        return [
            f"{app}.{name}" for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    except sqlite3.OperationalError:
        return []


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        with copy:
            connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the database copy failed SQLite's integrity check")
        tables, migrations = _sqlite_tables(copy), _sqlite_migrations(copy)
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return tables, migrations


def _postgres_tables(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - names from the catalogue
        counts[name] = cursor.fetchone()[0]
    return counts


def _postgres_migrations(cursor) -> list[str]:
    cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _dump_postgres(target: Path) -> tuple[dict[str, int], list[str]]:
    """pg_dump in the snapshot the counts are read in: the manifest describes exactly the dump."""
    args, env = postgres_client("pg_dump")
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _postgres_tables(cursor)
            migrations = _postgres_migrations(cursor)
            _run(
                [
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    "--dbname",
                    connection.settings_dict["NAME"],
                ],
                env,
            )
        raw.rollback()
    finally:
        raw.close()
    os.chmod(target, 0o600)
    return tables, migrations


# --- Backup ----------------------------------------------------------------------------------
def create_backup(dest: Path, *, storage=None, progress: Callable[[str], None] | None = None) -> dict:
    """Write a backup to ``dest`` (a new or empty folder, or a .tar/.tar.gz file); return the manifest."""
    storage = storage or default_storage
    say = progress or (lambda message: None)
    dest = Path(dest)
    tar = _is_tar(dest)
    if tar and dest.exists():
        raise BackupError(f"{dest} already exists")
    if not tar and dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    if tar:
        _private_dir(dest.parent)
        folder = Path(tempfile.mkdtemp(prefix=".xinan-backup-", dir=dest.parent))
    else:
        _private_dir(dest)
        folder = dest
    try:
        vendor = connection.vendor
        started = dt.datetime.now(dt.UTC)
        if vendor == "sqlite":
            database_name = SQLITE_FILE
            tables, migrations = _dump_sqlite(folder / SQLITE_FILE)
        elif vendor == "postgresql":
            database_name = POSTGRES_FILE
            tables, migrations = _dump_postgres(folder / POSTGRES_FILE)
        else:
            raise BackupError(f"no backup for the {vendor} database")
        say(f"database: {len(tables)} tables, {sum(tables.values())} rows")
        files, vanished = [], 0
        for name in stored_names(storage):
            relative = _safe_name(name)
            target = folder / FILES_DIR / relative
            _private_dir(target.parent)
            try:
                with storage.open(name, "rb") as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy, CHUNK)
            except FileNotFoundError:
                vanished += 1
                target.unlink(missing_ok=True)
                continue
            os.chmod(target, 0o600)
            files.append(_entry(target, name))
        say(f"files: {len(files)} copied" + (f", {vanished} deleted while copying" if vanished else ""))
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "platform": {"name": "xinan", "version": xinan.__version__},
            "database": {"vendor": vendor, **_entry(folder / database_name, database_name), "tables": tables},
            "migrations": migrations,
            "files": files,
            "storage": type(storage).__module__ + "." + type(storage).__name__,
            # Fingerprints only: the keys themselves are never written into a backup.
            "keys": existing_key_ids(),
        }
        manifest_path = folder / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(manifest_path, 0o600)
        if tar:
            partial = dest.with_name(dest.name + ".partial")
            with tarfile.open(partial, "w:gz" if dest.name.endswith(("gz", "tgz")) else "w") as archive:
                for child in sorted(folder.iterdir()):
                    archive.add(child, arcname=child.name)
            os.chmod(partial, 0o600)
            os.replace(partial, dest)
        return manifest
    except BaseException:
        if tar:
            dest.with_name(dest.name + ".partial").unlink(missing_ok=True)
        raise
    finally:
        if tar:
            shutil.rmtree(folder, ignore_errors=True)


# --- Verifying ---------------------------------------------------------------------------------
def verify_folder(folder: Path) -> dict:
    """Check a backup folder against its manifest: every file present, of the right size and
    SHA-256, and nothing more. Returns the manifest; BackupError naming the first problem."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError("not a XinAn backup: manifest.json is missing") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("manifest.json is damaged (not valid JSON)") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("manifest.json is not a XinAn backup manifest of a known format")
    try:
        database = manifest["database"]
        expected = {database["name"]: database}
        if database["name"] not in (SQLITE_FILE, POSTGRES_FILE):
            raise BackupError("the manifest names an unknown database file")
        for entry in manifest["files"]:
            expected[f"{FILES_DIR}/{_safe_name(entry['name'])}"] = entry
    except (KeyError, TypeError) as exc:
        raise BackupError("manifest.json is incomplete") from exc
    present = {
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file() and path.name != MANIFEST
    }
    extra = sorted(present - set(expected))
    if extra:
        raise BackupError(f"the backup holds a file its manifest does not list: {extra[0]} (tampered?)")
    for relative, entry in expected.items():
        path = folder / relative
        if not path.is_file():
            raise BackupError(f"the backup lacks {relative}, listed in its manifest")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(
                f"{relative} does not match the checksum in the manifest: the backup is damaged or was changed"
            )
    return manifest


def _unpack(source: Path, into: Path) -> Path:
    with tarfile.open(source) as archive:
        archive.extractall(into, filter="data")
    return into


def verify_backup(source: Path) -> dict:
    source = Path(source)
    if _is_tar(source):
        with tempfile.TemporaryDirectory(prefix="xinan-verify-") as scratch:
            return verify_folder(_unpack(source, Path(scratch)))
    return verify_folder(source)


# --- Restore -----------------------------------------------------------------------------------
def target_tables() -> list[str]:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not connection.is_in_memory_db() and not name.startswith("file:"):
        _private_dir(Path(name).parent)  # a new data directory: SQLite creates the file, not the folder
    return connection.introspection.table_names()


def _restore_sqlite(path: Path) -> None:
    connection.ensure_connection()
    # immutable: read without locks or a -shm file, so the backup folder is left exactly as it was
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")  # as the platform runs it (the copy was in DELETE mode)
    connection.close()
    name = str(connection.settings_dict["NAME"])
    if not connection.is_in_memory_db() and not name.startswith("file:"):
        os.chmod(name, 0o600)


def _restore_postgres(path: Path, *, replace: bool) -> None:
    args, env = postgres_client("pg_restore")
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        options += ["--clean", "--if-exists"]
    connection.close()
    _run([*args, *options, "--dbname", connection.settings_dict["NAME"], str(path)], env)


def _current_counts() -> dict[str, int]:
    connection.close()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return _sqlite_tables(connection.connection)
        return _postgres_tables(cursor)


def restore_backup(
    source: Path,
    *,
    force: bool = False,
    without_keys: bool = False,
    storage=None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Verify the backup, then restore its database and files into the configured (empty) ones."""
    storage = storage or default_storage
    say = progress or (lambda message: None)
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    scratch = tempfile.TemporaryDirectory(prefix="xinan-restore-") if _is_tar(source) else None
    try:
        folder = _unpack(source, Path(scratch.name)) if scratch else source
        manifest = verify_folder(folder)
        say(f"checksums verified: database and {len(manifest['files'])} files")
        database = manifest["database"]
        if database["vendor"] != connection.vendor:
            raise BackupError(
                f"the backup is of a {database['vendor']} database; this platform uses {connection.vendor}"
            )
        backup_keys, configured = manifest.get("keys") or [], existing_key_ids()
        if backup_keys and backup_keys[0] not in configured and not without_keys:
            raise BackupError(
                f"the key that encrypted this backup's data (fingerprint {backup_keys[0]}) is not configured "
                f"(configured: {', '.join(configured) or 'none'}). Restore the keys first "
                "(XINAN_ENCRYPTION_KEYS or the encryption_keys file), or pass --without-keys"
            )
        tables = target_tables()
        existing_files = [entry["name"] for entry in manifest["files"] if storage.exists(entry["name"])]
        if (tables or existing_files) and not force:
            raise BackupError(
                f"the target is not empty ({len(tables)} tables in the database, "
                f"{len(existing_files)} of the backup's files already stored): restore into an empty "
                "database and storage, or pass --force to replace them"
            )
        if connection.vendor == "sqlite":
            _restore_sqlite(folder / database["name"])
        else:
            _restore_postgres(folder / database["name"], replace=bool(tables))
        counts = _current_counts()
        if counts != database["tables"]:
            differing = sorted(
                name
                for name in set(counts) | set(database["tables"])
                if counts.get(name) != database["tables"].get(name)
            )
            raise BackupError(
                f"the restored database differs from the manifest in {len(differing)} tables, e.g. {differing[0]}"
            )
        say(f"database restored: {len(counts)} tables, {sum(counts.values())} rows, as in the manifest")
        for entry in manifest["files"]:
            name = entry["name"]
            if storage.exists(name):
                storage.delete(name)
            with open(folder / FILES_DIR / _safe_name(name), "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"the storage stored {name} under another name ({saved})")
            digest = hashlib.sha256()
            with storage.open(name, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"{name} does not match its checksum after being stored")
        say(f"files restored and verified: {len(manifest['files'])}")
        return manifest
    finally:
        if scratch:
            scratch.cleanup()


def migration_gap(manifest: dict) -> tuple[list[str], list[str]]:
    """(migrations this release has that the backup lacks, migrations of the backup this release lacks)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    in_backup = set(manifest.get("migrations", []))
    return sorted(on_disk - in_backup), sorted(in_backup - on_disk)
