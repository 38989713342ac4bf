"""The data folder and the embedded SQLite database are owner-only (issue 13.6)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from xinan.config.private_files import private_directory, private_sqlite_file

SRC = Path(__file__).resolve().parents[3] / "src"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The loosest usual umask, so that only the code under test makes anything private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_data_folder_made_by_xinan_is_0700(tmp_path, open_umask):
    # Arrange
    folder = tmp_path / "deep" / "var"

    # Act
    private_directory(folder)

    # Assert
    assert _mode(folder) == 0o700


def test_an_existing_data_folder_is_left_as_the_operator_made_it(tmp_path, open_umask):
    # Arrange: an operator who lets the web server read static files inside it.
    folder = tmp_path / "var"
    folder.mkdir(mode=0o750)

    # Act
    private_directory(folder)

    # Assert
    assert _mode(folder) == 0o750


def test_the_sqlite_file_is_created_0600_and_an_old_one_and_its_wal_are_tightened(tmp_path, open_umask):
    # Arrange
    fresh = tmp_path / "new" / "xinan.sqlite3"
    old = tmp_path / "old.sqlite3"
    for path in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
        path.write_bytes(b"")
        path.chmod(0o644)

    # Act
    private_sqlite_file(fresh)
    private_sqlite_file(old)

    # Assert
    assert _mode(fresh) == 0o600
    assert _mode(fresh.parent) == 0o700
    assert [_mode(p) for p in (old, Path(f"{old}-wal"), Path(f"{old}-shm"))] == [0o600, 0o600, 0o600]


def test_a_fresh_installation_keeps_its_data_folder_database_and_key_owner_only(tmp_path):
    # Arrange: zero configuration (SQLite in the data folder, a generated secret key), a loose umask.
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINAN_") and k not in ("DATABASE_URL",)}
    env.update(XINAN_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="xinan.settings", PYTHONPATH=str(SRC))
    script = (
        "import os; os.umask(0o022)\n"
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TABLE t (x integer)'); cursor.execute('INSERT INTO t VALUES (1)')\n"
        "name = connection.settings_dict['NAME']\n"  # while the connection is open, WAL files exist
        "print(' '.join(oct(os.stat(name + s).st_mode & 0o777) for s in ('-wal', '-shm')))\n"
    )

    # Act
    run = subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120, capture_output=True)

    # Assert
    assert _mode(data) == 0o700
    assert _mode(data / "secret_key") == 0o600
    database = data / "xinan.sqlite3"
    assert _mode(database) == 0o600
    assert run.stdout.decode().split() == ["0o600", "0o600"]  # the WAL files take the database's mode
