from django_tasks import task

from xinan.retention.services.destruction import destroy_due_cases


@task()
def task_destroy_due_cases() -> int:
    return len(destroy_due_cases(by_job="retention_daily"))
