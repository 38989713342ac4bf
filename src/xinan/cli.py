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


def missing_sqlite_database(environ: dict[str, str], cwd: Path) -> Path | None:
    """The SQLite file the settings would use, when it does not exist yet; None otherwise."""
    url = environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite:"):
        return None
    if url:
        location = url.split("sqlite:///", 1)[-1] if "sqlite:///" in url else ""
        if not location or location == ":memory:":
            return None
        path = Path(location)
    else:
        data_dir = Path(environ.get("XINAN_DATA_DIR") or cwd / "var")
        path = data_dir / "xinan.sqlite3"
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
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
