"""The ``xinan`` command dispatches to the two libraries without starting Django."""

import json
import os
import subprocess
import sys

SAMPLE = "小张（化名）的室友李明华在13812345678打电话给辅导员。"


def test_xinan_deid_reads_stdin_and_prints_json():
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "deid", "-", "--json"],
        input=SAMPLE,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    flags = json.loads(result.stdout)
    kinds = {flag["kind"] for flag in flags}
    assert {"person_name", "phone"} <= kinds
    assert all(SAMPLE[flag["start"] : flag["end"]] == flag["text"] for flag in flags)


def test_xinan_report_check_prints_structure(tmp_path):
    from tests.campaign_fixtures import REPORT_TEXT

    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "report", "check", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["trigger"] == "学业挫折"
    assert report["nature"] == "自我伤害"
    assert len(report["sections"]) >= 5


def test_xinan_report_check_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "report", "check", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip()


def _clean_env(**extra) -> dict:
    dropped = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINAN_") and k not in dropped}
    return {**env, **extra}


def test_command_pointed_at_a_folder_without_a_database_says_so_and_creates_nothing(tmp_path):
    # Arrange: a data folder with no database in it (an operator in the wrong directory).
    data = tmp_path / "var"

    # Act
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "outbox"],
        env=_clean_env(XINAN_DATA_DIR=str(data)), capture_output=True, text=True, timeout=120, check=False,
    )

    # Assert: a clear message, a failing exit code, and no empty database or new secret key left behind.
    assert result.returncode == 2
    assert "no database at" in result.stderr
    assert "XINAN_DATA_DIR" in result.stderr
    assert not (data / "xinan.sqlite3").exists()
    assert not (data / "secret_key").exists()


def test_default_data_folder_is_var_under_the_working_directory(tmp_path):
    # Arrange: the README's commands run from the repository's root, where `dev demo` keeps its data.
    from xinan.cli import missing_sqlite_database

    (tmp_path / "var").mkdir()

    # Act / Assert: missing before migrate, found after.
    assert missing_sqlite_database({}, tmp_path) == tmp_path / "var" / "xinan.sqlite3"
    (tmp_path / "var" / "xinan.sqlite3").write_bytes(b"")
    assert missing_sqlite_database({}, tmp_path) is None
    assert missing_sqlite_database({"DATABASE_URL": "postgres://x@127.0.0.1/x"}, tmp_path) is None
    relative = {"DATABASE_URL": "sqlite:///rel/db.sqlite3"}
    assert missing_sqlite_database(relative, tmp_path) == tmp_path / "rel" / "db.sqlite3"


def test_a_database_url_given_in_a_file_is_honoured(tmp_path):
    # Arrange: the deployment guide's form, DATABASE_URL_FILE naming a file that holds a PostgreSQL URL.
    from xinan.cli import missing_sqlite_database

    url_file = tmp_path / "database_url"
    url_file.write_text("postgres://xinan@127.0.0.1:5432/xinan\n")
    environ = {"DATABASE_URL_FILE": str(url_file), "XINAN_DATA_DIR": str(tmp_path / "data")}

    # Act / Assert: not mistaken for a missing SQLite file in the data folder.
    assert missing_sqlite_database(environ, tmp_path) is None
    # …and a SQLite URL in the file is checked like one in the environment.
    url_file.write_text(f"sqlite:///{tmp_path / 'db.sqlite3'}\n")
    assert missing_sqlite_database(environ, tmp_path) == tmp_path / "db.sqlite3"


def test_a_bad_setting_is_a_message_not_a_traceback(tmp_path):
    # Act
    result = subprocess.run(
        [sys.executable, "-m", "xinan", "check"],
        env=_clean_env(XINAN_DATA_DIR=str(tmp_path), DATABASE_URL="mysql2://somewhere/db"),
        capture_output=True, text=True, timeout=120, check=False,
    )

    # Assert
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
