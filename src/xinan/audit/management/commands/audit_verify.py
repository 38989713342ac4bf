"""``xinan audit_verify``: seal what is due, then check the whole audit chain."""

from django.core.management.base import BaseCommand, CommandError

from xinan.audit.services.chain import verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero and name the first entry that does not fit."

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.ok:
            raise CommandError(f"audit chain broken at entry #{verdict.broken_id}: {verdict.problem}")
        self.stdout.write(f"audit chain intact: {verdict.checked} sealed entries checked")
