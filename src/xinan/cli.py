"""The ``xinan`` command: Django management plus two Django-free tools.

xinan migrate | demo | worker | check --deploy | ...   (Django management commands)
xinan deid FILE [--json]                               (de-identification flags)
xinan report check FILE [--json]                       (case-report format check)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else ""
    if command == "deid":
        from xinan_deid.cli import main as deid_main

        return deid_main(argv[2:])
    if command == "report":
        from xinan_reportformat.cli import main as report_main

        return report_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
