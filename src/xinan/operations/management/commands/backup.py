"""xinan backup DEST: the database (one snapshot), every stored file and a manifest.

DEST is a new (or empty) folder, or a file ending in .tar or .tar.gz. The encryption keys are
not in it: back them up separately (docs/operations.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinan.audit.services.record import record
from xinan.operations.enums import OperationsAction
from xinan.operations.services.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the stored files, with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("dest", help="a new or empty folder, or a .tar / .tar.gz file to create")

    def handle(self, *args, dest, **options):
        try:
            manifest = create_backup(Path(dest), progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record(
            OperationsAction.BACKUP,
            after={
                "vendor": manifest["database"]["vendor"],
                "tables": len(manifest["database"]["tables"]),
                "files": len(manifest["files"]),
                "database_sha256": manifest["database"]["sha256"],
            },
        )
        self.stdout.write(
            f"backup written: {dest} (database {manifest['database']['size']} bytes, {len(manifest['files'])} files; "
            f"key fingerprints {', '.join(manifest['keys']) or 'none'} — the keys themselves are not in it)"
        )
