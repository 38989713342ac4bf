from xinan.jobs.models.periodic import PeriodicRun

__all__ = ["PeriodicRun"]
