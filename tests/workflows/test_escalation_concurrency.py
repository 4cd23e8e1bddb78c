"""Two deadline scanners at the same moment, on PostgreSQL with real threads: each overdue
task is escalated once, with one audit event."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from workflows import services as engine
from workflows.models import AuditEvent, Task

from .helpers import make_permit, start

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (DATABASE_URL)",
)


def test_two_scanners_at_once_escalate_an_overdue_task_exactly_once(
    transactional_db, make_user
):
    make_user("chef.guichet@cfe.example.tg", desk="guichet", supervisor=True)
    case = start(make_permit())
    intake = Task.objects.get(case=case, step_id="intake")
    Task.objects.filter(pk=intake.pk).update(due_at=timezone.now() - timedelta(hours=1))
    barrier = threading.Barrier(2)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def scan():
        try:
            barrier.wait(timeout=10)
            results.append(engine.escalate_overdue())
        except BaseException as error:  # reported below, with the thread's traceback lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2
    assert sorted(results, key=len) == [[], [intake.pk]]
    assert AuditEvent.objects.filter(action="escalate", object_type="workflows.task",
                                     object_id=str(intake.pk)).count() == 1
    intake.refresh_from_db()
    assert intake.escalated_at is not None
