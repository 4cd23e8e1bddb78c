"""The outbox: background work exists exactly when its transaction commits, survives a
broker that cannot take it, and lands in front of an operator when it keeps failing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from outbox import services
from outbox.admin import MessageAdmin
from outbox.models import Message, MessageState

from . import tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reset():
    tasks.CALLS.clear()
    tasks.FAILING["on"] = False
    yield
    tasks.FAILING["on"] = False


def test_work_asked_for_in_a_rolled_back_transaction_neither_exists_nor_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue(tasks.record_call, "a")
        raise RuntimeError("the decision failed")
    assert not Message.objects.exists()
    assert tasks.CALLS == []


def test_work_runs_after_commit_and_its_row_is_closed():
    with transaction.atomic():
        message = services.enqueue(tasks.record_call, "b")
        assert tasks.CALLS == []  # not before the decision is saved
    assert tasks.CALLS == [("b",)]
    message.refresh_from_db()
    assert message.state == MessageState.DONE
    assert message.finished_at is not None


def test_a_worker_closes_the_message_it_ran_and_no_other():
    """What a worker does after a task (outbox.signals): the message is closed once, in a
    transaction of its own; the connection's own settings are left as they were."""
    due = timezone.now() + timedelta(minutes=5)
    ran, waiting = (Message.objects.create(task_name="t", args=[], kwargs={}, due_at=due)
                    for _ in range(2))
    services.finish(message_id=str(ran.pk))  # the task id a worker has
    ran.refresh_from_db()
    assert ran.state == MessageState.DONE
    assert ran.finished_at is not None and ran.error == ""
    closed_at = ran.finished_at
    services.finish(message_id=ran.pk)  # closing it again changes nothing
    ran.refresh_from_db()
    assert ran.finished_at == closed_at
    waiting.refresh_from_db()
    assert (waiting.state, waiting.finished_at) == (MessageState.PENDING, None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)  # SET LOCAL covered the update only


def test_a_broker_that_cannot_take_the_work_delays_it_and_the_relay_sends_it(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.record_call, "apply_async", broker_down)
    celery_app.conf.task_always_eager = False  # as in production
    try:
        with transaction.atomic():
            message = services.enqueue(tasks.record_call, "c")
        # The caller's transaction committed and nothing was raised to the user.
        message.refresh_from_db()
        assert message.state == MessageState.PENDING
        assert message.due_at <= timezone.now()  # due at once for the relay
        assert tasks.CALLS == []

        assert services.relay_due() == 0  # still down: the relay stops, keeps the row
        message.refresh_from_db()
        assert message.state == MessageState.PENDING
    finally:
        celery_app.conf.task_always_eager = True

    monkeypatch.undo()  # the broker is back (the test's worker runs eagerly)
    assert services.relay_due() == 1
    message.refresh_from_db()
    assert tasks.CALLS == [("c",)]
    assert message.state == MessageState.DONE
    assert message.sends == 1


def test_the_relay_leaves_work_whose_lease_has_not_run_out():
    message = Message.objects.create(task_name=tasks.record_call.name, args=["d"],
                                     due_at=timezone.now() + timedelta(minutes=5))
    finished = Message.objects.create(task_name=tasks.record_call.name, args=["e"],
                                      state=MessageState.DONE,
                                      due_at=timezone.now() - timedelta(minutes=5))
    assert services.relay_due() == 0
    assert tasks.CALLS == []
    Message.objects.filter(pk=message.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert services.relay_due() == 1
    assert tasks.CALLS == [("d",)]
    finished.refresh_from_db()
    assert finished.state == MessageState.DONE


def test_work_that_keeps_failing_is_marked_failed_with_its_error_and_can_be_rerun():
    tasks.FAILING["on"] = True
    with pytest.raises(RuntimeError), transaction.atomic():
        # Eager mode propagates the last failure; a worker would log it instead.
        message = services.enqueue(tasks.record_call, "f")
    message = Message.objects.get()
    assert len(tasks.CALLS) == 1  # no retry left
    assert message.state == MessageState.FAILED
    assert "provider down for f" in message.error
    assert services.relay_due() == 0  # failed work waits for a person, not for the relay

    tasks.FAILING["on"] = False
    operator = get_user_model().objects.create_superuser(email="op@example.tg", password="x")
    request = RequestFactory().post("/admin/outbox/message/")
    request.user = operator
    request._messages = _Messages()
    admin = MessageAdmin(Message, site)
    admin.rerun(request, Message.objects.filter(pk=message.pk))

    message.refresh_from_db()
    assert message.state == MessageState.DONE
    assert message.rerun_by == operator
    assert len(tasks.CALLS) == 2
    assert request._messages.texts == ["1 travail relancé."]


def test_rerunning_work_that_is_not_failed_changes_nothing():
    message = Message.objects.create(task_name=tasks.record_call.name, args=["g"],
                                     state=MessageState.DONE)
    services.rerun(message_id=message.pk, actor=None)
    message.refresh_from_db()
    assert message.state == MessageState.DONE
    assert tasks.CALLS == []


class _Messages:
    def __init__(self):
        self.texts = []

    def add(self, level, message, extra_tags=""):
        self.texts.append(str(message))
