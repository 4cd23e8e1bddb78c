"""Who uses the service, and how, for the national load test (run by bench_load.py).

Four kinds of people and a baseline, 200 users in all, each with a think time between
requests as people have (partners' programs wait less):
- the public (90): register search by word and by name, company pages, a certificate's
  verification page by its code;
- entrepreneurs (60), signed in: their filings, one filing's status page, its documents
  page; saving the activity section; uploading a document;
- clerks (30), signed in with a second factor: the desk's queue, a task's page, claiming a
  task of a live filing and approving it (the worker then runs the automatic checks);
- partners' programs (14): the API's company list, a company, the registrations feed;
- the baseline (6): a bare view rendering one company found by primary key.

Requests are named by kind, not by URL, so the figures group as "public: search" or
"clerk: approve". Every request goes as through the reverse proxy production has
(X-Forwarded-Proto: https, each user's own X-Forwarded-For address), so rate limits count
per person as they do in service. Sessions and CSRF secrets are prepared by bench_load.py
and read from the plan file named by BENCH_LOAD_PLAN.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task

from tests.bench.common import step_data

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text(encoding="utf-8"))
QUERIES: dict[str, list[int]] = defaultdict(list)
_addresses = itertools.count(1)
_entrepreneurs = itertools.cycle(PLAN["entrepreneurs"])
_clerks = itertools.cycle(PLAN["clerks"])
_partners = itertools.cycle(PLAN["partners"])
TASK_LINK = re.compile(r"/guichet/taches/(\d+)/")


@events.request.add_listener
def _count_queries(name, response, exception, **kwargs):
    if exception is None and response is not None:
        count = response.headers.get("X-Queries")
        if count is not None:
            QUERIES[name].append(int(count))


@events.quitting.add_listener
def _write_query_counts(environment, **kwargs):
    path = os.environ.get("BENCH_LOAD_QUERIES")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(QUERIES, out)


class Person(HttpUser):
    abstract = True
    wait_time = between(3, 12)
    session_key = ""
    csrf = ""

    def on_start(self):
        number = next(_addresses)
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"

    def headers(self, **extra) -> dict:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address,
                   "Accept-Language": "fr"}
        cookies = []
        if self.session_key:
            cookies.append(f"sessionid={self.session_key}")
        if self.csrf:
            cookies.append(f"csrftoken={self.csrf}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        headers.update(extra)
        return headers

    def get(self, url: str, name: str, expect=(200,), **kwargs):
        with self.client.get(url, name=name, headers=self.headers(), allow_redirects=False,
                             catch_response=True, **kwargs) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} on {url}")
            return response

    def post(self, url: str, name: str, data: dict, files=None, expect=(302,)):
        referer = f"https://{self.host.split('://', 1)[1]}{url}"
        with self.client.post(url, name=name, data={"csrfmiddlewaretoken": self.csrf, **data},
                              files=files, headers=self.headers(Referer=referer),
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} on {url}")
            elif "/comptes/login" in response.headers.get("Location", ""):
                response.failure(f"signed out on {url}")
            return response


class Public(Person):
    fixed_count = 90

    @task(4)
    def search_word(self):
        self.get("/registre/", "public: search by word",
                 params={"q": random.choice(PLAN["public"]["words"])})

    @task(3)
    def search_name(self):
        name = random.choice(PLAN["public"]["names"])
        self.get("/registre/", "public: search by name", params={"q": name})

    @task(4)
    def company(self):
        self.get(f"/registre/{random.choice(PLAN['public']['rccm'])}/", "public: company page")

    @task(1)
    def verify(self):
        self.get(f"/verifier/{random.choice(PLAN['public']['codes'])}/",
                 "public: verify a certificate")


class Entrepreneur(Person):
    fixed_count = 60

    def on_start(self):
        super().on_start()
        me = next(_entrepreneurs)
        self.session_key, self.csrf = me["session"], me["csrf"]
        self.reference, self.requirement = me["reference"], me["requirement"]

    @task(3)
    def my_filings(self):
        self.get("/dossiers/", "entrepreneur: my filings")

    @task(4)
    def status(self):
        self.get(f"/dossiers/{self.reference}/", "entrepreneur: filing status")

    @task(2)
    def documents(self):
        self.get(f"/dossiers/{self.reference}/pieces/", "entrepreneur: documents page")

    @task(2)
    def save_section(self):
        activity = random.choice(PLAN["activities"])
        self.post(f"/dossiers/{self.reference}/partie/activity/", "entrepreneur: save a section",
                  {"activity_code": activity,
                   "business_purpose": f"Activités de la division {activity} et toutes "
                                       "opérations s'y rattachant."})

    @task(1)
    def upload(self):
        self.post(f"/dossiers/{self.reference}/pieces/", "entrepreneur: upload a document",
                  {"requirement": self.requirement},
                  files={"file": ("piece.pdf", PLAN_PDF, "application/pdf")})


class Clerk(Person):
    fixed_count = 30

    def on_start(self):
        super().on_start()
        me = next(_clerks)
        self.session_key, self.csrf, self.desk = me["session"], me["csrf"], me["desk"]

    @task(3)
    def queue(self):
        self.get("/guichet/", "clerk: queue")

    @task(2)
    def decide(self):
        """The queue, a live filing's task open at this desk, its page, claim, approve."""
        response = self.get("/guichet/", "clerk: queue")
        task_id = self.live_task()
        if task_id is None:  # every live filing of this desk decided: read another task
            listed = TASK_LINK.findall(response.text or "")
            if listed:
                self.get(f"/guichet/taches/{random.choice(listed)}/", "clerk: task page")
            return
        task_id, step_id, case_id = task_id
        self.get(f"/guichet/taches/{task_id}/", "clerk: task page")
        self.post(f"/guichet/taches/{task_id}/claim/", "clerk: claim", {})
        self.post(f"/guichet/taches/{task_id}/approve/", "clerk: approve",
                  {"confirm": "1", **_identifier(step_id, case_id)})

    def live_task(self):
        return _next_live_task(self.desk)


class Partner(Person):
    fixed_count = 14
    wait_time = between(1, 4)

    def on_start(self):
        super().on_start()
        self.token = next(_partners)["token"]

    def headers(self, **extra) -> dict:
        return super().headers(Authorization=f"Bearer {self.token}", **extra)

    @task(2)
    def companies(self):
        self.get("/api/v1/companies/", "partner: company list",
                 params={"q": random.choice(PLAN["public"]["words"])})

    @task(3)
    def company(self):
        self.get(f"/api/v1/companies/{random.choice(PLAN['public']['rccm'])}/",
                 "partner: a company")

    @task(1)
    def registrations(self):
        self.get("/api/v1/registrations/", "partner: registrations feed")


class Baseline(Person):
    fixed_count = 6

    @task
    def bare_view(self):
        self.get(f"/bench/baseline/{random.choice(PLAN['baseline_ids'])}/",
                 "baseline: bare view, one indexed query")


# --- what the harness reads for the clerks (not timed: the queue page is) -----------------

PLAN_PDF = Path(PLAN["pdf"]).read_bytes()
_database = None


def _identifier(step_id: str, case_id: int) -> dict:
    """What the tax and social-security desks type in (the benchmarks' step_data), as the
    decision form's fields."""
    return {f"data_{name}": value
            for name, value in (step_data(step_id, case_id) or {}).items()}


def _next_live_task(desk: str):
    """A task of a live filing (prepared through the services) open at the desk, as the
    clerk would pick it from the queue; generated filings are read, never decided."""
    global _database
    import psycopg2

    if _database is None:
        _database = psycopg2.connect(PLAN["database_url"])
        _database.autocommit = True
    with _database.cursor() as cursor:
        cursor.execute(
            "SELECT t.id, t.step_id, t.case_id FROM workflows_task t "
            "JOIN workflows_desk d ON d.id = t.desk_id "
            "WHERE t.case_id = ANY(%s) AND d.code = %s AND t.state = 'ready' "
            "AND t.kind = 'manual' ORDER BY random() LIMIT 1",
            [PLAN["live_cases"], desk])
        return cursor.fetchone()
