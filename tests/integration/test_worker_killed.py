"""A worker process killed in the middle of an automatic step: the step runs again and is
applied exactly once (acks_late, reject on worker lost, one transaction per run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.workflows.toy.models import Permit
from workflows import services as engine
from workflows.definitions import load_file, publish
from workflows.models import AuditEvent, Task, TaskState

from .conftest import needs_postgresql_and_broker
from .killable.apps import KILL_TEST, KILL_TEST_FILE

pytestmark = [pytest.mark.integration, needs_postgresql_and_broker]
ROOT = Path(__file__).resolve().parents[2]

def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}")


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_step_whose_worker_dies_mid_run_runs_again_and_is_applied_once(
    transactional_db, tmp_path
):
    publish(load_file(KILL_TEST_FILE))
    # The worker runs the test settings, whose apps register the kill_test procedure.
    env = {**os.environ, "DATABASE_URL": _database_url(), "KILL_TEST_DIR": str(tmp_path),
           "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    celery_app.conf.task_always_eager = False
    try:
        case = engine.start_case(definition_code=KILL_TEST,
                                 subject=Permit.objects.create(holder="Ama DOE"))
        task = Task.objects.get(case=case, step_id="check")
        started = tmp_path / "started"
        _wait(started.exists, 60, "the check to start in the worker")
        # Kill the pool process running the check, as an OOM killer or a crash would.
        (tmp_path / "killed").write_text("1")
        os.kill(int(started.read_text()), signal.SIGKILL)

        _wait(lambda: Task.objects.get(pk=task.pk).state == TaskState.APPROVED, 60,
              "the step to run again")
        events = AuditEvent.objects.filter(object_type="workflows.task",
                                           object_id=str(task.pk))
        assert events.filter(action="run").count() == 1  # the killed run left nothing
        assert events.filter(action="check_passed").count() == 1
        assert case.tasks.get().state == TaskState.APPROVED
    finally:
        celery_app.conf.task_always_eager = True
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        connection.close()
