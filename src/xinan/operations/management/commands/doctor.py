"""``xinan doctor``: one line per part the platform needs; exit status 1 if any fails."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinan.operations.services.doctor import run_checks


class Command(BaseCommand):
    help = "Check the database, Redis, storage, encryption keys, SMS/e-mail settings and the worker."

    def handle(self, *args, **options):
        findings = run_checks()
        width = max(len(f.name) for f in findings)
        for finding in findings:
            mark = "skip" if finding.skipped else ("ok" if finding.ok else "FAIL")
            self.stdout.write(f"{mark:<4}  {finding.name:<{width}}  {finding.detail}")
        failed = [f.name for f in findings if not f.ok]
        if failed:
            raise CommandError(f"{len(failed)} of {len(findings)} checks failed: {', '.join(failed)}", returncode=1)
        self.stdout.write(f"all {len(findings)} checks passed")
