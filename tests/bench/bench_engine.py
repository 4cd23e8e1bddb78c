"""Workflow engine benchmark: N cases of the engine's own toy procedure, driven to the end.

    make bench-engine                     # 10,000 cases here, then the real procedure
    .venv/bin/python -m tests.bench.bench_engine --cases 500 --procedure-cases 0

The toy procedure (tests/workflows/toy: a permit, 5 steps — a manual intake, an automatic
inspection, two parallel desks, one with a field to fill, a final signature — with
handlers that only note they were called) measures the engine itself: locking, FSM
transitions, the audit chain, readying and completing. Automatic steps run through the
outbox with Celery eager, in the driving process. A throw-away database is created and
dropped. The real company-creation procedure follows (tests/bench/bench_procedure.py).

Baseline, interleaved with the measured work in the same processes (a batch of cases,
then as many bare transitions): the bare cost of one transition's storage without the
engine (lock a row, update it, insert an event row), so the engine's overhead shows as a
ratio that a noisy machine moves alike on both sides. Queries per transition are counted
on the first and the last batch: they must not grow with N.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from .common import (  # noqa: E402
    QueryCounter,
    clerks_by_desk,
    machine,
    profile_top,
    throwaway_database,
)

settings.DEBUG = False  # no query log: the figures are production's
logging.getLogger("celery").setLevel(logging.WARNING)

TARGET_TRANSITIONS_PER_SECOND = 200
TARGET_CASES_PER_SECOND = 20
STEP_DATA = {"licence": {"licence_number": "20260042"}}


def setup() -> dict:
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    return clerks_by_desk()


def drive_batch(count: int, *, clerks) -> None:
    """Start `count` food permits and work every manual task until each case is complete."""
    from tests.workflows.toy.apps import TOY_PROCEDURE
    from tests.workflows.toy.models import Category, Permit
    from workflows import services as engine
    from workflows.models import StepKind, Task, TaskState

    cases = [engine.start_case(definition_code=TOY_PROCEDURE, subject=Permit.objects.create(
        holder="Kossi Agbeko", category=Category.FOOD)) for _ in range(count)]
    case_ids = [case.pk for case in cases]
    while True:
        ready = list(Task.objects.filter(case_id__in=case_ids, state=TaskState.READY,
                                         kind=StepKind.MANUAL)
                     .order_by("case_id", "position")
                     .values_list("pk", "desk__code", "step_id"))
        if not ready:
            return
        for task_id, desk_code, step_id in ready:
            clerk = clerks[desk_code]
            engine.claim_task(task_id=task_id, user=clerk)
            engine.approve_task(task_id=task_id, user=clerk, data=STEP_DATA.get(step_id))


def _drive_share(share: tuple[int, int]) -> list[tuple[int, float, int, float]]:
    """In a child process: drive `count` cases in batches, each followed by as many bare
    transitions as it made; per batch (cases, seconds, transitions, baseline seconds)."""
    count, batch = share
    from django.db import connections

    from workflows.models import AuditEvent, DeskMembership, Task

    connections.close_all()  # never share the parent's connection
    clerks = {membership.desk.code: membership.user
              for membership in DeskMembership.objects.select_related("desk", "user")}
    bare_task = Task.objects.order_by("pk").values_list("pk", flat=True).first()
    batches = []
    while count > 0:
        size = min(batch, count)
        events = AuditEvent.objects.count()
        started = time.perf_counter()
        drive_batch(size, clerks=clerks)
        elapsed = time.perf_counter() - started
        transitions = AuditEvent.objects.count() - events
        batches.append((size, elapsed, transitions,
                        baseline(transitions, subject_task_id=bare_task)))
        count -= size
    connections.close_all()
    return batches


def run_in_processes(cases: int, batch: int, processes: int) -> list[tuple]:
    from django.db import connections

    shares = [(cases // processes + (1 if index < cases % processes else 0), batch)
              for index in range(processes)]
    connections.close_all()
    if processes == 1:
        return _drive_share(shares[0])
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [entry for batches in pool.map(_drive_share, shares) for entry in batches]


def baseline(iterations: int, *, subject_task_id: int) -> float:
    """Bare storage of `iterations` transitions (lock, update, insert an event): seconds."""
    from workflows.models import AuditEvent, Task

    next_sequence = 10**12 + os.getpid() * 10**6 + int(time.time() * 1000) % 10**6
    started = time.perf_counter()
    for index in range(iterations):
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=subject_task_id)
            Task.objects.filter(pk=task.pk).update(comment=str(index))
            AuditEvent.objects.create(sequence=next_sequence + index, object_type="bench",
                                      object_id=str(task.pk), action="bench",
                                      previous_hash="0" * 64, hash="0" * 64)
    return time.perf_counter() - started


def engine_benchmark(args) -> bool:
    from workflows.models import AuditEvent, Case, CaseState

    clerks = setup()
    print(f"# engine benchmark: {args.cases} cases of the toy procedure (5 steps; batches of "
          f"{args.batch}, {args.processes} processes), database {connection.vendor}")
    print(f"# machine: {machine()}")

    # Warm-up, and the query count on the first batch.
    first = min(args.batch, args.cases)
    events_before = AuditEvent.objects.count()
    with QueryCounter() as first_queries:
        drive_batch(first, clerks=clerks)
    first_per_transition = len(first_queries) / (AuditEvent.objects.count() - events_before)

    measured_cases = args.cases - first
    if measured_cases <= 0:
        print("# too few cases to measure beyond the warm-up batch")
        return False
    started = time.perf_counter()
    batches = run_in_processes(measured_cases, args.batch, args.processes)
    wall = time.perf_counter() - started

    # Query count on a last batch, after N cases are in the tables.
    events_before = AuditEvent.objects.count()
    with QueryCounter() as last_queries:
        drive_batch(first, clerks=clerks)
    last_per_transition = len(last_queries) / (AuditEvent.objects.count() - events_before)
    assert not Case.objects.exclude(state=CaseState.COMPLETED).exists(), "cases left open"

    engine_seconds = sum(entry[1] for entry in batches)
    bare_seconds = sum(entry[3] for entry in batches)
    transitions = sum(entry[2] for entry in batches)
    # The processes run side by side: the engine's rate is their engine time shared out.
    cases_per_second = measured_cases / engine_seconds * args.processes
    transitions_per_second = transitions / engine_seconds * args.processes
    per_transition_ms = engine_seconds / transitions * 1000
    bare_ms = bare_seconds / transitions * 1000
    rates = [entry[0] / entry[1] for entry in batches]
    print(f"engine_cases_completed: {Case.objects.count()} cases ({measured_cases} timed, "
          f"the rest warm-up and query counts; wall {wall:.0f} s with the baseline)")
    print(f"engine_cases_per_second: {cases_per_second:.1f} /s")
    print(f"engine_transitions_per_second: {transitions_per_second:.1f} /s")
    print(f"engine_transitions_per_case: {transitions / measured_cases:.1f} transitions")
    print(f"engine_batch_rate_spread: {min(rates):.1f}-{max(rates):.1f} cases/s per process")
    print(f"engine_queries_per_transition_first_batch: {first_per_transition:.2f} queries")
    print(f"engine_queries_per_transition_last_batch: {last_per_transition:.2f} queries")
    print(f"engine_time_per_transition: {per_transition_ms:.2f} ms")
    print(f"baseline_bare_transition_time: {bare_ms:.2f} ms (interleaved, same processes)")
    print(f"engine_cost_vs_baseline: {per_transition_ms / bare_ms:.2f} x")
    checks = {
        f"engine transitions_per_second >= {TARGET_TRANSITIONS_PER_SECOND}":
            transitions_per_second >= TARGET_TRANSITIONS_PER_SECOND,
        f"engine cases_per_second >= {TARGET_CASES_PER_SECOND}":
            cases_per_second >= TARGET_CASES_PER_SECOND,
        "engine queries per transition do not grow with N (within 5%)":
            last_per_transition <= first_per_transition * 1.05,
    }
    for label, ok in checks.items():
        print(f"# target {label}: {'met' if ok else 'MISSED'}")
    print(f"# batch rate median {statistics.median(rates):.1f} cases/s per process")
    profile_top(lambda: drive_batch(min(100, first), clerks=clerks), entries=10,
                prefix="engine profile (100 toy cases, one process)")
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2,
                        help="processes driving cases at once (as web and worker processes "
                             "would in production); 1 for a single process")
    parser.add_argument("--procedure-cases", type=int, default=10_000,
                        help="filings through the real procedure afterwards (0: skip)")
    args = parser.parse_args()
    with throwaway_database():
        engine_ok = engine_benchmark(args)
    procedure_ok = True
    if args.procedure_cases:
        from . import bench_procedure

        procedure_ok = bench_procedure.run(args.procedure_cases)
    return 0 if engine_ok and procedure_ok else 1


if __name__ == "__main__":
    sys.exit(main())
