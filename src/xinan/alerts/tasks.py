from django_tasks import task

from xinan.alerts.services.raising import raise_alerts


@task()
def task_raise_alerts() -> int:
    return len(raise_alerts())
