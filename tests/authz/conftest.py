"""The authorization matrix shares one world per module, built once inside a transaction
that is rolled back at the end of the module; each test runs in a savepoint within it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test.utils import override_settings

from config.celery import app as celery_app

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        block = transaction.atomic()
        block.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            celery_app.conf.task_always_eager = previous
