from django_tasks import task

from xinan.cases.services.reminders import send_due_reminders


@task()
def task_send_case_reminders() -> int:
    return send_due_reminders()
