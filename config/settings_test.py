"""The test suite's settings: the production settings with the development switch on.

pytest reads them (pyproject.toml), and `make test` runs `makemigrations --check` with them.
The switch is set here rather than left to the environment, so the suite behaves the same
whatever the shell exports; DATABASE_URL and CELERY_BROKER_URL still choose PostgreSQL and
a real broker when they are set (.ci/run), and without them SQLite and eager Celery.
"""

import os
from unittest import mock

# Only while the base settings are read: the process environment, which subprocesses of
# the tests inherit, stays as it was.
with mock.patch.dict(os.environ, {"DJANGO_DEBUG": "1"}):
    from config.settings import *  # noqa: F403

# No test relies on the demo's second-factor code, even when the shell exports it.
MFA_TOTP_INSECURE_BYPASS_CODE = None
# Tests create many users: a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Test-only apps: the engine's toy procedure, and a stalling one for the worker-killed test.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflows.toy", "tests.integration.killable"]  # noqa: F405
