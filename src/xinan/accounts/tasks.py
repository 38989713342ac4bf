"""Background tasks of sign-in: thin wrappers that take ids and call services."""

from django_tasks import task

from xinan.accounts.services import codes


@task()
def task_send_login_code(login_code_id: int) -> bool:
    return codes.send_login_code(login_code_id)
