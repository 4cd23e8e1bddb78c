"""A claim and a decision on the same case at once, on PostgreSQL with real threads: neither
waits for the other in a cycle (the load test's deadlock between a claim, which saves its
task and records an audit event referring to the case, and a decision holding the case)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from workflows import services as engine
from workflows.models import Task

from .helpers import make_permit, start

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (DATABASE_URL)",
)


def test_a_claim_never_deadlocks_with_a_decision_holding_the_case(transactional_db,
                                                                  make_user):
    clerk = make_user("agent.guichet@cfe.example.tg", desk="guichet")
    case = start(make_permit())
    intake = Task.objects.get(case=case, step_id="intake")
    case_held, claimed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def decision():
        """What a decision does: the case first, then a task of the case."""
        try:
            with transaction.atomic():
                engine._locked_case(case.pk)
                case_held.set()
                # The claim gets its task and writes its audit event meanwhile (or, with a
                # lock that blocks rows referring to the case, waits for this one).
                claimed.wait(timeout=3)
                Task.objects.filter(pk=intake.pk).update(comment="")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def claim():
        try:
            case_held.wait(timeout=10)
            engine.claim_task(task_id=intake.pk, user=clerk)
            claimed.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decision), threading.Thread(target=claim)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    intake.refresh_from_db()
    assert intake.state == "claimed" and intake.assignee_id == clerk.pk
