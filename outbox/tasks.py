from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Periodic (celery beat): send again the background work whose lease ran out."""
    return services.relay_due()
