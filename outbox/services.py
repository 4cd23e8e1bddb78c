"""Ask for background work durably, send it, and close it when it is done.

enqueue() runs inside the caller's transaction: the work is recorded with the decision
that needs it, and sent to the broker once the transaction commits. If the broker cannot
take it then, nothing fails for the user: the row stays open and the relay (a beat task
every OUTBOX_RELAY_SECONDS, or `manage.py relay_outbox`) sends it when the broker is back.
Tasks are idempotent, so a message sent twice (a relay racing a slow worker) does no harm.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import Message, MessageState

log = logging.getLogger(__name__)
# What a publish raises when the broker cannot be reached (kombu wraps connection errors).
_BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def enqueue(task, *args, **kwargs) -> Message:
    """Record `task(*args, **kwargs)` in the current transaction; send it after commit."""
    message = Message.objects.create(task_name=task.name, args=list(args), kwargs=kwargs,
                                     due_at=timezone.now() + _lease())
    transaction.on_commit(lambda: _send_after_commit(message))
    return message


def _publish(message: Message) -> None:
    current_app.tasks[message.task_name].apply_async(
        args=message.args, kwargs=message.kwargs, task_id=str(message.pk))


def _send(message: Message) -> bool:
    """Hand the work to the broker; False when the broker cannot take it now."""
    if current_app.conf.task_always_eager:
        # Development without a broker: the task runs here, and its failure propagates
        # before Celery's failure signal, so the row is closed here.
        try:
            _publish(message)
        except Exception as error:
            finish(message_id=message.pk, failed=True, error=f"{type(error).__name__}: {error}")
            raise
        return True
    try:
        _publish(message)
    except _BROKER_ERRORS as error:
        log.warning("Broker unavailable, %s left to the relay: %s", message.pk, error)
        return False
    return True


def _send_after_commit(message: Message) -> None:
    if not _send(message):
        # The decision is saved; its work waits for the relay instead of failing the page.
        Message.objects.filter(pk=message.pk, state=MessageState.PENDING).update(
            due_at=timezone.now())


def relay_due(*, limit: int = 500) -> int:
    """Send open work whose lease ran out; each row is taken by one relay only.

    The rows are taken (lease renewed) in a short transaction and sent after it, so no
    row stays locked while the broker is talked to; what the broker refuses is due again.
    """
    with transaction.atomic():
        due = list(Message.objects.select_for_update(skip_locked=True)
                   .filter(state=MessageState.PENDING, due_at__lte=timezone.now())
                   .order_by("due_at")[:limit])
        Message.objects.filter(pk__in=[message.pk for message in due]).update(
            due_at=timezone.now() + _lease(), sends=F("sends") + 1)
    for sent, message in enumerate(due):
        if not _send(message):
            Message.objects.filter(pk__in=[m.pk for m in due[sent:]],
                                   state=MessageState.PENDING).update(
                due_at=timezone.now(), sends=F("sends") - 1)
            return sent
    return len(due)


def extend_lease(*, message_id: str, seconds: float) -> None:
    """A task is retrying with a countdown: do not send it again before that runs."""
    Message.objects.filter(pk=message_id, state=MessageState.PENDING).update(
        due_at=timezone.now() + timedelta(seconds=seconds) + _lease())


def finish(*, message_id: str, error: str = "", failed: bool = False) -> None:
    """The task ran to its end: done, or failed with its error for a person to see.

    "Done", when it is a transaction of its own on PostgreSQL (a worker's), is committed
    without waiting for the disk: losing it in a crash only sends idempotent work once
    more, and every task saves a flush. A failure, which a person must see, waits for the
    disk as usual.
    """
    state = MessageState.FAILED if failed else MessageState.DONE
    if not failed and connection.vendor == "postgresql" and connection.get_autocommit():
        # One round trip: statements sent together run as one implicit transaction, so
        # SET LOCAL covers this update only (a worker closes 9 messages per filing).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SET LOCAL synchronous_commit TO OFF; UPDATE {Message._meta.db_table} "
                "SET state = %s, finished_at = %s, error = %s WHERE id = %s AND state = %s",
                [state, timezone.now(), error[:4000], message_id, MessageState.PENDING])
        return
    # A failure, SQLite, or inside a caller's transaction (an eager task), whose commit is
    # the caller's to make: one plain UPDATE.
    Message.objects.filter(pk=message_id, state=MessageState.PENDING).update(
        state=state, finished_at=timezone.now(), error=error[:4000])


@transaction.atomic
def rerun(*, message_id: str, actor) -> Message:
    """An operator runs failed work again (after fixing its cause): open and send it."""
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.state == MessageState.FAILED:
        message.state = MessageState.PENDING
        message.finished_at = None
        message.rerun_by = actor
        message.due_at = timezone.now() + _lease()
        message.save(update_fields=["state", "finished_at", "rerun_by", "due_at"])
        transaction.on_commit(lambda: _send_after_commit(message))
    return message
