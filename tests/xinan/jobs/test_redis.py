"""The scale-out parts on a real Redis: the cache and the RQ task backend."""

import os

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

REDIS_URL = os.environ.get("XINAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail("Redis is required in CI at 127.0.0.1:6379")
        pytest.skip("SKIPPED-REDIS: no Redis at 127.0.0.1:6379")
    yield REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_redis_cache_round_trip(redis_url):
    cache = RedisCache(redis_url, {})
    cache.set("xinan-test", {"a": 1}, 30)
    assert cache.get("xinan-test") == {"a": 1}


@pytest.mark.django_db(transaction=True)
def test_rq_backend_runs_a_task_through_redis(redis_url, settings):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    from xinan.notifications.models import Message
    from xinan.notifications.tasks import task_deliver_message

    message = Message.objects.create(channel="sms", template="login_code", to_address="13712345678", body="x")
    result = task_deliver_message.using(backend="default").enqueue(message.pk)
    queue = django_rq.get_queue("default", job_class=Job)
    # As `xinan worker` runs it: RQ with django-tasks-rq's job class.
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    message.refresh_from_db()
    assert message.status == "sent"
    assert result.id
