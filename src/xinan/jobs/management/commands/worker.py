"""``xinan worker``: run background tasks and the periodic-job scheduler."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from xinan.jobs.services.periodic import enqueue_due
from xinan.notifications.services.outbox import worker_name


class Command(BaseCommand):
    help = "Run the background task worker and the periodic scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls for new tasks")
        parser.add_argument("--no-scheduler", action="store_true", help="do not enqueue periodic jobs")

    def handle(self, *args, interval: float, no_scheduler: bool, **options):
        if not no_scheduler:
            threading.Thread(target=self._schedule_forever, name="xinan-scheduler", daemon=True).start()
        if settings.TASK_BACKEND == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=False)
        elif settings.TASK_BACKEND == "database":
            call_command("db_worker", interval=interval)
        else:
            self.stdout.write("Tasks run immediately (XINAN_TASK_BACKEND=immediate); only the scheduler runs.")
            while True:
                time.sleep(3600)

    def _schedule_forever(self) -> None:
        name = worker_name()
        while True:
            try:
                enqueue_due(worker=name)
            except Exception:  # the scheduler must outlive a database restart
                self.stderr.write("periodic scheduler: enqueue failed, retrying")
            finally:
                close_old_connections()
            time.sleep(15)
