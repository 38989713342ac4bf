from django_tasks import task

from xinan.jobs.services.housekeeping import prune


@task()
def task_housekeeping() -> dict:
    return prune()
