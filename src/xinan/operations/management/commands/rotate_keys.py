"""xinan rotate_keys: re-encrypt every stored value and file under the first configured key.

    xinan rotate_keys --generate   # print a new key to put first in XINAN_ENCRYPTION_KEYS
    xinan rotate_keys              # re-encrypt (resumable: run again after an interruption)
    xinan rotate_keys --check      # how much is still under an older key; exit status 1 if any

Prints counts only, never a value. The procedure is in docs/operations.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinan.audit.services.record import record
from xinan.crypto.keys import generate_key, key_ids
from xinan.operations.enums import OperationsAction
from xinan.operations.services import rotation


class Command(BaseCommand):
    help = "Re-encrypt stored values and files under the first key of XINAN_ENCRYPTION_KEYS; recompute blind indexes."

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key and stop")
        parser.add_argument("--check", action="store_true", help="count what is still under an older key")
        parser.add_argument("--batch-size", type=int, default=rotation.BATCH_SIZE)
        parser.add_argument("--skip-files", action="store_true", help="database values and indexes only")

    def handle(self, *args, generate=False, check=False, batch_size=rotation.BATCH_SIZE, skip_files=False, **options):
        if generate:
            self.stdout.write(generate_key())
            self.stderr.write(
                "Put this key FIRST in XINAN_ENCRYPTION_KEYS on every server, keep the old keys after it, "
                "restart, then run `xinan rotate_keys`. Store it with the other keys, never in a database backup."
            )
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        ids = key_ids()
        self.stdout.write(f"keys: {', '.join(ids)} (encrypting with {ids[0]})")
        if check:
            report = rotation.run(rotate=False, files=not skip_files, batch_size=batch_size, progress=self._show)
            self._summary(report)
            if report.values_outstanding or report.files_outstanding or report.indexes_outstanding:
                raise CommandError("some values, files or indexes are not under the current keys", returncode=1)
            return
        done = rotation.run(rotate=True, files=not skip_files, batch_size=batch_size, progress=self._show)
        rotated_values = sum(t.rotated for t in done.tables)
        recomputed = sum(i.recomputed for i in done.indexes)
        self.stdout.write(
            f"re-encrypted {rotated_values} values and {done.files.rotated} files, recomputed {recomputed} indexes"
        )
        record(
            OperationsAction.KEYS_ROTATED,
            after={
                "fingerprint": ids[0],
                "values": rotated_values,
                "files": done.files.rotated,
                "indexes": recomputed,
                "unreadable": done.unreadable,
            },
        )
        self.stdout.write("checking again…")
        report = rotation.run(rotate=False, files=not skip_files, batch_size=batch_size)
        self._summary(report)
        if report.values_outstanding or report.files_outstanding or report.indexes_outstanding:
            raise CommandError(
                "not everything is under the current key yet: run `xinan rotate_keys` again "
                "(values no configured key opens need the key they were written with)",
                returncode=1,
            )

    def _show(self, counts) -> None:
        if isinstance(counts, rotation.TableCounts):
            line = f"{counts.label}: {counts.current} current, {counts.stale} under an older key"
            if counts.plaintext:
                line += f" ({counts.plaintext} not encrypted)"
            if counts.unreadable:
                line += f", {counts.unreadable} UNREADABLE with the configured keys"
            if counts.rotated or counts.changed_meanwhile:
                line += f"; re-encrypted {counts.rotated}, changed meanwhile {counts.changed_meanwhile}"
        elif isinstance(counts, rotation.IndexCounts):
            line = f"{counts.label} blind indexes: {counts.current} current, {counts.stale} stale"
            if counts.unreadable:
                line += f", {counts.unreadable} UNREADABLE with the configured keys"
            if counts.recomputed or counts.changed_meanwhile:
                line += f"; recomputed {counts.recomputed}, changed meanwhile {counts.changed_meanwhile}"
        else:
            line = f"stored files: {counts.current} current, {counts.stale} under an older key"
            if counts.unreadable:
                line += f", {counts.unreadable} UNREADABLE with the configured keys"
            if counts.rotated or counts.vanished:
                line += f"; re-encrypted {counts.rotated}, deleted meanwhile {counts.vanished}"
        self.stdout.write(line)

    def _summary(self, report: rotation.Report) -> None:
        self.stdout.write(
            f"still to do: {report.values_outstanding} values, {report.files_outstanding} files, "
            f"{report.indexes_outstanding} indexes"
            + (f" ({report.unreadable} unreadable with the configured keys)" if report.unreadable else "")
        )
