from celery import shared_task

from . import extract


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
             retry_backoff_max=300, retry_jitter=True, max_retries=5)
def issue_extract(amendment_id: int) -> None:
    """Thin entry point; the service is idempotent, so a retry never issues twice."""
    extract.issue_extract(amendment_id=amendment_id)
