"""A Celery worker handles its database connection between tasks as a web process does
between requests (config.celery): kept for CONN_MAX_AGE, closed when too old; never
closed under an eager task, which runs inside its caller's transaction."""

from types import SimpleNamespace

import pytest
from celery import signals
from celery.fixups.django import DjangoWorkerFixup
from django.conf import settings
from django.db import connection

from config.celery import app

pytestmark = pytest.mark.django_db(transaction=True)
# Django never closes the in-memory SQLite database of the embedded test run.
closes_connections = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="closing a connection needs a server database (DATABASE_URL=postgres://...)")


class Task:
    """What the signals send: a task whose request says whether it runs eagerly."""

    def __init__(self, *, eager: bool) -> None:
        self.request = SimpleNamespace(is_eager=eager)


WORKER_TASK = Task(eager=False)
EAGER_TASK = Task(eager=True)


@pytest.fixture
def celerys_fixup():
    """What a worker process runs around each task besides config.celery: Celery's Django
    fix-up, which closes every connection unless CELERY_DB_REUSE_MAX says otherwise."""
    fixup = DjangoWorkerFixup(app)
    signals.task_prerun.connect(fixup.on_task_prerun)
    signals.task_postrun.connect(fixup.on_task_postrun)
    yield fixup
    signals.task_prerun.disconnect(fixup.on_task_prerun)
    signals.task_postrun.disconnect(fixup.on_task_postrun)


def connected_with(monkeypatch, max_age: int):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", max_age)
    connection.close()
    connection.ensure_connection()  # close_at follows CONN_MAX_AGE from this moment
    return connection.connection


def between_two_tasks(task) -> None:
    signals.task_postrun.send(sender=task, task_id="1", task=task, args=(), kwargs={})
    signals.task_prerun.send(sender=task, task_id="2", task=task, args=(), kwargs={})


@closes_connections
def test_a_worker_keeps_its_connection_from_task_to_task_within_conn_max_age(
        monkeypatch, celerys_fixup):
    opened = connected_with(monkeypatch, 60)
    between_two_tasks(WORKER_TASK)
    assert connection.connection is opened
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@closes_connections
def test_without_conn_max_age_each_task_gets_a_fresh_connection(monkeypatch):
    connected_with(monkeypatch, 0)
    between_two_tasks(WORKER_TASK)
    assert connection.connection is None
    connection.ensure_connection()  # the next query reconnects
    assert connection.is_usable()


@closes_connections
def test_a_connection_that_failed_is_not_handed_to_the_next_task(monkeypatch):
    connected_with(monkeypatch, 60)
    connection.errors_occurred = True
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    between_two_tasks(WORKER_TASK)
    assert connection.connection is None


def test_an_eager_task_leaves_its_callers_connection_alone(monkeypatch, celerys_fixup):
    opened = connected_with(monkeypatch, 0)
    between_two_tasks(EAGER_TASK)
    assert connection.connection is opened

