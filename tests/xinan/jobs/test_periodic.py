import datetime as dt

from xinan.jobs.models import PeriodicRun
from xinan.jobs.services.periodic import PeriodicJob, enqueue_due, slot_for

JOB = PeriodicJob("deliver", "xinan.notifications.tasks.task_deliver_due_messages", dt.timedelta(minutes=1))


def test_enqueue_due_two_workers_same_slot_enqueue_once(db):
    now = dt.datetime(2026, 5, 1, 8, 0, 30, tzinfo=dt.UTC)
    first = enqueue_due(worker="a", now=now, jobs=[JOB])
    second = enqueue_due(worker="b", now=now + dt.timedelta(seconds=10), jobs=[JOB])
    assert first == ["deliver"]
    assert second == []
    assert PeriodicRun.objects.count() == 1


def test_enqueue_due_next_slot_enqueues_again(db):
    now = dt.datetime(2026, 5, 1, 8, 0, 30, tzinfo=dt.UTC)
    enqueue_due(worker="a", now=now, jobs=[JOB])
    assert enqueue_due(worker="b", now=now + dt.timedelta(minutes=1), jobs=[JOB]) == ["deliver"]


def test_slot_for_is_stable_within_a_period():
    base = dt.datetime(2026, 5, 1, 8, 0, 0, tzinfo=dt.UTC)
    assert slot_for(base + dt.timedelta(seconds=59), dt.timedelta(minutes=1)) == base
