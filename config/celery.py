"""The Celery application; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery, signals
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_connections_between_tasks(sender=None, **kwargs) -> None:
    """Around a task, as around a request: a database connection past CONN_MAX_AGE, or
    broken, is closed (the next query opens a new one); a healthy one is kept
    (settings.CELERY_DB_REUSE_MAX)."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # an eager task runs inside its caller's request and transaction
    close_old_connections()
