"""Celery entry points of payments: thin and idempotent. A task that spends its retries
leaves its outbox row failed with the error, listed for a person in the admin
("Travaux en arrière-plan"), who re-runs it."""

from __future__ import annotations

from celery import shared_task

from . import services

_RETRIED = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_RETRIED)
def process_provider_event(event_id: int) -> str:
    """A kept provider notification: apply it (confirmed by the status API if unsigned)."""
    return services.process_event(event_id=event_id)


@shared_task(**_RETRIED)
def issue_receipt(payment_id: int) -> None:
    """Seal a successful payment's receipt and tell the payer (once)."""
    services.issue_receipt(payment_id=payment_id)


@shared_task(acks_late=True)
def reconcile_pending_payments() -> dict:
    """Periodic (celery beat): settle online payments pending for too long."""
    return services.reconcile_pending()
