"""Celery entry points of the engine: thin, idempotent, retried with backoff."""

from __future__ import annotations

from celery import Task as CeleryTask
from celery import shared_task

from . import services


class AutomaticStepTask(CeleryTask):
    outbox_failure_handled = True  # the step goes to its desk's queue with the error

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Retries are exhausted: the step goes to a person with the error, never lost.
        services.fail_automatic_step(task_id=kwargs.get("task_id", args[0] if args else None),
                                     error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=AutomaticStepTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def run_automatic_step(task_id: int) -> None:
    services.run_automatic_step(task_id=task_id)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def scan_overdue_tasks() -> int:
    """Periodic (celery beat): escalate tasks past their deadline, each exactly once."""
    return len(services.escalate_overdue())


@shared_task(acks_late=True)
def refresh_dashboards() -> int:
    """Periodic (celery beat): compute every dashboard before its cached copy expires."""
    from . import figures

    return figures.refresh_dashboards()
