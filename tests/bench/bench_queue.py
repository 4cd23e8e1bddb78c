"""Queue benchmark: a desk's queue over N company filings, through the real views.

    make bench-queue                      # 1,000,000 filings
    make bench-queue ROWS=100000
    .venv/bin/python -m tests.bench.bench_queue --rows 100000

A throw-away PostgreSQL database is migrated (procedures and desks published), then loaded
by the national data generator (tests.bench.national, COPY from seeded Python rows): N
filings at every stage, 30% of them registered companies, with their cases (summary and
search text), one task per step of company creation (7, 6 for an individual trader), the
applicant's "start" audit event (which the queue's "not your own filing" rule reads),
documents' metadata, invoices and payments. Running cases stand at one point of the
procedure, their open task ready, claimed or (automatic) failed, about half of them
overdue; the others are drafts, awaiting payment, returned for correction, rejected,
withdrawn or registered.

A clerk of the court registry (greffe) then loads, with Django's test client: the queue's
first page, a deep keyset page (the middle of the desk's queue), a search by file number,
a search by company name, a filter (overdue at one step), and Django admin's changelist
for Task on the same data (a superuser; STAFF_MFA_REQUIRED off for the benchmark).
The dashboard is loaded by that clerk and by a manager (every desk): as served (figures
cached DASHBOARD_CACHE_SECONDS, 300 s), and computed on every request (cache off).
Query counts are taken first on 1,000 filings (a throw-away database of its own), then
on N: they must not grow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from .common import QueryCounter, QueryTimer, machine, throwaway_database  # noqa: E402

settings.DEBUG = False  # no query log: the figures are production's
settings.STAFF_MFA_REQUIRED = False  # the clients sign in with force_login

TARGET_QUEUE_P95_MS = 50
TARGET_DASHBOARD_P95_MS = 200
UNCACHED_RUNS = 10
TARGET_ADMIN_RATIO = 10
SMALL = 1_000
RUNS = 30
WARMUP = 3
COMPANY_SHARE = 30  # percent of the filings that are registered companies
SEED = 2026
# The data's "now": open tasks are due around it (about half overdue when the run starts).
AS_OF = datetime.now(UTC)


def _insert_select(model, exprs: dict[str, str], source: str, params=()) -> int:
    """INSERT INTO model's table SELECT exprs FROM source; every other column gets the
    field's default (the database has none)."""
    columns, values, args = [], [], []
    for field in model._meta.concrete_fields:
        if field.column in exprs:
            columns.append(field.column)
            values.append(exprs[field.column])
        elif not field.primary_key:
            columns.append(field.column)
            values.append("%s")
            args.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
           f"SELECT {', '.join(values)} FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params])
        return cursor.rowcount


def load(filings: int) -> dict:
    """`filings` filings (30% registered companies) and the people who work them: the
    world of tests.bench.national.generate()."""
    from .national import generate

    return generate(filings=filings, companies=filings * COMPANY_SHARE // 100, seed=SEED,
                    as_of=AS_OF, log=lambda line: None)


def scenarios(world: dict) -> dict[str, tuple[str, object]]:
    """name -> (URL, user): what is timed."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from workflows import selectors
    from workflows.models import Desk, Task

    clerk = world["clerks"]["greffe"][1]
    desk = Desk.objects.get(code="greffe")
    dated = (selectors.queue_tasks(clerk, selectors.QueueFilters(), desk_ids=[desk.pk])
             .filter(due_at__isnull=False).order_by("due_at", "pk"))
    open_tasks = Task.objects.filter(desk=desk, state="ready").count()
    middle = dated.values_list("due_at", "pk")[open_tasks // 2]
    cursor = selectors.Cursor(due_at=middle[0], task_id=middle[1]).encode()
    searched = dated.select_related("case")[open_tasks // 3].case
    queue = reverse("workflows:queue")
    return {
        "queue_first_page": (queue, clerk),
        "queue_deep_page": (f"{queue}?apres={cursor}", clerk),
        "queue_search_reference": (f"{queue}?q={searched.reference}", clerk),
        "queue_search_name": (f"{queue}?{urlencode({'q': searched.title})}", clerk),
        "queue_filter_overdue_step": (f"{queue}?en_retard=on&etape=registry", clerk),
        "admin_task_changelist": (reverse("admin:workflows_task_changelist"), world["admin"]),
        "dashboard_clerk": (reverse("workflows:dashboard"), clerk),
        "dashboard_manager": (reverse("workflows:dashboard"), world["manager"]),
    }


def measure(url: str, user, runs: int) -> tuple[list[float], int]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(runs):
        with QueryCounter() as counter:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return timings, counter.count


def explain_slowest(url: str, user) -> None:
    """Where a page's time goes, by statement (comments)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    with QueryTimer() as timer:
        for _ in range(5):
            client.get(url)
    timer.print_top(4, prefix="queries x5")


def views_setup() -> str:
    """The views run as in production: DEBUG off (the Makefile's DJANGO_DEBUG=1 only serves
    to read the settings without production secrets), templates from the cached loader."""
    from django.template import engines

    engine = engines["django"].engine
    loaders = [loader[0] if isinstance(loader, tuple) else loader for loader in engine.loaders]
    cached = loaders == ["django.template.loaders.cached.Loader"]
    assert not settings.DEBUG and not engine.debug and cached, (settings.DEBUG, loaders)
    return "DEBUG=False, template debug off, cached template loader"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="filings to load")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    rows = max(args.rows, SMALL + 1)
    print(f"# queue benchmark: {rows:,} filings, {args.runs} timed requests per page")
    print(f"# machine: {machine()}")
    print(f"# views: {views_setup()}")
    with throwaway_database():
        world = load(SMALL)
        small_queries = {name: measure(url, user, 1)[1]
                         for name, (url, user) in scenarios(world).items()}
    with throwaway_database():
        from workflows.models import Case, Task

        started = time.perf_counter()
        world = load(rows)
        print(f"load_time: {time.perf_counter() - started:.1f} s")
        print(f"data_filings: {rows} filings "
              f"({world['stages']['registered']} registered companies)")
        print(f"data_cases: {Case.objects.count()} cases")
        print(f"data_tasks: {Task.objects.count()} tasks")
        open_at_greffe = Task.objects.filter(desk__code="greffe",
                                             state__in=("ready", "claimed", "failed")).count()
        print(f"data_open_tasks_at_greffe: {open_at_greffe} tasks")
        results = {}
        for name, (url, user) in scenarios(world).items():
            timings, queries = measure(url, user, args.runs)
            results[name] = (statistics.median(timings), p95(timings), queries)
            print(f"{name}_median: {results[name][0]:.1f} ms")
            print(f"{name}_p95: {results[name][1]:.1f} ms")
            print(f"{name}_queries: {queries} queries (at {SMALL:,} filings: "
                  f"{small_queries[name]})")
            explain_slowest(url, user)
        settings.DASHBOARD_CACHE_SECONDS = 0  # every request computes every figure
        for name, (url, user) in scenarios(world).items():
            if not name.startswith("dashboard_"):
                continue
            name = f"{name}_uncached"
            timings, queries = measure(url, user, min(args.runs, UNCACHED_RUNS))
            results[name] = (statistics.median(timings), p95(timings), queries)
            print(f"{name}_median: {results[name][0]:.1f} ms")
            print(f"{name}_p95: {results[name][1]:.1f} ms")
            print(f"{name}_queries: {queries} queries")
            explain_slowest(url, user)
        del settings.DASHBOARD_CACHE_SECONDS
    queue_names = [name for name in results if name.startswith("queue_")]
    worst_p95 = max(results[name][1] for name in queue_names)
    admin_median = results["admin_task_changelist"][0]
    ratio = admin_median / results["queue_first_page"][0]
    print(f"queue_worst_p95: {worst_p95:.1f} ms")
    print(f"admin_vs_queue_first_page: {ratio:.1f} x (medians)")
    constant = all(results[name][2] <= small_queries[name] for name in queue_names)
    served = ("dashboard_clerk", "dashboard_manager")
    dashboard_p95 = max(results[name][1] for name in served)
    uncached_p95 = max(results[f"{name}_uncached"][1] for name in served)
    print(f"dashboard_worst_p95: {dashboard_p95:.1f} ms (figures cached)")
    print(f"dashboard_uncached_worst_p95: {uncached_p95:.1f} ms (figures computed)")
    dashboard_constant = all(results[name][2] <= small_queries[name] for name in served)
    for label, ok in ((f"queue p95 <= {TARGET_QUEUE_P95_MS} ms", worst_p95
                       <= TARGET_QUEUE_P95_MS),
                      ("queue query counts constant", constant),
                      (f"queue >= {TARGET_ADMIN_RATIO}x faster than the admin changelist",
                       ratio >= TARGET_ADMIN_RATIO),
                      (f"dashboard p95 <= {TARGET_DASHBOARD_P95_MS} ms (figures cached "
                       "300 s)", dashboard_p95 <= TARGET_DASHBOARD_P95_MS),
                      (f"dashboard p95 <= {TARGET_DASHBOARD_P95_MS} ms computed on every "
                       "request", uncached_p95 <= TARGET_DASHBOARD_P95_MS),
                      ("dashboard query counts constant", dashboard_constant)):
        print(f"# target {label}: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
