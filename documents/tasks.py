from datetime import timedelta

from celery import shared_task
from django.conf import settings

from . import storage


@shared_task(ignore_result=True)
def sweep_unrecorded_files() -> int:
    """Periodic (celery beat): delete bytes whose writer died before recording them."""
    grace = timedelta(seconds=settings.DOCUMENTS_UNRECORDED_GRACE_SECONDS)
    return len(storage.sweep_unrecorded(older_than=grace))
