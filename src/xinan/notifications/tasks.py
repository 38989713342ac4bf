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


@task()
def task_recall_case_messages(reference: str, school_id: int, by_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return outbox.recall_case_messages(reference, school_id=school_id, by=by, reason="个案已结案")
