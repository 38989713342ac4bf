"""The ``xinan`` command: Django management plus two Django-free tools.

xinan migrate | demo | worker | check --deploy | ...   (Django management commands)
xinan deid FILE [--json]                               (de-identification flags)
xinan report check FILE [--json]                       (case-report format check)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that may run before the database exists: they create it, fill it from a backup, or
# only inspect the code. Every other command pointed at a data folder without a database stops
# with a message instead of creating an empty database and a new secret key there.
_RUN_WITHOUT_DATABASE = frozenset({
    "", "help", "--help", "-h", "version", "--version", "migrate", "demo", "restore", "check",
    "collectstatic", "makemigrations", "showmigrations", "compilemessages", "makemessages", "test",
    "startapp", "diffsettings", "sqlmigrate",
})


_UNREADABLE = object()


def _setting(environ: dict[str, str], name: str):
    """A variable as the settings read it: ``NAME_FILE`` (a file holding the value) before ``NAME``."""
    file_name = environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError:
            return _UNREADABLE  # the settings will say so, naming the variable
    return environ.get(name, "")


def missing_sqlite_database(environ: dict[str, str], cwd: Path) -> Path | None:
    """The SQLite file the settings would use, when it does not exist yet; None otherwise."""
    url, data_dir = _setting(environ, "DATABASE_URL"), _setting(environ, "XINAN_DATA_DIR")
    if url is _UNREADABLE or data_dir is _UNREADABLE:
        return None
    if url and not url.startswith("sqlite:"):
        return None
    if url:
        location = url.split("sqlite:///", 1)[-1] if "sqlite:///" in url else ""
        if not location or location == ":memory:":
            return None
        path = Path(location)
    else:
        path = Path(data_dir or cwd / "var") / "xinan.sqlite3"
    path = path if path.is_absolute() else cwd / path
    return None if path.exists() else path


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else ""
    if command == "deid":
        from xinan_deid.cli import main as deid_main

        return deid_main(argv[2:])
    if command == "report":
        from xinan_reportformat.cli import main as report_main

        return report_main(argv[2:])
    if os.environ.get("DJANGO_SETTINGS_MODULE", "xinan.settings") == "xinan.settings" and command not in (
        _RUN_WITHOUT_DATABASE
    ):
        missing = missing_sqlite_database(dict(os.environ), Path.cwd())
        if missing is not None:
            sys.stderr.write(
                f"xinan: no database at {missing}.\n"
                "Set XINAN_DATA_DIR (or DATABASE_URL) to the data folder of your installation, "
                "or create the database there first with `xinan migrate`.\n"
            )
            return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinan.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:  # a bad setting: the message names the variable; no traceback
        sys.stderr.write(f"xinan: configuration error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
