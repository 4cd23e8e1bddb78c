"""Real processes for the fault tests: a private Redis that can be stopped without touching
the machine's shared one, Celery worker subprocesses on the test database, and filings
brought to a given step (no assertions here)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import redis
from django.conf import settings

from config.celery import app as celery_app
from registry import services as registry_services
from tests.fees import submit_and_pay
from workflows.models import Case

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from ..registry.procedure.helpers import advance_until, case_of

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"


def wait_until(predicate, timeout: float, what: str, *, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test only, on a free port: stopping it stops nobody else's."""

    def __init__(self, folder: Path):
        self.port = _free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                assert self.process.poll() is None, "redis-server exited at start"
                return False

        wait_until(answers, 10, f"redis-server on port {self.port}")
        client.close()

    def unacked(self) -> int:
        """Messages a worker took and has not acknowledged: kombu's Redis transport keeps
        them in the `unacked` hash until acked, or restored after the visibility timeout."""
        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            return client.hlen("unacked")
        finally:
            client.close()

    def kill(self) -> None:
        """As a crash would: SIGKILL, nothing saved (the server keeps nothing on disk)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def _forget_producer_pools() -> None:
    """Drop the app's references to its broker pools, so the next publish builds them for
    the current write URL. The pools themselves are kombu's, shared by the process and
    keyed by URL: left as they are, the settings' broker keeps its usable pool."""
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def publishing_to(broker_url: str):
    """This process publishes to `broker_url` (not eagerly) for the block, then as before.

    The write URL is the one to change: the settings' CELERY_BROKER_URL shadows
    conf.broker_url, and publishing uses connection_for_write().
    """
    previous_url = celery_app.conf.broker_write_url
    previous_eager = celery_app.conf.task_always_eager
    _forget_producer_pools()
    celery_app.conf.broker_write_url = broker_url
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()  # this test's private broker only
        _forget_producer_pools()
        celery_app.conf.broker_write_url = previous_url
        celery_app.conf.task_always_eager = previous_eager


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}")


def start_worker_process(*, broker_url: str, log: Path, env: dict | None = None,
                         module: str | None = None, concurrency: int = 1) -> subprocess.Popen:
    """A prefork worker on the test database, in its own process group (so the whole
    group, parent and pool children, can be killed at once).

    `module` runs the worker through a wrapper (e.g. tests.integration.stalling_worker)
    instead of `celery` itself.
    """
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **(env or {}),
    }
    worker = ["worker", "--pool", "prefork", "--concurrency", str(concurrency),
              "--loglevel", "INFO", "--without-gossip", "--without-mingle",
              "--without-heartbeat"]
    command = ([sys.executable, "-m", module, *worker] if module
               else [sys.executable, "-m", "celery", "-A", "config", *worker])
    handle = log.open("ab")
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=handle,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill_worker(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the worker's whole process group (the parent and its pool processes)."""
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, sig)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def distinct_names(count: int, *, seed: int = 20260) -> list[str]:
    """Company names far from each other (and from any name on file), so that the
    automatic name check lets every filing through."""
    rng = random.Random(seed)
    consonants, vowels = "bdfgklmnprstvz", "aeiou"

    def word(length: int) -> str:
        return "".join(rng.choice(consonants) + rng.choice(vowels)
                       for _ in range(length)).capitalize()

    names: set[str] = set()
    while len(names) < count:
        names.add(f"{word(4)} {word(3)}")
    return sorted(names)


def submitted_filings(make_user, count: int, *, prefix: str) -> list:
    """`count` SARL filings, each by its own applicant and with its own name, submitted."""
    filings = []
    for index, name in enumerate(distinct_names(count)):
        owner = make_user(f"{prefix}{index}@example.tg")
        draft = registry_services.application_create(
            owner=owner, data={**COMPANY_DATA, "company_name": name},
            founder=dict(FOUNDER_DATA))
        filings.append(submit_and_pay(application_id=draft.pk,
                                                            user=owner))
    return filings


def at_registrar_step(make_user, clerks, count: int, *, prefix: str) -> list[Case]:
    """`count` filings through every desk up to the registrar's (eager Celery runs the
    automatic checks in this process)."""
    cases = []
    for filing in submitted_filings(make_user, count, prefix=prefix):
        case = case_of(filing)
        advance_until(case, "registrar", clerks)
        cases.append(case)
    return cases
