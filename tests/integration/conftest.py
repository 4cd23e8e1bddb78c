"""A real Celery worker (threads, in this process) consuming from the configured broker."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app as celery_app

needs_postgresql_and_broker = pytest.mark.skipif(
    settings.CELERY_TASK_ALWAYS_EAGER
    or "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)",
)


@pytest.fixture
def real_worker(transactional_db):
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False,
                      shutdown_timeout=30):
        yield
    celery_app.conf.task_always_eager = True


def wait_for(predicate, *, timeout: float = 30.0, describe=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the Celery worker"
                         + (f": {describe()}" if describe else ""))
