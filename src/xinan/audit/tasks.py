from django_tasks import task

from xinan.audit.services.chain import seal_pending
from xinan.audit.services.record import purge_expired_entries


@task()
def task_purge_audit() -> int:
    return purge_expired_entries()


@task()
def task_seal_audit() -> int:
    return seal_pending()
