"""The national load test: a mixed load on a million filings, measured side by side.

    make bench-load                                  # 1,000,000 filings, 200 users, 5 min
    make bench-load FILINGS=100000 DURATION=120
    .venv/bin/python -m tests.bench.bench_load --filings 1000000 --users 200 --duration 300

The database (guichet_national unless BENCH_LOAD_DATABASE_URL names another) is loaded once
by the national generator (tests/bench/national.py: 1,000,000 filings at every stage, their
tasks, documents' metadata, payments, 300,000 registered companies and their public events;
seeded) and kept for the next run. On top of it, through the services (not timed): live
filings submitted and paid, which the clerks decide during the run; the entrepreneurs'
drafts; the clerks' accounts with a second factor; the partners' tokens; the sessions.

Served as in production: gunicorn (8 processes, a request at a time each) with the
production settings (tests/bench/load/settings.py adds only the baseline view, a
query-count header and the development seal), a real Celery worker on Redis, Redis as the
shared cache, PostgreSQL.
Locust (headless) ramps to 200 users (tests/bench/load/locustfile.py: the public,
entrepreneurs, clerks, partners' programs and the baseline) and holds them.

Printed, one figure a line: p50, p95, p99 and throughput per kind of request, the query
counts per request (min and max over the run: they must not differ with the filing at
hand), each kind's p95 as a ratio of the baseline's, the errors, and the targets: p95 of
reads <= 75 ms and of writes <= 150 ms, no error. Then the three slowest kinds are profiled
in this process with pyinstrument (var/bench/profiles/).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get("BENCH_LOAD_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/guichet_national")
# Production's environment, with the benchmark's own secrets (nothing here is a real key).
SERVICE_ENV = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.load.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-load-secret-key-not-for-production-6d1f0c9a7e",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_CONN_MAX_AGE": "60",  # persistent connections, as a deployment sets them
    "CELERY_BROKER_URL": os.environ.get("BENCH_LOAD_BROKER_URL", "redis://127.0.0.1:6379/9"),
    "CACHE_URL": os.environ.get("BENCH_LOAD_CACHE_URL", "redis://127.0.0.1:6379/10"),
    "DOCUMENTS_ENCRYPTION_KEY": "YmVuY2gtbG9hZC1kb2N1bWVudHMta2V5LTMyLWJ5dGU=",
    "DJANGO_MEDIA_ROOT": str(OUT / "load-media"),
    "DOCUMENT_SIGNING_DEV_DIR": str(OUT / "load-signing"),
    "DJANGO_SECURE_SSL_REDIRECT": "0",  # TLS ends at the proxy the locust users stand in for
    "TRUSTED_PROXY_COUNT": "1",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "SITE_URL": "https://127.0.0.1",
}
os.environ.update(SERVICE_ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # setup's codes
from django.core import mail  # noqa: E402

mail.outbox = []

from .common import CpuMeter, machine  # noqa: E402
from .national import ensure_database  # noqa: E402

READ_P95_MS = 75
WRITE_P95_MS = 150
WRITES = ("entrepreneur: save a section", "entrepreneur: upload a document", "clerk: claim",
          "clerk: approve")
BASELINE = "baseline: bare view, one indexed query"
ENTREPRENEURS, CLERKS, PARTNERS = 60, 30, 14
CLERK_DESKS = ("guichet", "greffe", "impots", "cnss", "greffier")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_").replace(
        "__", "_")


# --- the data ------------------------------------------------------------------------------


def ensure_loaded(filings: int, seed: int) -> None:
    """Migrate; generate the million filings unless the database already holds them; then
    vacuum it (national.finish)."""
    from django.core.management import call_command

    from registry.models import Application

    call_command("migrate", verbosity=0)
    present = Application.objects.count()
    if present >= filings:
        print(f"# data: {present} filings already loaded (kept from an earlier run)")
        from .national import finish

        finish()  # earlier runs' decisions left dead rows: as autovacuum would, in service
        return
    if present:
        raise SystemExit(f"{DATABASE_URL} holds {present} filings, fewer than {filings}: "
                         "drop it (or name another with BENCH_LOAD_DATABASE_URL) and run again")
    from .national import generate

    started = time.perf_counter()
    generate(filings=filings, companies=int(filings * 0.3), seed=seed)
    print(f"generate_seconds: {time.perf_counter() - started:.1f} s")


def _session(user) -> tuple[str, str]:
    """A signed-in session for `user` (Django's force_login, as a sign-in leaves it) and a
    CSRF secret."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, secrets.token_hex(16)


def _pdf() -> Path:
    from reportlab.pdfgen import canvas

    path = OUT / "load-piece.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Pièce déposée pendant l'essai de charge")
    pdf.save()
    return path


def prepare(live: int, seed: int) -> dict:
    """What the users need, through the services; the plan the locust users read."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from documents.models import IssuedDocument
    from partners import services as partner_services
    from partners.models import Partner, Scope
    from registry import filing, reference
    from registry.models import Company
    from tests.registry.filings import build, sarl_plan
    from workflows.models import Desk, DeskMembership

    from .bench_procedure import submitted_filings

    rng = random.Random(seed)
    users = get_user_model().objects
    run = secrets.token_hex(3)  # each run's accounts are its own
    started = time.perf_counter()
    live_cases = submitted_filings(live)
    print(f"setup_live_filings_seconds: {time.perf_counter() - started:.1f} s")
    entrepreneurs = []
    for number in range(ENTREPRENEURS):
        owner = users.create_user(email=f"charge{run}-{number}@example.tg",
                                  first_name="Ama", last_name=f"ESSAI{number}")
        draft = build(owner, sarl_plan())
        requirement = next(line.requirement.code for line in filing.document_lines(draft)
                           if not line.requirement.later)
        session, csrf = _session(owner)
        entrepreneurs.append({"session": session, "csrf": csrf, "reference": draft.reference,
                              "requirement": requirement})
    desks = {desk.code: desk for desk in Desk.objects.filter(code__in=CLERK_DESKS)}
    clerks = []
    for number in range(CLERKS):
        desk = desks[CLERK_DESKS[number % len(CLERK_DESKS)]]
        clerk = users.create_user(email=f"agent{run}-{number}@cfe.example.tg",
                                  first_name="Kossi", last_name=f"AGENT{number}")
        DeskMembership.objects.create(desk=desk, user=clerk)
        TOTP.activate(clerk, generate_totp_secret())
        session, csrf = _session(clerk)
        clerks.append({"session": session, "csrf": csrf, "desk": desk.code})
    partners = []
    # One program more than locust runs, for the calls made in this process (query counts,
    # warm-up): they would otherwise count against a program's rate limit (partners.
    # throttling) in the minute its locust user starts, which then gets 429s.
    for number in range(PARTNERS + 1):
        partner = Partner.objects.create(name=f"Banque d'essai {run}-{number}")
        _, key = partner_services.issue_token(
            partner=partner, scopes=[Scope.COMPANIES_READ, Scope.REGISTRATIONS_READ])
        partners.append({"token": key})
    in_process_partner = partners.pop()
    companies = list(Company.objects.order_by("?").values_list("pk", "name",
                                                                 "rccm_number")[:2000])
    words = sorted({word for _, name, _ in companies for word in name.split()
                    if len(word) > 3 and word.isalpha()})
    codes = list(IssuedDocument.objects.order_by("?")
                 .values_list("verification_code", flat=True)[:500])
    print(f"setup_seconds: {time.perf_counter() - started:.1f} s")
    return {
        "database_url": DATABASE_URL, "live_cases": live_cases, "pdf": str(_pdf()),
        "entrepreneurs": entrepreneurs, "clerks": clerks, "partners": partners,
        "in_process_partner": in_process_partner,
        "public": {"words": rng.sample(words, min(200, len(words))),
                   "names": [name for _, name, _ in companies[:500]],
                   "rccm": [rccm for _, _, rccm in companies], "codes": codes},
        "baseline_ids": [pk for pk, _, _ in companies],
        "activities": [division.code for division in reference.activity_divisions()],
    }


# --- the run -------------------------------------------------------------------------------


def start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **SERVICE_ENV},
                            stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer in {timeout} s") from None
            time.sleep(0.5)


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of every core since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    values = values[:8]  # user nice system idle iowait irq softirq steal (guest is in user)
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def warm_up(base: str, in_process: InProcess, workers: int) -> None:
    """Each kind of read a few times per web worker before the clock starts (templates,
    connections, the first queries' plans), as a server that has been up a while."""
    for name in in_process.urls:
        for _ in range(2 * workers):
            request = urllib.request.Request(base + in_process.urls[name](),
                                             headers=in_process.headers(name, wsgi=False))
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()


def results(stats_csv: Path) -> list[dict]:
    with stats_csv.open(encoding="utf-8") as rows:
        return [row for row in csv.DictReader(rows) if row["Name"] != "Aggregated"]


def report(rows: list[dict], queries: dict[str, list[int]]) -> bool:
    baseline = next((float(row["95%"]) for row in rows if row["Name"] == BASELINE), None)
    errors = sum(int(row["Failure Count"]) for row in rows)
    worst_read = worst_write = 0.0
    for row in sorted(rows, key=lambda row: row["Name"]):
        name, slug = row["Name"], _slug(row["Name"])
        p95 = float(row["95%"])
        print(f"{slug}_requests: {row['Request Count']} requests")
        print(f"{slug}_p50: {float(row['50%']):.0f} ms")
        print(f"{slug}_p95: {p95:.0f} ms")
        print(f"{slug}_p99: {float(row['99%']):.0f} ms")
        print(f"{slug}_throughput: {float(row['Requests/s']):.2f} req/s")
        counts = queries.get(name) or [0]
        print(f"{slug}_queries: {min(counts)}-{max(counts)} queries")
        if baseline:
            print(f"{slug}_p95_vs_baseline: {p95 / baseline:.1f} x")
        if name in WRITES:
            worst_write = max(worst_write, p95)
        elif name != BASELINE:
            worst_read = max(worst_read, p95)
    total = sum(float(row["Requests/s"]) for row in rows)
    print(f"load_throughput: {total:.1f} req/s")
    print(f"load_errors: {errors} requests")
    print(f"load_reads_p95_worst: {worst_read:.0f} ms (target <= {READ_P95_MS})")
    print(f"load_writes_p95_worst: {worst_write:.0f} ms (target <= {WRITE_P95_MS})")
    return errors == 0 and worst_read <= READ_P95_MS and worst_write <= WRITE_P95_MS


class InProcess:
    """The kinds of request, made in this process with Django's test client as the same
    kind of user on the same data: for query counts and profiles."""

    def __init__(self, plan: dict) -> None:
        self.plan = plan
        from registry.names import normalize

        entrepreneur = plan["entrepreneurs"][0]["reference"]
        pick = random.choice
        public = plan["public"]
        # A search by a one-word name and one by several words take different paths (the
        # names holding the word itself first, then the others): drawn in turn, so that
        # each count covers both, whatever the draw, on the small database as on the big.
        one_word = [name for name in public["names"] if " " not in normalize(name)]
        several = [name for name in public["names"] if " " in normalize(name)]
        name_shapes = itertools.cycle([one_word or public["names"], several or public["names"]])
        # Tasks waiting at the first clerk's desk (the generated filings'), as the queue
        # lists them: the task page a clerk opens, read only.
        from workflows.models import StepKind, Task, TaskState

        tasks = list(Task.objects.filter(desk__code=plan["clerks"][0]["desk"],
                                         state=TaskState.READY, kind=StepKind.MANUAL)
                     .values_list("pk", flat=True)[:200])
        self.urls = {
            "public: search by word":
                lambda: "/registre/?" + urllib.parse.urlencode({"q": pick(public["words"])}),
            "public: search by name":
                lambda: "/registre/?" + urllib.parse.urlencode({"q": pick(next(name_shapes))}),
            "public: company page": lambda: f"/registre/{pick(public['rccm'])}/",
            "public: verify a certificate": lambda: f"/verifier/{pick(public['codes'])}/",
            "entrepreneur: my filings": lambda: "/dossiers/",
            "entrepreneur: filing status": lambda: f"/dossiers/{entrepreneur}/",
            "entrepreneur: documents page": lambda: f"/dossiers/{entrepreneur}/pieces/",
            "clerk: queue": lambda: "/guichet/",
            "clerk: task page": lambda: f"/guichet/taches/{pick(tasks)}/",
            "partner: company list":
                lambda: "/api/v1/companies/?" + urllib.parse.urlencode({"q": pick(
                    public["words"])}),
            "partner: a company": lambda: f"/api/v1/companies/{pick(public['rccm'])}/",
            "partner: registrations feed": lambda: "/api/v1/registrations/",
            BASELINE: lambda: f"/bench/baseline/{pick(self.plan['baseline_ids'])}/",
        }

    def headers(self, name: str, *, wsgi: bool = True) -> dict:
        """What the proxy and the person's browser send for this kind of request."""
        kind = name.split(":")[0]
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https",
                   "X-Forwarded-For": "10.9.9.9"}
        if kind == "partner":
            headers["Authorization"] = f"Bearer {self.plan['in_process_partner']['token']}"
        person = {"entrepreneur": self.plan["entrepreneurs"][0],
                  "clerk": self.plan["clerks"][0]}.get(kind)
        if person:
            headers["Cookie"] = f"sessionid={person['session']}"
        if wsgi:
            return {"HTTP_" + key.upper().replace("-", "_"): value
                    for key, value in headers.items()}
        return headers

    def client(self, name: str):
        from django.test import Client

        return Client(**self.headers(name))

    def get(self, client, name: str):
        response = client.get(self.urls[name]())
        assert response.status_code == 200, (name, response.status_code)
        return response

    def query_counts(self, repeat: int = 20) -> dict[str, list[int]]:
        from .common import QueryCounter

        counts = {}
        for name in self.urls:
            client = self.client(name)
            counts[name] = []
            for _ in range(repeat):
                with QueryCounter() as queries:
                    self.get(client, name)
                counts[name].append(len(queries))
        return counts

    def profile(self, names: list[str], repeat: int = 20) -> None:
        """pyinstrument profiles, printed and kept in var/bench/profiles/."""
        from pyinstrument import Profiler

        folder = OUT / "profiles"
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            client = self.client(name)
            self.get(client, name)  # warm: the templates, the first connection
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(repeat):
                    self.get(client, name)
            text = profiler.output_text(unicode=True, color=False, show_all=False)
            path = folder / f"{_slug(name)}.txt"
            path.write_text(text, encoding="utf-8")
            print(f"# profile of {name!r} ({repeat} requests): {path.relative_to(ROOT)}")
            for line in text.splitlines()[:45]:
                print(f"#   {line}")


SMALL = 2_000


def small_query_counts(seed: int) -> dict[str, list[int]]:
    """The same kinds of request on 2,000 filings, in a process of their own (its own
    database): the query counts the big run's must equal."""
    path = OUT / "load-queries-small.json"
    path.unlink(missing_ok=True)
    small_url = DATABASE_URL.rsplit("/", 1)[0] + "/guichet_national_small"
    subprocess.run([sys.executable, "-m", "tests.bench.bench_load", "--query-counts-only",
                    "--filings", str(SMALL), "--seed", str(seed), "--live", "5"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "BENCH_LOAD_DATABASE_URL": small_url})
    return json.loads(path.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--live", type=int, default=100, help="live filings for the clerks")
    # One request at a time per process (gthread keeps idle keep-alive connections off
    # the worker): with 4 x 4 threads, Python's GIL made a 30 ms task page wait for its
    # process's other requests (p95 180 ms); with 8 x 1, 73 ms, same load.
    parser.add_argument("--web-workers", type=int, default=8)
    parser.add_argument("--web-threads", type=int, default=1)
    parser.add_argument("--no-small", action="store_true",
                        help="skip the 2,000-filing query counts (a quicker second run)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--query-counts-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    if args.query_counts_only:  # the small database's side (small_query_counts)
        ensure_database(DATABASE_URL, fresh=True)
        ensure_loaded(args.filings, args.seed)
        counts = InProcess(prepare(args.live, args.seed)).query_counts()
        (OUT / "load-queries-small.json").write_text(json.dumps(counts))
        return 0

    print(f"# national load: {args.filings} filings ({int(args.filings * 0.3)} companies), "
          f"{args.users} users for {args.duration} s after a ramp of {args.spawn_rate}/s, "
          f"gunicorn ({args.web_workers} workers x {args.web_threads} threads, production "
          "settings, persistent database connections), one Celery "
          "worker (prefork, 1 process) on Redis, Redis cache, PostgreSQL, locust on the "
          "same machine")
    print(f"# machine: {machine()}")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    small = {} if args.no_small else small_query_counts(args.seed)
    ensure_database(DATABASE_URL)
    ensure_loaded(args.filings, args.seed)
    plan = prepare(args.live, args.seed)
    plan_path = OUT / "load-plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    in_process = InProcess(plan)
    big = in_process.query_counts()
    from django.db import connections

    connections.close_all()

    base = f"http://127.0.0.1:{args.port}"
    web = start([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
                 f"127.0.0.1:{args.port}", "--workers", str(args.web_workers),
                 "--worker-class", "gthread", "--threads", str(args.web_threads),
                 "--timeout", "60", "--keep-alive", "75"], OUT / "load-gunicorn.log")
    worker = start([sys.executable, "-m", "celery", "-A", "config", "worker", "--pool",
                    "prefork", "--concurrency", "1", "--loglevel", "WARNING"],
                   OUT / "load-worker.log")
    queries_path = OUT / "load-queries.json"
    queries_path.unlink(missing_ok=True)
    try:
        wait_for(f"{base}/health/")
        warm_up(base, in_process, args.web_workers)
        database = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = CpuMeter(groups={"web": web.pid, "worker": worker.pid}, database=database)
        cpu.__enter__()
        machine_before = _machine_cpu()
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "tests/bench/load/locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.duration}s", "--host", base, "--csv", str(OUT / "load"),
             "--only-summary", "--reset-stats", "--loglevel", "WARNING",
             "--stop-timeout", "30"],
            cwd=ROOT, env={**os.environ, "BENCH_LOAD_PLAN": str(plan_path),
                           "BENCH_LOAD_QUERIES": str(queries_path)},
            capture_output=True, text=True)
        cpu.__exit__(None, None, None)
        machine_after = _machine_cpu()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.used["locust"] = ((after.ru_utime + after.ru_stime)
                              - (children.ru_utime + children.ru_stime))
        (OUT / "load-locust.log").write_text(locust.stdout + locust.stderr, encoding="utf-8")
    finally:
        stop(web)
        stop(worker)
    rows = results(OUT / "load_stats.csv")
    served = json.loads(queries_path.read_text()) if queries_path.exists() else {}
    met = report(rows, served)
    requests = sum(int(row["Request Count"]) for row in rows)
    print("# CPU over the whole locust run (the ramp included, so per request slightly "
          "high); PostgreSQL: this database's backends, and backends of any database that "
          "ended meanwhile")
    for side in ("web", "postgresql", "worker", "locust"):
        print(f"cpu_{side}: {cpu.used[side]:.1f} s")
        print(f"cpu_{side}_per_request: {cpu.used[side] / max(requests, 1) * 1000:.1f} ms")
    busy, total = (after - before for after, before in zip(machine_after, machine_before,
                                                            strict=True))
    print(f"cpu_machine_busy: {busy / total * 100:.0f} % of the cores, everything included")
    same = compare_query_counts(small, big) if small else True
    failures = OUT / "load_failures.csv"
    if failures.exists():
        for row in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
            print(f"# failure: {row['Name']}: {row['Error']} x{row['Occurrences']}")
    slowest = sorted((row for row in rows if row["Name"] in in_process.urls
                      and row["Name"] != BASELINE), key=lambda row: -float(row["95%"]))[:3]
    in_process.profile([row["Name"] for row in slowest])
    met = met and same
    print(f"# targets {'met' if met else 'MISSED'}")
    return 0 if met else 1


def compare_query_counts(small: dict[str, list[int]], big: dict[str, list[int]]) -> bool:
    """Queries per request, in this process, on 2,000 filings and on the big database."""
    same = True
    for name in sorted(big):
        slug = _slug(name)
        if name not in small:
            continue
        print(f"{slug}_queries_at_{SMALL}: {max(small[name])} queries")
        print(f"{slug}_queries_at_full_size: {max(big[name])} queries")
        same = same and max(big[name]) <= max(small[name])
    print(f"load_query_counts_grow: {'no' if same else 'YES'}")
    return same


if __name__ == "__main__":
    sys.exit(main())
