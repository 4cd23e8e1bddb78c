"""Close outbox rows from the Celery worker: a task's id is its outbox row's id.

task_success and task_failure fire once per task, after its last retry; task_retry moves
the row's lease past the retry's countdown so the relay does not send it meanwhile. Tasks
that hand their own failure to a person (e.g. an automatic step goes to its desk's queue
with the error) say so with `outbox_failure_handled = True`: their row is closed as done,
with the error kept.
"""

from __future__ import annotations

import uuid

from celery import signals

from . import services


def _message_id(task_id) -> str | None:
    try:
        return str(uuid.UUID(str(task_id)))
    except ValueError:
        return None  # a task not sent through the outbox (beat, a test's direct call)


@signals.task_success.connect
def _succeeded(sender=None, **_kwargs) -> None:
    message_id = _message_id(sender.request.id) if sender else None
    if message_id:
        services.finish(message_id=message_id)


@signals.task_failure.connect
def _failed(sender=None, task_id=None, exception=None, **_kwargs) -> None:
    message_id = _message_id(task_id)
    if message_id:
        handled = getattr(sender, "outbox_failure_handled", False)
        services.finish(message_id=message_id, failed=not handled,
                        error=f"{type(exception).__name__}: {exception}")


@signals.task_retry.connect
def _retrying(sender=None, request=None, **_kwargs) -> None:
    message_id = _message_id(getattr(request, "id", None))
    if message_id:
        # The longest countdown a retry can have: autoretry's backoff cap.
        services.extend_lease(message_id=message_id,
                              seconds=getattr(sender, "retry_backoff_max", 600))
