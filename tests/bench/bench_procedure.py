"""The real company-creation procedure end to end, as its users wait for it.

    make bench-engine                      # with the engine benchmark, 10,000 cases each
    .venv/bin/python -m tests.bench.bench_procedure --cases 300

N SARL filings, each submitted by its owner through the signature services (setup, not
timed), are taken through the shipped procedure by the same services the back office
calls: a clerk of each desk claims and approves (intake, registry, tax with a NIF, social
security with an employer number, registrar); the automatic name check and screening,
the notifications and the sealed certificate run in a real Celery worker (prefork, 2
processes) on Redis, reached through the outbox. A case counts as done when its company
is registered and its certificate issued. The clock runs from the first claim to the last
certificate.

Printed: completed cases/s, queries per clerk decision (claim + approve, in the deciding
process) on the first and the last 200 decisions, audit events per case split into clerk
decisions and bookkeeping, and the checks that went to a person; the CPU a case costs on
each side (the clerks' process, PostgreSQL, the worker) against what the target allows
on this machine's cores, and the certificate's own share (drawn and sealed alone).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # no query log in this process: the figures are production's
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
from django.core import mail  # noqa: E402

mail.outbox = []  # the signing codes of the setup's submissions are read from here
logging.getLogger("celery").setLevel(logging.WARNING)

from .common import (  # noqa: E402
    CpuMeter,
    QueryCounter,
    QueryTimer,
    clerks_by_desk,
    database_url,
    machine,
    profile_top,
    step_data,
    throwaway_database,
)

ROOT = Path(__file__).resolve().parents[2]
TARGET_CASES_PER_SECOND = 20
SYLLABLES = [c + v for c in "BDFGKLMNPRSTVZ" for v in "AEIOU"]


def unique_names(count: int, *, seed: int = 7) -> list[str]:
    """Made-up two-word names far apart from each other, as real names mostly are."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
                 for _ in range(2)]
        names.add(" ".join(words))
    return sorted(names)


def _copy(instance, **changes):
    model = type(instance)
    values = {field.attname: getattr(instance, field.attname)
              for field in model._meta.concrete_fields if not field.primary_key}
    values.update(changes)
    return model.objects.create(**values)


def submitted_filings(count: int) -> list[int]:
    """`count` complete SARL filings, submitted and signed by their owner; case ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from config.celery import app as celery_app
    from documents.models import SupportingDocument
    from registry.models import Application
    from registry.services import drafting
    from tests.registry.filings import build, sarl_plan, sign_with_services
    from workflows import selectors

    celery_app.conf.task_always_eager = True  # the submissions' e-mails, here
    try:
        owner, _ = get_user_model().objects.get_or_create(email="bench-owner@example.tg")
        template = build(owner, sarl_plan())
        parties = list(template.parties.all())
        documents = list(SupportingDocument.objects.filter(
            subject_type=ContentType.objects.get_for_model(Application),
            subject_id=template.pk))
        case_ids = []
        taken = Application.objects.count()
        for index, name in enumerate(unique_names(count, seed=taken)):
            filing = _copy(template, reference=f"BENCH-{taken + index:07d}")
            new_party = {str(party.pk): str(_copy(party, application_id=filing.pk).pk)
                         for party in parties}
            for document in documents:
                # Same bytes on disk, a row of its own (one stored file per document); a
                # person's document names the person ("id:<party>").
                code, _, ref = document.requirement.partition(":")
                requirement = f"{code}:{new_party[ref]}" if ref else code
                _copy(document, subject_id=filing.pk, replaces_id=None,
                      requirement=requirement,
                      stored_file_id=_copy(document.stored_file).pk)
            drafting.save_section(application_id=filing.pk, user=owner, section="names",
                                  data={"company_name": name, "alternative_names": []})
            sign_with_services(filing, owner)
            case_ids.append(selectors.case_for(filing).pk)
        return case_ids
    finally:
        celery_app.conf.task_always_eager = False


def start_worker(database: str, concurrency: int) -> subprocess.Popen:
    # Connections kept between tasks, as the compose files set them.
    env = {**os.environ, "DATABASE_URL": database_url(database), "DJANGO_CONN_MAX_AGE": "60",
           "DJANGO_SETTINGS_MODULE": "tests.bench.worker_settings"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", str(concurrency), "--loglevel", "ERROR", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_worker(timeout: float = 60) -> None:
    from config.celery import app as celery_app

    deadline = time.monotonic() + timeout
    while not celery_app.control.ping(timeout=0.5):
        if time.monotonic() > deadline:
            raise RuntimeError("the Celery worker did not start")


def stop_worker(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)


class Driver:
    """The desks: claim and approve whatever is theirs, as the back office would."""

    def __init__(self, clerks: dict) -> None:
        self.clerks = clerks
        self.decisions = 0
        self.person_checks = 0
        self.decision_queries: list[tuple[int, str, int]] = []  # (case, step, queries)

    def decide_ready(self, case_ids) -> int:
        from django.db.models import Q

        from workflows import services as engine
        from workflows.models import StepKind, Task, TaskState

        ready = list(Task.objects.filter(case_id__in=case_ids)
                     .filter(Q(state=TaskState.READY, kind=StepKind.MANUAL)
                             | Q(state=TaskState.FAILED))
                     .order_by("case_id", "position")
                     .values_list("pk", "desk__code", "step_id", "state", "case_id")[:300])
        for task_id, desk_code, step_id, state, case_id in ready:
            clerk = self.clerks[desk_code]
            with QueryCounter() as queries:
                engine.claim_task(task_id=task_id, user=clerk)
                engine.approve_task(task_id=task_id, user=clerk,
                                    data=step_data(step_id, case_id))
            self.decision_queries.append((case_id, step_id, len(queries)))
            self.decisions += 1
            self.person_checks += state == TaskState.FAILED
        return len(ready)

    def run(self, case_ids: list[int], *, window: int, timeout: float) -> float:
        from registry.models import Company
        from workflows.models import Case

        subject_of = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "subject_id"))
        waiting = deque(case_ids)
        in_flight: set[int] = set()
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        while waiting or in_flight:
            while waiting and len(in_flight) < window:
                in_flight.add(waiting.popleft())
            decided = self.decide_ready(in_flight)
            issued = set(Company.objects.filter(
                application_id__in=[subject_of[c] for c in in_flight],
                certificate__isnull=False).values_list("application_id", flat=True))
            in_flight = {c for c in in_flight if subject_of[c] not in issued}
            if decided or issued:
                deadline = time.monotonic() + timeout  # `timeout` seconds without progress
            else:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{len(in_flight)} cases stuck for {timeout} s "
                                       "(worker down?)")
                time.sleep(0.02)
        return time.perf_counter() - started


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0


EDGE = 0.1  # the share of cases at each end whose decisions are compared


def queries_per_decision(decisions, case_ids) -> tuple[float, float]:
    """Mean queries per decision (claim + approve) on the first and the last cases taken
    in, step for step: both ends average the same mix of desks, so a difference is growth
    with the data, not a registrar's decision weighing more than an intake's."""
    edge = max(1, int(len(case_ids) * EDGE))
    ends = (set(case_ids[:edge]), set(case_ids[-edge:]))
    means = []
    for cases in ends:
        by_step: dict[str, list[int]] = {}
        for case_id, step_id, count in decisions:
            if case_id in cases:
                by_step.setdefault(step_id, []).append(count)
        means.append(_mean([_mean(counts) for counts in by_step.values()]))
    return means[0], means[1]


def certificate_seconds(samples: int = 15) -> float:
    """Median wall time of one certificate drawn and sealed in this process, nothing else
    (documents.issuing.produce_pdf: ReportLab page, QR code, PAdES seal with the run's key;
    no database): the share of a case's CPU that no cut in the bookkeeping removes."""
    import statistics

    from django.utils import timezone

    from documents import codes, issuing
    from documents.models import DocumentKind
    from tests.documents.helpers import CERTIFICATE_FACTS

    signer = issuing.get_signer()
    timings = []
    for _ in range(samples + 1):  # the first warms the fonts up
        started = time.perf_counter()
        issuing.produce_pdf(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS,
                            code=codes.new_code(), signer=signer, sealed_at=timezone.now())
        timings.append(time.perf_counter() - started)
    return statistics.median(timings[1:])


def run(cases: int, *, workers: int = 2, window: int = 200, profile_cases: int = 30) -> bool:
    """Set up, drive, print; True when the targets are met."""
    from config.celery import app as celery_app
    from documents import issuing
    from registry.models import Company
    from workflows.models import AuditEvent

    with throwaway_database() as database:
        clerks = clerks_by_desk()
        issuing.get_signer()  # the development seal key exists before two workers want it
        print(f"# real procedure: {cases} SARL filings through company_creation "
              f"(7 steps, certificate included), PostgreSQL, Celery worker on Redis with "
              f"{workers} processes, clerks in 1 process, {window} cases in flight")
        print(f"# machine: {machine()}")
        setup_started = time.perf_counter()
        case_ids = submitted_filings(cases)
        print(f"# setup: {cases} filings built and signed in "
              f"{time.perf_counter() - setup_started:.0f} s (not timed)")
        celery_app.control.purge()
        events_before = AuditEvent.objects.count()
        worker = start_worker(database, workers)
        try:
            wait_for_worker()
            driver = Driver(clerks)
            with CpuMeter(worker_group=worker.pid, database=database) as cpu:
                elapsed = driver.run(case_ids, window=window, timeout=300)
        finally:
            stop_worker(worker)
        events = AuditEvent.objects.count() - events_before
        registered = Company.objects.filter(certificate__isnull=False).count()
        per_second = registered / elapsed
        first, last = queries_per_decision(driver.decision_queries, case_ids)
        print(f"procedure_cases_completed: {registered} cases (certificate issued)")
        print(f"procedure_cases_per_second: {per_second:.1f} /s")
        print(f"procedure_clerk_decisions_per_case: {driver.decisions / cases:.1f} decisions")
        print(f"procedure_queries_per_decision_first_cases: {first:.1f} queries "
              f"(claim + approve, first {EDGE:.0%} of the cases)")
        print(f"procedure_queries_per_decision_last_cases: {last:.1f} queries "
              f"(last {EDGE:.0%} of the cases)")
        print(f"procedure_audit_events_per_case: {events / cases:.1f} events "
              f"({driver.decisions * 2 / cases:.1f} clerk claims and approvals, the rest "
              f"bookkeeping: checks, filing states, identifiers)")
        print(f"procedure_checks_sent_to_a_person: {driver.person_checks} checks")
        for side, seconds in cpu.used.items():
            print(f"procedure_cpu_per_case_{side}: {seconds / cases * 1000:.1f} ms")
        print(f"procedure_cpu_busy: {sum(cpu.used.values()) / elapsed / os.cpu_count():.0%} "
              f"of {os.cpu_count()} cores")
        # What the target asks of each case on this machine, against what a case costs.
        cpu_per_case = sum(cpu.used.values()) / cases
        print(f"procedure_cpu_per_case_total: {cpu_per_case * 1000:.1f} ms "
              "(driver + PostgreSQL + worker)")
        print(f"procedure_cpu_per_case_allowed_by_target: "
              f"{os.cpu_count() / TARGET_CASES_PER_SECOND * 1000:.1f} ms "
              f"({os.cpu_count()} cores / {TARGET_CASES_PER_SECOND} cases/s)")
        print(f"procedure_cases_per_second_with_every_core_busy: "
              f"{os.cpu_count() / cpu_per_case:.1f} /s")
        print(f"procedure_certificate_alone_ms: {certificate_seconds() * 1000:.1f} ms "
              "(the PDF drawn and sealed, no database; median of 15, after the run)")
        ok = {
            f"procedure cases_per_second >= {TARGET_CASES_PER_SECOND}":
                per_second >= TARGET_CASES_PER_SECOND,
            "queries per decision do not grow with N (within 5%)": last <= first * 1.05,
            "every case registered with its certificate": registered == cases,
        }
        for label, met in ok.items():
            print(f"# target {label}: {'met' if met else 'MISSED'}")
        if profile_cases:
            profile_in_process(profile_cases, clerks)
        return all(ok.values())


def profile_in_process(count: int, clerks: dict) -> None:
    """The same procedure for `count` more filings, all in this process (eager Celery),
    under cProfile: where a case's time goes, worker's share included."""
    from config.celery import app as celery_app

    case_ids = submitted_filings(count)
    celery_app.conf.task_always_eager = True
    try:
        driver = Driver(clerks)
        with QueryTimer() as timer:
            profile_top(lambda: driver.run(case_ids, window=count, timeout=60),
                        prefix=f"profile ({count} cases in one process)")
        timer.print_top(12, prefix="queries by time:")
    finally:
        celery_app.conf.task_always_eager = False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window", type=int, default=200)
    parser.add_argument("--profile-cases", type=int, default=30)
    args = parser.parse_args()
    return 0 if run(args.cases, workers=args.workers, window=args.window,
                    profile_cases=args.profile_cases) else 1


if __name__ == "__main__":
    sys.exit(main())
