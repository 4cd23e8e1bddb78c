"""The procedure benchmark's Celery worker: the test settings (development key and seal,
database and broker from the environment) with what a deployment sets for speed, so the
worker's figures are production's: no DEBUG query log, database connections kept between
tasks (the compose files' DJANGO_CONN_MAX_AGE=60, which config.settings turns into these
two keys), e-mails handed to an in-memory stand-in for the mail server."""

from config.settings_test import *  # noqa: F403
from config.settings_test import DATABASES

DEBUG = False
DATABASES["default"].update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
