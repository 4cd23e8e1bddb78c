from celery import shared_task

from . import services, webhooks

MAX_RETRIES = 8


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(webhooks.DeliveryFailed,),
    retry_backoff=True,
    retry_backoff_max=300,  # below the broker's visibility timeout (settings)
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver_webhook(self, delivery_id: int) -> None:
    """Thin entry point: POST one notification; a sent or failed one is left alone.

    The last retry marks the delivery failed instead of raising: the partners admin lists
    it for a resend, so the outbox row closes as done.
    """
    webhooks.deliver(delivery_id=delivery_id,
                     last_attempt=self.request.retries >= self.max_retries,
                     retry_in=min(300, 2 ** self.request.retries))


@shared_task(acks_late=True, ignore_result=True)
def purge_api_calls() -> int:
    """Daily (celery beat): drop logged API calls past their retention."""
    return services.purge_api_calls()
