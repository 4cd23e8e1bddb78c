from celery import shared_task

from . import services

# The daily jobs (beat): each safe to repeat, retried a few times on any error; the next
# day's run comes anyway.
DAILY_JOB = dict(acks_late=True, autoretry_for=(Exception,), retry_backoff=True,
                   retry_backoff_max=600, retry_jitter=True, max_retries=3)


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def issue_certificate(application_id: int) -> None:
    """Thin entry point; the service is idempotent, so a retry never issues twice.

    When the retries are spent the outbox row is marked failed with the error, and the
    operator's screen (admin, "Travaux en arrière-plan") lists it for a re-run.
    """
    services.issue_certificate(application_id=application_id)


@shared_task(acks_late=True)
def send_extract_reminders() -> None:
    """Daily: remind owners of the criminal-record extracts due after registration (the
    service is idempotent: each reminder goes once)."""
    services.send_extract_reminders()


@shared_task(**DAILY_JOB)
def export_open_data() -> str:
    """Daily (beat): write the register's open-data export and prune the old ones. A rerun
    writes a new export beside the first (the older ones are pruned): safe to repeat."""
    from .public import opendata

    return opendata.write_export().export_id


@shared_task(**DAILY_JOB)
def refresh_name_vocabulary() -> int:
    """Nightly (beat): count again the words of the register's names for the name check.
    Rewritten whole each time, one refresh at a time: safe to repeat."""
    from .vocabulary import refresh_vocabulary

    return refresh_vocabulary()
