"""Tasks for the outbox's own tests: a counter that can be made to fail."""

from celery import shared_task

CALLS: list[tuple] = []
FAILING = {"on": False}


@shared_task(autoretry_for=(RuntimeError,), max_retries=0)
def record_call(value: str) -> None:
    CALLS.append((value,))
    if FAILING["on"]:
        raise RuntimeError(f"provider down for {value}")
