"""Background tasks: thin wrappers that take ids and call services."""

from django_tasks import task

from xinan.notifications.services import outbox, receipts


@task()
def task_deliver_message(message_id: int) -> bool:
    return outbox.deliver(message_id)


@task()
def task_deliver_due_messages() -> int:
    return outbox.deliver_due()


@task()
def task_pull_receipts() -> int:
    return receipts.pull_receipts()
