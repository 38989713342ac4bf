from __future__ import annotations

from django.db import models
from django.utils import timezone


class PeriodicRun(models.Model):
    """One slot of a periodic job. The unique constraint makes exactly one worker
    (of however many) enqueue the job for a given slot."""

    name = models.CharField(max_length=80)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)
    worker = models.CharField(max_length=80, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")]
        indexes = [models.Index(fields=["name", "-slot"])]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot:%Y-%m-%d %H:%M}"
