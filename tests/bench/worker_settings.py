"""The procedure benchmark's Celery worker: the test settings (development key and seal,
database and broker from the environment, DJANGO_CONN_MAX_AGE as the deployment sets it:
bench_procedure.start_worker) without the development switch's query log, and e-mails
handed to an in-memory stand-in for the mail server."""

from config.settings_test import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
