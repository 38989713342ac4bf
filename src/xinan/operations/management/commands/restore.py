"""xinan restore SRC: verify a backup's checksums, then restore it into an empty platform.

Stop the web and worker services first. Refuses a backup that does not match its manifest,
a database or storage that is not empty (unless --force), and a backup whose encrypting key is
not configured (unless --without-keys).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinan.audit.services.record import record
from xinan.operations.enums import OperationsAction
from xinan.operations.services.backup import BackupError, migration_gap, restore_backup, verify_backup


class Command(BaseCommand):
    help = "Restore a backup made by `xinan backup` (checksums verified first)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder, or its .tar / .tar.gz file")
        parser.add_argument("--verify-only", action="store_true", help="check the checksums and stop")
        parser.add_argument("--force", action="store_true", help="replace a database and files that are not empty")
        parser.add_argument(
            "--without-keys", action="store_true", help="restore although the backup's encrypting key is not configured"
        )

    def handle(self, *args, source, verify_only=False, force=False, without_keys=False, **options):
        try:
            if verify_only:
                manifest = verify_backup(Path(source))
                self.stdout.write(
                    f"backup verified: made {manifest['created_at']} by XinAn {manifest['platform']['version']}, "
                    f"{manifest['database']['vendor']} database, {len(manifest['files'])} files"
                )
                return
            manifest = restore_backup(Path(source), force=force, without_keys=without_keys, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        newer, unknown = migration_gap(manifest)
        if not newer:  # with migrations to apply first, the audit table may not have its current shape
            record(
                OperationsAction.RESTORE,
                after={"created_at": manifest["created_at"], "database_sha256": manifest["database"]["sha256"]},
            )
        if unknown:
            self.stdout.write(
                f"warning: the backup has {len(unknown)} migrations this release does not know "
                "(it was made by a newer release): install that release"
            )
        if newer:
            self.stdout.write(f"this release has {len(newer)} migrations newer than the backup: run `xinan migrate`")
        # The pages' static files (and their manifest) are part of the release, not of the backup: a
        # restore onto a fresh machine must leave a platform that serves, not one answering 500.
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
        except (OSError, CommandError) as exc:
            self.stdout.write(
                f"warning: could not collect the static files ({exc}): run `xinan collectstatic --no-input`"
            )
        else:
            self.stdout.write("static files collected")
        self.stdout.write(f"restored the backup made {manifest['created_at']}; start the services when ready")
