"""``xinan retention [--dry-run]``: list (and, without --dry-run, destroy) closed cases past
their retention period. Prints references, schools and dates only, never names."""

from django.conf import settings
from django.core.management.base import BaseCommand

from xinan.retention.services.destruction import destroy_case, find_due_cases


class Command(BaseCommand):
    help = "Destroy closed cases past their retention period (legal holds excepted); --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would go, change nothing")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        due = find_due_cases()
        self.stdout.write(
            f"rule: closed cases kept {settings.RETENTION_CASE_YEARS} years, then {settings.RETENTION_ACTION}"
        )
        destroyed = 0
        for item in due:
            line = (
                f"{item.reference}\t{item.school_name}\tclosed {item.closed_on.isoformat()}"
                f"\tfrom {item.counted_from} {item.counted_from_date.isoformat()}\tdue {item.due_on.isoformat()}"
            )
            if dry_run:
                self.stdout.write(f"would destroy\t{line}")
            elif destroy_case(item.case_id, by_job="retention_command") is not None:
                destroyed += 1
                self.stdout.write(f"destroyed\t{line}")
        if dry_run:
            self.stdout.write(f"dry run: {len(due)} case(s) due, nothing changed")
        else:
            self.stdout.write(f"{destroyed} case(s) destroyed")
