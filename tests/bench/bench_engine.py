"""Workflow engine benchmark: N cases driven to completion through the engine's services.

    make bench-engine                     # 10,000 cases on PostgreSQL
    .venv/bin/python -m tests.bench.bench_engine --cases 500

The procedure has the shape of company creation (7 steps: a manual intake, two automatic
checks in parallel, a manual registry step, two parallel desks with a field to fill, a
final approval) but no-op handlers, so the figures measure the engine itself: locking,
FSM transitions, the audit chain, readying and completing. Automatic steps run through
Celery in eager mode. A throw-away database test_<name> is created and dropped.

Baseline, in the same run: the bare cost of one transition's storage without the engine
(lock a row, update it, insert an event row), so the engine's overhead shows as a ratio.
Queries per transition are counted on the first and the last batch: they must not grow
with N.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402


class QueryCounter:
    """Counts queries without keeping them (CaptureQueriesContext caps at 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count

BENCH_DEFINITION = {
    "code": "bench_procedure",
    "title": "Benchmark",
    "facts": {"legal_form": ["EI", "SARL"]},
    "steps": [
        {"id": "intake", "title": "Intake", "desk": "guichet", "sla_hours": 4},
        {"id": "check_a", "title": "Check A", "desk": "guichet", "kind": "automatic",
         "after": ["intake"], "run": "tests.bench.bench_engine.passing_check"},
        {"id": "check_b", "title": "Check B", "desk": "greffe", "kind": "automatic",
         "after": ["intake"], "run": "tests.bench.bench_engine.passing_check"},
        {"id": "registry", "title": "Registry", "desk": "greffe",
         "after": ["check_a", "check_b"], "sla_hours": 8},
        {"id": "tax", "title": "Tax", "desk": "impots", "after": ["registry"],
         "fields": [{"name": "nif", "label": "NIF", "pattern": r"\d{10}"}]},
        {"id": "social", "title": "Social", "desk": "cnss", "after": ["registry"],
         "when": {"legal_form": ["SARL"]}},
        {"id": "registrar", "title": "Registrar", "desk": "greffier",
         "after": ["tax", "social"]},
    ],
}
TARGET_TRANSITIONS_PER_SECOND = 200
TARGET_CASES_PER_SECOND = 20


def passing_check(*, case, task) -> str:
    return "ok"


def machine() -> str:
    model = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def setup():
    from django.contrib.auth import get_user_model

    from config.celery import app as celery_app
    from workflows.definitions import publish, sync_desks
    from workflows.models import Desk, DeskMembership

    celery_app.conf.task_always_eager = True
    sync_desks()
    definition = publish(BENCH_DEFINITION)
    clerks = {}
    for desk in Desk.objects.all():
        user = get_user_model().objects.create_user(email=f"bench-{desk.code}@example.tg")
        DeskMembership.objects.create(desk=desk, user=user)
        clerks[desk.code] = user
    # Any saved model instance can be a case's subject; this one answers as a SARL would.
    subject = Desk.objects.get(code="guichet")
    subject.workflow_facts = lambda: {"legal_form": "SARL"}
    return definition, clerks, subject


def drive_batch(count: int, *, clerks, subject) -> None:
    """Start `count` cases and work every manual task until each case is complete."""
    from workflows import services as engine
    from workflows.models import Task, TaskState

    cases = [engine.start_case(definition_code="bench_procedure", subject=subject)
             for _ in range(count)]
    case_ids = [case.pk for case in cases]
    while True:
        ready = list(Task.objects.filter(case_id__in=case_ids, state=TaskState.READY,
                                         kind="manual").select_related("desk")
                     .order_by("case_id", "position").values_list("pk", "desk__code",
                                                                    "step_id"))
        if not ready:
            return
        for task_id, desk_code, step_id in ready:
            clerk = clerks[desk_code]
            engine.claim_task(task_id=task_id, user=clerk)
            engine.approve_task(task_id=task_id, user=clerk,
                                data={"nif": "1000428517"} if step_id == "tax" else None)


def _drive_share(share: tuple[int, int]) -> list[float]:
    """In a child process: drive `count` cases in batches; return each batch's cases/s."""
    count, batch = share
    from django.db import connections

    from workflows.models import Desk, DeskMembership

    connections.close_all()  # never share the parent's connection
    clerks = {membership.desk.code: membership.user
              for membership in DeskMembership.objects.select_related("desk", "user")}
    subject = Desk.objects.get(code="guichet")
    subject.workflow_facts = lambda: {"legal_form": "SARL"}
    rates = []
    while count > 0:
        size = min(batch, count)
        started = time.perf_counter()
        drive_batch(size, clerks=clerks, subject=subject)
        rates.append(size / (time.perf_counter() - started))
        count -= size
    connections.close_all()
    return rates


def run_in_processes(cases: int, batch: int, processes: int) -> list[float]:
    from django.db import connections

    shares = [(cases // processes + (1 if index < cases % processes else 0), batch)
              for index in range(processes)]
    connections.close_all()
    if processes == 1:
        return _drive_share(shares[0])
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [rate for rates in pool.map(_drive_share, shares) for rate in rates]


def baseline(iterations: int, *, subject_task_id: int) -> float:
    """Bare storage of one transition: lock, update, insert an event. Transitions/s."""
    from workflows.models import AuditEvent, Task

    next_sequence = 10**12
    started = time.perf_counter()
    for index in range(iterations):
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=subject_task_id)
            Task.objects.filter(pk=task.pk).update(comment=str(index))
            AuditEvent.objects.create(sequence=next_sequence + index, object_type="bench",
                                      object_id=str(task.pk), action="bench",
                                      previous_hash="0" * 64, hash="0" * 64)
    return iterations / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2,
                        help="processes driving cases at once (as web and worker processes "
                             "would in production); 1 for a single process")
    args = parser.parse_args()

    from workflows.models import AuditEvent, Case, CaseState, Task

    vendor = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _definition, clerks, subject = setup()
        print(f"# engine benchmark: {args.cases} cases of a 7-step procedure "
              f"(batches of {args.batch}, {args.processes} processes), database {vendor}")
        print(f"# machine: {machine()}")

        # Warm-up and query count on the first batch.
        first = min(args.batch, args.cases)
        events_before = AuditEvent.objects.count()
        with QueryCounter() as first_queries:
            drive_batch(first, clerks=clerks, subject=subject)
        first_per_transition = len(first_queries) / (AuditEvent.objects.count() - events_before)

        measured_cases = args.cases - first
        events_before = AuditEvent.objects.count()
        started = time.perf_counter()
        batch_rates = run_in_processes(measured_cases, args.batch, args.processes)
        elapsed = time.perf_counter() - started
        transitions = AuditEvent.objects.count() - events_before

        # Query count on a last batch, after N cases are in the tables.
        events_before = AuditEvent.objects.count()
        with QueryCounter() as last_queries:
            drive_batch(min(args.batch, first), clerks=clerks, subject=subject)
        last_per_transition = len(last_queries) / (AuditEvent.objects.count() - events_before)

        assert Case.objects.exclude(state=CaseState.COMPLETED).count() == 0, "cases left open"
        if measured_cases == 0:
            print("# too few cases to measure beyond the warm-up batch")
            return 1
        cases_per_second = measured_cases / elapsed
        transitions_per_second = transitions / elapsed
        some_task = Task.objects.order_by("pk").values_list("pk", flat=True).first()
        bare = baseline(2000, subject_task_id=some_task)

        print(f"cases_completed: {Case.objects.count()} cases "
              f"({measured_cases} timed, {first} warm-up, the rest counted queries)")
        print(f"cases_per_second: {cases_per_second:.1f} /s")
        print(f"transitions_per_second: {transitions_per_second:.1f} /s")
        print(f"transitions_per_case: {transitions / measured_cases:.1f} transitions")
        print(f"cases_per_second_batch_spread: {min(batch_rates):.1f}-{max(batch_rates):.1f} /s")
        print(f"queries_per_transition_first_batch: {first_per_transition:.2f} queries")
        print(f"queries_per_transition_last_batch: {last_per_transition:.2f} queries")
        per_process = transitions_per_second / args.processes
        print(f"transitions_per_second_per_process: {per_process:.1f} /s")
        print(f"baseline_bare_transitions_per_second: {bare:.1f} /s (one process)")
        print(f"engine_cost_vs_baseline: {bare / per_process:.2f} x (time per transition, "
              f"one process each)")
        growth = last_per_transition / first_per_transition
        checks = {
            f"transitions_per_second >= {TARGET_TRANSITIONS_PER_SECOND}":
                transitions_per_second >= TARGET_TRANSITIONS_PER_SECOND,
            f"cases_per_second >= {TARGET_CASES_PER_SECOND}":
                cases_per_second >= TARGET_CASES_PER_SECOND,
            "queries per transition do not grow with N (within 5%)": growth <= 1.05,
        }
        for label, ok in checks.items():
            print(f"# target {label}: {'met' if ok else 'MISSED'}")
        print(f"# batch rate median {statistics.median(batch_rates):.1f} cases/s")
        return 0 if all(checks.values()) else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
