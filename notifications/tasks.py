from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> None:
    """Thin entry point: send, and on failure record the attempt and retry with backoff."""
    try:
        services.send_delivery(delivery_id=delivery_id)
    except Exception as error:
        retries = self.request.retries
        final = retries >= settings.NOTIFICATION_MAX_RETRIES
        services.record_failure(delivery_id=delivery_id,
                                error=f"{type(error).__name__}: {error}", final=final)
        if final:
            return
        countdown = min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** retries, 3600)
        raise self.retry(exc=error, countdown=countdown) from error
