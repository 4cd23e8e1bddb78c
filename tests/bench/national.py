"""A seeded generator of national-scale data: company-creation filings at every stage, with
their workflow, documents, payments, and the companies on the register.

    .venv/bin/python -m tests.bench.national [--filings 1000000] [--companies 300000]
        [--seed 2026] [--batch 50000] [--as-of 2026-12-01] [--replace]

The CLI migrates the database named by DATABASE_URL (default guichet_national) and loads it;
it refuses a database that already holds filings unless --replace (dropped, created again).
Benchmarks and tests call generate() on an already-migrated database (procedures and desks
published by the migrations), through django.db.connection.

Rows are made in Python from random.Random(seed) and sent with COPY, a batch of filings
with all their child rows per transaction (ids set explicitly, sequences moved at the end).
Same seed, sizes and as_of => the same data (checksum() compares two loads).

What a filing gets, by stage (STAGE_SHARES, of the filings that are not registered):
- draft: the filing, its people, some documents; no invoice, no case;
- pending_payment: signed (submitted_at), an open invoice, sometimes an expired attempt;
- in_review: paid (invoice, payment), a running case standing at one point of the company
  creation procedure (intake, the automatic checks, the court registry, tax and social
  security, the registrar), its open task ready, claimed or (automatic) failed, about
  half of them overdue; the NIF or employer number once those desks approved;
- correction_requested: a suspended case, the intake's or the registry's task returned;
- rejected: a rejected case (the deciding task rejected, the rest cancelled), fee kept;
- withdrawn: from a draft, from payment (invoice cancelled) or from review (case
  cancelled);
- registered (`companies` of them): a completed case, every task approved, RCCM number
  (per year and letter, in registration order), NIF, employer number (not for an EI), the
  company, its certificate (metadata: stored file and issued document), its public events
  (registration; dissolution, striking off for some).
Every case has its summary (reference, title, applicant, search_text as
workflows.summaries.summary_fields computes it) and its applicant's "start" audit event,
chained (workflows.audit.verify() holds). Company names are unique among registered
companies (normalised with registry.names.normalize, as Company.save() does).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import io
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from random import Random

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guichet_national"

# Shares of the filings that are not registered companies (they add up to 1).
STAGE_SHARES = (("draft", 0.20), ("pending_payment", 0.10), ("in_review", 0.40),
                ("correction_requested", 0.08), ("rejected", 0.10), ("withdrawn", 0.12))
# Where a running case stands (weights), and what a withdrawn filing was withdrawn from.
AT_WEIGHTS = (("intake", 25), ("checks", 10), ("registry", 25), ("identifiers", 25),
              ("registrar", 15))
WITHDRAWN_FROM = (("draft", 50), ("pending_payment", 25), ("in_review", 25))
CLERKS_PER_DESK = 3
LEGAL_FORMS = (("SARL", 45), ("EI", 25), ("SARLU", 15), ("SA", 4), ("SAS", 5), ("SASU", 3),
               ("SNC", 1), ("SCS", 1), ("GIE", 1))
REGIONS = (("maritime", "Lomé", 60), ("plateaux", "Atakpamé", 15), ("centrale", "Sokodé", 8),
           ("kara", "Kara", 10), ("savanes", "Dapaong", 7))
STREETS = ("Rue du Commerce", "Boulevard du 13 Janvier", "Avenue de la Libération",
           "Rue des Cocotiers", "Boulevard de la Kara", "Rue Pelletier Caventou",
           "Avenue Sarakawa", "Rue de l'Entente", "Route d'Atakpamé", "Rue du Grand Marché")
FIRST_NAMES = ("Kossi", "Komi", "Kodjo", "Yao", "Koffi", "Kwami", "Ama", "Akossiwa",
               "Adjoa", "Abla", "Afi", "Essi", "Mawuli", "Sena", "Edem", "Elom", "Kafui",
               "Dela", "Essohana", "Essowè", "Pidalani", "Tchilalo", "Yawa", "Akouvi",
               "Fatima", "Ibrahim", "Moussa", "Aïcha", "Rachida", "Issifou", "Léa", "Jean",
               "Marie", "Paul", "Félicité", "Grâce", "Espérance", "Rodrigue", "Sylvain")
PAYMENT_CHANNELS = (("fedapay", ("mixx", "moov"), 40), ("paygate", ("tmoney", "flooz"), 40),
                    ("counter", ("cash", "bank"), 20))
COMPANY_STATUS = (("active", 95), ("dissolved", 3), ("struck_off", 2))
GAP_HOURS = 6  # between the levels of the procedure, for a case that moved on
LEVEL = {"intake": 0, "name_check": 1, "screening": 1, "registry": 2, "tax": 3,
         "social_security": 3, "registrar": 4}
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- small helpers -------------------------------------------------------------------------


def _weighted(pairs):
    values = [value for value, *_rest in pairs]
    cumulative, total = [], 0
    for pair in pairs:
        total += pair[-1]
        cumulative.append(total)
    return values, cumulative, total


def _pick(rng: Random, table) -> str:
    values, cumulative, total = table
    return values[bisect.bisect_right(cumulative, rng.random() * total)]


def _counts(total: int, shares) -> dict[str, int]:
    """`total` split by shares, largest remainders first: the counts add up exactly."""
    raw = {name: total * share for name, share in shares}
    counts = {name: int(value) for name, value in raw.items()}
    left = total - sum(counts.values())
    for name in sorted(raw, key=lambda name: (counts[name] - raw[name], name))[:left]:
        counts[name] += 1
    return counts


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_ESCAPES)
        return value
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime:
        return value.isoformat()
    if kind is list or kind is dict:
        return _text(json.dumps(value, ensure_ascii=False)) if value else (
            "[]" if kind is list else "{}")
    return _text(str(value))


class Table:
    """Rows of one table, buffered for COPY."""

    def __init__(self, model, columns: tuple[str, ...]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.columns = columns
        known = {field.column: field for field in model._meta.concrete_fields}
        missing = [column for column, field in known.items()
                   if column not in columns and not field.null and not field.primary_key]
        unknown = [column for column in columns if column not in known]
        assert not missing and not unknown, (self.name, missing, unknown)
        self.buffer = io.StringIO()
        self.rows = 0
        self.total = 0

    def add(self, *values) -> None:
        self.buffer.write("\t".join(map(_text, values)))
        self.buffer.write("\n")
        self.rows += 1

    def take(self) -> tuple[str, io.StringIO] | None:
        """The buffered rows as a COPY statement and its data; the buffer starts again."""
        if not self.rows:
            return None
        job = (f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN", self.buffer)
        job[1].seek(0)
        self.total += self.rows
        self.buffer = io.StringIO()
        self.rows = 0
        return job

    def flush(self, cursor) -> None:
        job = self.take()
        if job is not None:
            cursor.copy_expert(*job)


class Copier:
    """COPY of one batch in a thread while the next batch is made: the server works on
    one while Python makes the other (psycopg2 lets go of the GIL while it waits). The
    thread uses the same connection and transaction; the main thread does not touch the
    connection until wait()."""

    def __init__(self, raw_connection) -> None:
        self.raw = raw_connection
        self.thread = None
        self.error: BaseException | None = None
        self.waited = 0.0

    def _run(self, jobs) -> None:
        try:
            with self.raw.cursor() as cursor:
                for job in jobs:
                    cursor.copy_expert(*job)
        except BaseException as error:  # re-raised by wait()
            self.error = error

    def start(self, jobs) -> None:
        import threading

        self.wait()
        self.thread = threading.Thread(target=self._run, args=(jobs,))
        self.thread.start()

    def wait(self) -> None:
        if self.thread is not None:
            started = time.perf_counter()
            self.thread.join()
            self.waited += time.perf_counter() - started
            self.thread = None
        if self.error is not None:
            raise self.error


def _ended_at(step: str, outcome: str) -> dict[str, str]:
    """The task states of a case the intake or the court registry sent back or rejected:
    that step's outcome, every step before it approved."""
    if step == "intake":
        return {"intake": outcome}
    return {"intake": "approved", "name_check": "approved", "screening": "approved",
            step: outcome}


def _code(number: int) -> str:
    """A 12-character verification code, distinct for distinct numbers (a bijection of
    0..32^12-1 by an odd multiplier)."""
    value = (number * 0x9E3779B97F4A7C15 + 0x1234567) % (32 ** 12)
    chars = []
    for _index in range(12):
        value, digit = divmod(value, 32)
        chars.append(CROCKFORD[digit])
    return "".join(chars)


def _ascii(text: str) -> str:
    from workflows.models import search_form

    return "".join(char for char in search_form(text) if char.isalnum())


# --- the world: users --------------------------------------------------------------------


def _staff(log) -> dict:
    """Clerks per desk, a manager, a superuser: as bench_queue's people() made them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workflows.access import MANAGERS_GROUP
    from workflows.models import Desk, DeskMembership

    users = get_user_model().objects
    clerks: dict[str, list] = {}
    for desk in Desk.objects.order_by("code"):
        for n in range(CLERKS_PER_DESK):
            user = users.create_user(email=f"{desk.code}{n}@cfe.example.tg",
                                     first_name="Agent", last_name=f"{desk.code.upper()} {n}")
            DeskMembership.objects.create(desk=desk, user=user, is_supervisor=n == 0)
            clerks.setdefault(desk.code, []).append(user)
    admin = users.create_superuser(email="admin@cfe.example.tg")
    manager = users.create_user(email="gestion@cfe.example.tg")
    manager.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return {"clerks": clerks, "admin": admin, "manager": manager}


def _next_ids(cursor, tables) -> dict[str, int]:
    ids = {}
    for table in tables:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        ids[table] = cursor.fetchone()[0]
    return ids


# --- the generator -----------------------------------------------------------------------


def generate(*, filings: int = 1_000_000, companies: int = 300_000, seed: int = 2026,
             batch: int = 50_000, as_of: datetime | None = None, log=print) -> dict:
    """Load `filings` filings, `companies` of them registered, into the migrated database of
    django.db.connection; return the world the benchmarks need.

    as_of is "now" for the data (open tasks' deadlines around it); default: today 00:00 UTC.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from documents.models import IssuedDocument, StoredFile, SupportingDocument
    from payments.fees import fee_line
    from payments.models import Invoice, Payment, Service
    from registry.legal_forms.rules import RULES
    from registry.models import Application, Company, Party, PublicEvent
    from registry.names import normalize
    from registry.reference import activity_divisions
    from workflows.definitions import applies
    from workflows.models import AuditChainHead, AuditEvent, Case, Desk, Task, search_form
    from workflows.services import latest_definition

    from .bench_names import FAMILIES, family_name, generated_name

    if not 0 <= companies <= filings:
        raise ValueError("companies must be between 0 and filings")
    started = time.perf_counter()
    if as_of is None:
        as_of = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    as_of_ts = as_of.timestamp()
    epoch_ts = EPOCH.timestamp()
    rng = Random(seed)
    with connection.cursor() as cursor:  # staff ids depend on the data only, not on history
        for table in (get_user_model()._meta.db_table, "workflows_deskmembership"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"coalesce(max(id), 0) + 1, false) FROM {table}")
    world = _staff(log)
    clerk_ids = {code: [user.pk for user in users] for code, users in world["clerks"].items()}

    # Stages: `companies` registered, the others by STAGE_SHARES, in a seeded order.
    stage_counts = {"registered": companies, **_counts(filings - companies, STAGE_SHARES)}
    stages = [stage for stage, count in stage_counts.items() for _n in range(count)]
    rng.shuffle(stages)
    # Registrations in time order along the filings' ids: RCCM numbers follow them.
    span = as_of_ts - 86400 - epoch_ts
    registered_times = sorted(epoch_ts + span * (rng.random() ** 0.6) for _n in range(companies))

    definition = latest_definition("company_creation")
    steps = definition.spec["steps"]
    desks = {desk.code: desk.pk for desk in Desk.objects.all()}
    app_type = ContentType.objects.get_for_model(Application).pk
    forms_table = _weighted(LEGAL_FORMS)
    regions_table = _weighted(REGIONS)
    at_table = _weighted(AT_WEIGHTS)
    withdrawn_table = _weighted(WITHDRAWN_FROM)
    channel_table = _weighted([(channel, share) for channel, _m, share in PAYMENT_CHANNELS])
    methods = {channel: means for channel, means, _share in PAYMENT_CHANNELS}
    status_table = _weighted(COMPANY_STATUS)
    steps_of = {form: [(position, step) for position, step in enumerate(steps)
                       if applies(step, {"legal_form": form})] for form in RULES}
    fees = {form: fee_line(Service.COMPANY_CREATION, form) for form in RULES}
    divisions = [item.code for item in activity_divisions()]
    fee_on_end = "refund_due" if settings.PAYMENTS_FEE_ON_END == "refunded" else "kept"
    court, country = settings.REGISTRY_COURT_CODE, settings.REGISTRY_COUNTRY_CODE
    correctable = ("names", "activity", "office", "capital", "people", "documents")

    users = get_user_model()
    tables = {
        "user": Table(users, (
            "id", "password", "last_login", "is_superuser", "first_name", "last_name",
            "is_staff", "is_active", "date_joined", "email", "phone", "preferred_language",
            "notify_by_email", "notify_by_sms", "away_since")),
        "application": Table(Application, (
            "id", "reference", "owner_id", "state", "legal_form", "company_name",
            "alternative_names", "normalized_name", "acronym", "trade_name", "activity_code",
            "business_purpose", "capital", "share_count", "share_nominal", "duration_years",
            "region", "prefecture", "registered_office", "city", "correction_message",
            "correction_fields", "decision_reason", "rccm_number", "nif", "employer_number",
            "created_at", "submitted_at", "decided_at")),
        "party": Table(Party, (
            "id", "application_id", "kind", "roles", "first_name", "last_name", "birth_date",
            "birth_place", "nationality", "id_document_number", "legal_name",
            "registration_number", "representative", "address", "shares",
            "cash_contribution", "in_kind_contribution", "in_kind_description",
            "skills_contribution", "ownership_percent")),
        "case": Table(Case, (
            "id", "definition_id", "subject_type_id", "subject_id", "state", "started_at",
            "ended_at", "reference", "title", "applicant", "search_text")),
        "task": Table(Task, (
            "id", "case_id", "step_id", "title", "position", "kind", "desk_id", "state",
            "assignee_id", "ready_at", "due_at", "decided_at", "escalated_at", "comment",
            "error", "data", "evidence")),
        "audit": Table(AuditEvent, (
            "id", "sequence", "at", "actor_id", "object_type", "object_id", "action",
            "from_state", "to_state", "comment", "case_id", "previous_hash", "hash")),
        "file": Table(StoredFile, (
            "id", "file", "original_name", "content_type", "size", "sha256", "created_at",
            "erased_at", "erasure_reason")),
        "document": Table(SupportingDocument, (
            "id", "subject_type_id", "subject_id", "requirement", "stored_file_id", "version",
            "replaces_id", "uploaded_by_id", "uploaded_at", "is_current")),
        "invoice": Table(Invoice, (
            "id", "number", "subject_type_id", "subject_id", "payer_id", "service",
            "legal_form", "description", "subject_reference", "subject_title", "amount",
            "currency", "fee_id", "state", "issued_at", "settled_at", "waived_by_id",
            "waiver_reason", "fee_outcome")),
        "payment": Table(Payment, (
            "id", "reference", "invoice_id", "channel", "method", "amount", "currency",
            "state", "provider_reference", "redirect_url", "phone_number", "initiated_by_id",
            "counter_reference", "created_at", "settled_at", "failure_reason", "receipt_id",
            "closing_id")),
        "issued": Table(IssuedDocument, (
            "id", "kind", "verification_code", "stored_file_id", "sealed", "public_facts",
            "issued_at", "revoked_at", "revocation_reason", "public_reason",
            "revoked_by_id")),
        "company": Table(Company, (
            "id", "application_id", "name", "normalized_name", "legal_form", "rccm_number",
            "capital", "registered_office", "nif", "employer_number", "registered_at",
            "region", "city", "activity_code", "status", "certificate_id")),
        "event": Table(PublicEvent, ("id", "company_id", "kind", "occurred_at", "summary")),
    }
    with connection.cursor() as cursor:
        ids = _next_ids(cursor, [table.name for table in tables.values()])
        cursor.execute("SELECT year, last_number FROM payments_invoicesequence")
        invoice_numbers = dict(cursor.fetchall())
        cursor.execute("SELECT court || year || letter, last_number FROM registry_rccmsequence")
        rccm_numbers = dict(cursor.fetchall())
    head = AuditChainHead.objects.filter(pk=1).first()
    chain = [head.last_sequence if head else 0, head.last_hash if head else "0" * 64]
    next_id = {key: ids[table.name] for key, table in tables.items()}

    def new_id(key: str) -> int:
        value = next_id[key]
        next_id[key] += 1
        return value

    def at(ts: float) -> datetime:
        return datetime.fromtimestamp(int(ts), UTC)

    # Applicants: a quarter as many people as filings (some file several).
    owner_count = max(50, filings // 4)
    owners = []
    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(owner_count):
            first, last = rng.choice(FIRST_NAMES), family_name(rng)
            uid = new_id("user")
            email = f"{_ascii(first)}.{_ascii(last)}.{n}@example.tg"
            joined = at(epoch_ts + rng.random() * (as_of_ts - epoch_ts))
            tables["user"].add(uid, "!generated-national-data", None, False, first,
                               last.upper(), False, True, joined, email,
                               f"+228 9{rng.randrange(10_000_000):07d}", "fr", True, False,
                               None)
            owners.append((uid, f"{first} {last.upper()}", email))
            if tables["user"].rows >= batch:
                tables["user"].flush(cursor.cursor)
        tables["user"].flush(cursor.cursor)
    world["owners"] = [uid for uid, _name, _email in owners]

    taken_names: set[str] = set()
    registered_index = 0

    def timed_task_row(case_id, position, step, state, ready, decided, assignee, comment=""):
        sla = step.get("sla_hours", 8)
        ready_at = None if ready is None else at(ready)
        due_at = None if ready is None else at(ready + sla * 3600)
        tables["task"].add(new_id("task"), case_id, step["id"], step.get("title", step["id"]),
                           position, step.get("kind", "manual"), desks[step["desk"]], state,
                           assignee, ready_at, due_at, None if decided is None else at(decided),
                           None, comment, "", {}, [])

    def add_tasks(case_id, form, start, plan: dict[str, str], open_ready: float | None):
        """Tasks of a case: `plan` gives each step's state (missing: waiting). Decided steps
        are timed from `start` level by level; the open ones are ready since open_ready."""
        for position, step in steps_of[form]:
            state = plan.get(step["id"], "waiting")
            level = LEVEL.get(step["id"], position)
            desk_clerks = clerk_ids[step["desk"]]
            manual = step.get("kind", "manual") == "manual"
            if state == "waiting":
                timed_task_row(case_id, position, step, state, None, None, None)
            elif state in ("approved", "returned", "rejected"):
                ready = start + level * GAP_HOURS * 3600
                decided = ready + rng.uniform(0.1, GAP_HOURS - 0.1) * 3600
                assignee = rng.choice(desk_clerks) if manual or state != "approved" else None
                comment = {"returned": "Pièce illisible : merci de la déposer à nouveau.",
                           "rejected": "Dossier incomplet après relance."}.get(state, "")
                timed_task_row(case_id, position, step, state, ready, decided, assignee,
                               comment)
            elif state == "cancelled":
                ready = start + level * GAP_HOURS * 3600 if level <= plan["_level"] else None
                timed_task_row(case_id, position, step, state, ready, plan["_ended"], None)
            else:  # open: ready, claimed, failed, running
                ready = open_ready if open_ready is not None else start
                assignee = rng.choice(desk_clerks) if state == "claimed" else None
                timed_task_row(case_id, position, step, state, ready, None, assignee)

    def open_state(step_id: str) -> str:
        if step_id in ("name_check", "screening"):
            return "failed" if rng.random() < 0.7 else ("claimed" if rng.random() < 0.3
                                                       else "ready")
        return "claimed" if rng.random() < 0.15 else "ready"

    def running_plan(form: str) -> tuple[dict[str, str], str]:
        where = _pick(rng, at_table)
        plan: dict[str, str] = {}
        order = ["intake", "checks", "registry", "identifiers", "registrar"]
        for point in order[:order.index(where)]:
            for step_id in {"checks": ("name_check", "screening"),
                            "identifiers": ("tax", "social_security")}.get(point, (point,)):
                plan[step_id] = "approved"
        if where == "checks":
            failing = rng.choice(("name_check", "screening"))
            plan[failing] = open_state(failing)
            other = "screening" if failing == "name_check" else "name_check"
            plan[other] = "approved" if rng.random() < 0.8 else "running"
        elif where == "identifiers":
            present = [step["id"] for _p, step in steps_of[form]
                       if step["id"] in ("tax", "social_security")]
            states = {step_id: rng.choice(("approved", "open")) for step_id in present}
            if all(state == "approved" for state in states.values()):
                states[rng.choice(present)] = "open"
            for step_id, state in states.items():
                plan[step_id] = open_state(step_id) if state == "open" else "approved"
        else:
            plan[where] = open_state(where)
        return plan, where

    def documents(app_id, form, owner_id, manager_ids, uploaded_ts, complete: bool):
        requirements = list(RULES[form].documents)
        for pid in manager_ids:
            requirements += [f"piece_identite:{pid}", f"declaration_non_interdiction:{pid}"]
        if not complete:
            requirements = requirements[:rng.randrange(len(requirements) + 1)]
        for requirement in requirements:
            fid = new_id("file")
            when = at(uploaded_ts - rng.uniform(0, 5 * 86400))
            filename = requirement.split(":")[0] + ".pdf"
            tables["file"].add(fid, f"documents/{when:%Y/%m}/{rng.getrandbits(128):032x}/"
                               f"{filename}", filename, "application/pdf",
                               rng.randrange(40_000, 3_000_000), f"{rng.getrandbits(256):064x}",
                               when, None, "")
            tables["document"].add(new_id("document"), app_type, app_id, requirement, fid, 1,
                                   None, owner_id, when, True)

    def bill(app_id, form, reference, name, owner_id, issued_ts, state, paid_ts=None,
             fee_outcome="", expired_attempt=False):
        year = at(issued_ts).year
        invoice_numbers[year] = invoice_numbers.get(year, 0) + 1
        line = fees[form]
        invoice_id = new_id("invoice")
        tables["invoice"].add(
            invoice_id, f"FAC-{year}-{invoice_numbers[year]:07d}", app_type, app_id, owner_id,
            "company_creation", form, f"Frais de création d'entreprise ({form})", reference,
            name[:200], line.amount, "XOF", line.pk, state, at(issued_ts),
            None if paid_ts is None else at(paid_ts), None, "", fee_outcome)
        attempts = []
        if expired_attempt or (paid_ts is not None and rng.random() < 0.1):
            attempts.append("expired" if rng.random() < 0.5 else "declined")
        if paid_ts is not None:
            attempts.append("succeeded")
        end = paid_ts if paid_ts is not None else issued_ts + 3600
        for number, outcome in enumerate(attempts):
            channel = _pick(rng, channel_table)
            created = (issued_ts + (end - issued_ts) * (number + 0.5) / len(attempts)
                       if outcome != "succeeded" else end - 60)
            online = channel != "counter"
            pid = new_id("payment")
            tables["payment"].add(
                pid, f"PAY-{at(created):%y%m%d}-{(pid * 0x9E3779B1) % 2**40:010X}",
                invoice_id, channel, rng.choice(methods[channel]), line.amount, "XOF",
                outcome, f"{channel[:2].upper()}{rng.getrandbits(48):012d}" if online else "",
                f"https://pay.example.tg/{channel}/{rng.getrandbits(64):016x}" if online else "",
                f"9{rng.randrange(10_000_000):07d}" if online else "",
                owner_id if online else clerk_ids["guichet"][0],
                "" if online else f"BORD-{rng.randrange(1_000_000):06d}", at(created),
                at(created + 60) if outcome == "succeeded" else at(created + 1800),
                {"expired": "Délai de paiement dépassé",
                 "declined": "Refusé par l'opérateur"}.get(outcome, ""), None, None)

    def start_event(case_id, owner_id, started_ts):
        chain[0] += 1
        when = at(started_ts)
        parts = [chain[0], when.isoformat(), owner_id, "workflows.case", str(case_id), "start",
                 "", "running", "", case_id, chain[1]]
        digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
                                .encode("utf-8")).hexdigest()
        tables["audit"].add(new_id("audit"), chain[0], when, owner_id, "workflows.case",
                            str(case_id), "start", "", "running", "", case_id, chain[1],
                            digest)
        chain[1] = digest

    def one_filing(stage: str) -> None:
        nonlocal registered_index
        app_id = new_id("application")
        owner_id, applicant, email = owners[rng.randrange(len(owners))]
        form = _pick(rng, forms_table)
        region = _pick(rng, regions_table)
        city = next(city for code, city, _share in REGIONS if code == region)
        if stage == "registered":
            while True:
                name = generated_name(rng)
                normalized = normalize(name)
                if normalized and normalized not in taken_names:
                    taken_names.add(normalized)
                    break
        else:
            name = generated_name(rng)
            normalized = normalize(name)
        origin = _pick(rng, withdrawn_table) if stage == "withdrawn" else stage
        # The filing's clock: registrations in order; open ones recent; others any time.
        if stage == "registered":
            ended = registered_times[registered_index]
            registered_index += 1
            case_start = ended - 5 * GAP_HOURS * 3600
        elif origin in ("in_review", "correction_requested"):
            case_start = as_of_ts - rng.uniform(1, 60) * 86400
        elif stage in ("rejected", "withdrawn"):
            case_start = epoch_ts + rng.random() * (as_of_ts - 90 * 86400 - epoch_ts)
        else:
            case_start = as_of_ts - rng.uniform(0.1, 30) * 86400
        paid = case_start
        submitted = paid - rng.uniform(0.05, 3) * 86400
        created = submitted - rng.uniform(0.2, 20) * 86400
        reference = f"CFE-{at(created).year}-{app_id:06d}"
        capital = None if form == "EI" else rng.choice((100_000, 500_000, 1_000_000,
                                                        5_000_000, 10_000_000))
        if form in ("SA", "SAS", "SASU") and capital is not None:
            capital = max(capital, 10_000_000)
        activity = f"{rng.choice(divisions)}{rng.randrange(10, 100)}"
        office = f"{rng.randrange(1, 400)} {rng.choice(STREETS)}"
        plan: dict[str, str] = {}
        case_state = None
        ended_ts = None
        open_ready = None
        app_state = stage
        decided_ts = None
        correction = ("", [])
        reason = ""
        if stage == "registered":
            case_state = "completed"
            plan = {step["id"]: "approved" for _p, step in steps_of[form]}
            ended_ts = decided_ts = ended
        elif origin == "in_review" and stage == "in_review":
            case_state = "running"
            plan, where = running_plan(form)
            sla = next(step.get("sla_hours", 8) for step in steps if step["id"] == (
                "tax" if where == "identifiers" else "name_check" if where == "checks"
                else where))
            open_ready = as_of_ts - rng.uniform(0, 2 * sla) * 3600
            case_start = open_ready - {"intake": 0, "checks": 1, "registry": 2,
                                       "identifiers": 3, "registrar": 4}[where] * GAP_HOURS * 3600
        elif stage == "correction_requested":
            case_state = "suspended"
            returning = "intake" if rng.random() < 0.6 else "registry"
            plan = _ended_at(returning, "returned")
            section = rng.choice(correctable)
            correction = ("Merci de corriger la section indiquée et de déposer les pièces "
                          "demandées.", [section])
        elif stage == "rejected":
            case_state = "rejected"
            rejecting = "intake" if rng.random() < 0.5 else "registry"
            plan = _ended_at(rejecting, "rejected")
            level = LEVEL[rejecting]
            ended_ts = decided_ts = (case_start + level * GAP_HOURS * 3600
                                     + rng.uniform(0.1, GAP_HOURS - 0.1) * 3600)
            reason = "Dossier incomplet après relance."
        elif stage == "withdrawn" and origin == "in_review":
            case_state = "cancelled"
            level = rng.choice((0, 2))
            plan = {step_id: "approved" for step_id, lv in LEVEL.items() if lv < level}
            ended_ts = decided_ts = case_start + (level + 0.5) * GAP_HOURS * 3600
        elif stage == "withdrawn":
            decided_ts = (submitted if origin == "pending_payment" else created) + 86400
        if case_state in ("rejected", "cancelled"):
            plan["_ended"] = ended_ts
            plan["_level"] = level
            for _p, step in steps_of[form]:
                if step["id"] not in plan:
                    plan[step["id"]] = "cancelled"
        rccm = nif = employer = ""
        if stage == "registered" or plan.get("tax") == "approved":
            nif = f"{(app_id * 7919) % 10**9 + 10**9}"
        if form != "EI" and (stage == "registered"
                             or plan.get("social_security") == "approved"):
            employer = f"{(app_id * 104729) % 10**8 + 10**8}"
        if stage == "registered":
            year = at(ended_ts).year
            letter = RULES[form].rccm_letter
            key = f"{court}{year}{letter}"
            rccm_numbers[key] = rccm_numbers.get(key, 0) + 1
            rccm = f"{country}-{court}-{year}-{letter}-{rccm_numbers[key]:05d}"
        signed = stage != "draft" and origin != "draft"
        tables["application"].add(
            app_id, reference, owner_id, app_state, form, name, [], normalized, "", "",
            activity, f"{name} : {activity} et toutes opérations connexes.", capital,
            None if capital is None else capital // 10_000,
            None if capital is None else 10_000, 99, region, "", office, city,
            correction[0], correction[1], reason, rccm or None, nif, employer, at(created),
            at(submitted) if signed else None,
            None if decided_ts is None else at(decided_ts))
        # People: the manager (the trader for an EI), sometimes a partner.
        roles = {"EI": ["trader"], "SA": ["president", "partner"],
                 "SAS": ["president", "partner"], "SASU": ["president", "partner"],
                 "SCS": ["manager", "general_partner"]}.get(form, ["manager", "partner"])
        people = [roles]
        if form not in ("EI", "SARLU", "SASU") and rng.random() < 0.5:
            people.append(["limited_partner"] if form == "SCS" else ["partner"])
        manager_ids = []
        for index, person_roles in enumerate(people):
            pid = new_id("party")
            last = rng.choice(FAMILIES) if index == 0 and rng.random() < 0.5 else family_name(rng)
            born = EPOCH.date() - timedelta(days=rng.randrange(20 * 365, 65 * 365))
            tables["party"].add(
                pid, app_id, "natural", person_roles, rng.choice(FIRST_NAMES), last,
                born, rng.choice(("Lomé", "Kara", "Sokodé", "Kpalimé", "Atakpamé", "Aného")),
                "Togolaise", f"TG{rng.randrange(10**9):09d}", "", "", "", f"{office}, {city}",
                0 if capital is None else capital // 10_000 // len(people),
                0 if capital is None else capital // len(people), 0, "", False,
                None if capital is None else f"{100 / len(people):.2f}")
            if index == 0:
                manager_ids.append(pid)
        documents(app_id, form, owner_id, manager_ids, submitted if signed else as_of_ts,
                  complete=signed)
        # The fee: billed when signed, paid when the desks start.
        if signed:
            if case_state is None:  # still to pay, or withdrawn before paying
                bill(app_id, form, reference, name, owner_id, submitted,
                     "open" if stage == "pending_payment" else "cancelled",
                     expired_attempt=rng.random() < 0.3)
            else:
                ended_early = case_state in ("rejected", "cancelled")
                bill(app_id, form, reference, name, owner_id, submitted, "paid", paid,
                     fee_on_end if ended_early else "")
        if case_state is None:
            return
        case_id = new_id("case")
        identifiers = [value for value in (rccm, nif, employer, email) if value]
        tables["case"].add(
            case_id, definition.pk, app_type, app_id, case_state, at(case_start),
            None if ended_ts is None else at(ended_ts), reference[:40], name[:200],
            applicant[:200], search_form(" ".join([reference[:40], name[:200], applicant[:200],
                                                   *identifiers])))
        start_event(case_id, owner_id, case_start)
        add_tasks(case_id, form, case_start, plan, open_ready)
        if stage != "registered":
            return
        # The register: the company, its certificate, its public events.
        fid = new_id("file")
        issued = ended_ts + rng.uniform(60, 3600)
        tables["file"].add(fid, f"documents/{at(issued):%Y/%m}/{rng.getrandbits(128):032x}/"
                           f"certificat-{rccm}.pdf", f"certificat-{rccm}.pdf", "application/pdf",
                           rng.randrange(60_000, 200_000), f"{rng.getrandbits(256):064x}",
                           at(issued), None, "")
        issued_id = new_id("issued")
        tables["issued"].add(
            issued_id, "certificate", _code(issued_id), fid, True,
            {"company_name": name, "legal_form": form, "rccm_number": rccm,
             "registered_office": f"{office}, {city}", "registered_on": f"{at(ended_ts):%Y-%m-%d}"},
            at(issued), None, "", "", None)
        company_id = new_id("company")
        status = _pick(rng, status_table)
        tables["company"].add(company_id, app_id, name, normalized, form, rccm, capital,
                              f"{office}, {city}", nif, employer, at(ended_ts), region, city,
                              activity, status, issued_id)
        tables["event"].add(new_id("event"), company_id, "registered", at(ended_ts), "")
        if status != "active":
            later = ended_ts + rng.uniform(0.2, 0.9) * (as_of_ts - ended_ts)
            tables["event"].add(new_id("event"), company_id, "dissolved", at(later),
                                "Dissolution anticipée décidée par les associés.")
            if status == "struck_off":
                tables["event"].add(new_id("event"), company_id, "struck_off",
                                    at(later + (as_of_ts - later) / 2),
                                    "Radiation après clôture de la liquidation.")

    order = ("application", "party", "file", "document", "invoice", "payment", "case", "audit",
             "task", "issued", "company", "event")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
            if superuser:
                # The rows are consistent by construction: no foreign-key trigger per row
                # (unique and check constraints still hold, they are indexes and checks).
                cursor.execute("SET LOCAL session_replication_role = replica")
        connection.ensure_connection()
        copier = Copier(connection.connection)
        try:
            for first in range(0, filings, batch):
                batch_started = time.perf_counter()
                for stage in stages[first:first + batch]:
                    one_filing(stage)
                made = time.perf_counter() - batch_started
                jobs = [job for job in (tables[key].take() for key in order) if job]
                copier.start(jobs)
                log(f"# filings {first + 1}..{min(first + batch, filings)}: made in "
                    f"{made:.1f} s, waited for the previous COPY "
                    f"{time.perf_counter() - batch_started - made:.1f} s")
        finally:
            copier.wait()
        if superuser:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables.values():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                           f"greatest((SELECT max(id) FROM {table.name}), 1))")
        for year, last in invoice_numbers.items():
            cursor.execute("INSERT INTO payments_invoicesequence (year, last_number) "
                           "VALUES (%s, %s) ON CONFLICT (year) DO UPDATE SET "
                           "last_number = EXCLUDED.last_number", [year, last])
        for key, last in rccm_numbers.items():
            year, letter = int(key[len(court):len(court) + 4]), key[-1]
            cursor.execute("UPDATE registry_rccmsequence SET last_number = %s WHERE court = %s "
                           "AND year = %s AND letter = %s", [last, court, year, letter])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO registry_rccmsequence (court, year, letter, "
                               "last_number) VALUES (%s, %s, %s, %s)",
                               [court, year, letter, last])
        AuditChainHead.objects.update_or_create(
            pk=1, defaults={"last_sequence": chain[0], "last_hash": chain[1]})
    finish(log)
    world.update({
        "seed": seed, "as_of": as_of, "definition": definition,
        "stages": stage_counts,
        "rows": {table.name: table.total for table in tables.values()},
        "seconds": time.perf_counter() - started,
    })
    return world


def finish(log=print) -> None:
    """Count the names' words (the name check's vocabulary), then VACUUM (ANALYZE) the
    whole database, as autovacuum keeps a database in service.

    A bulk load leaves every row without its hint bits and the tables without a visibility
    map (index-only scans then read the heap), the GIN indexes with their pending lists
    (which every search would scan), and no statistics. Autovacuum would mend all this
    over the next hours (and is off on some machines, this benchmark's included): the
    first load test would measure a database no service ever runs on. Inside a
    transaction (a test's), where VACUUM cannot run, ANALYZE only."""
    from django.db import connection

    from registry.vocabulary import refresh_vocabulary

    refresh_vocabulary()  # as the nightly task does: the name check's word counts
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
            return
        cursor.execute("VACUUM (ANALYZE)")
    log(f"# vacuumed and analysed in {time.perf_counter() - started:.1f} s")


CHECKSUM_SQL = {
    "registry_application": "id, reference, owner_id, state, legal_form, company_name, "
                            "normalized_name, rccm_number, nif, employer_number, created_at, "
                            "submitted_at, decided_at",
    "workflows_case": "id, subject_id, state, started_at, ended_at, search_text",
    "workflows_task": "id, case_id, step_id, state, assignee_id, ready_at, due_at, decided_at",
    "workflows_auditevent": "id, sequence, hash",
    "registry_company": "id, application_id, name, rccm_number, status, registered_at",
    "payments_invoice": "id, number, state, amount, fee_outcome",
    "payments_payment": "id, reference, state, channel",
    "documents_supportingdocument": "id, subject_id, requirement",
    "documents_storedfile": "id, file, sha256",
    "registry_publicevent": "id, company_id, kind, occurred_at",
}


def checksum() -> str:
    """One md5 over the generated rows of the main tables (ids included), ordered by id."""
    from django.db import connection

    parts = []
    with connection.cursor() as cursor:
        for table, columns in CHECKSUM_SQL.items():
            cursor.execute(f"SELECT md5(coalesce(string_agg(concat_ws('|', {columns}), ',' "
                           f"ORDER BY id), '')) FROM {table}")
            parts.append(cursor.fetchone()[0])
    return hashlib.md5("".join(parts).encode()).hexdigest()


# --- the command line --------------------------------------------------------------------


def _server_url(url: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the database `url` names if it is missing; with `fresh`, drop it first."""
    from urllib.parse import urlsplit

    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    server = psycopg2.connect(_server_url(url, "postgres"))
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            if fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        server.close()


def _holds_filings(url: str) -> bool:
    import psycopg2

    try:
        database = psycopg2.connect(url)
    except psycopg2.Error:  # not created yet
        return False
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT to_regclass('registry_application') IS NOT NULL "
                           "AND EXISTS (SELECT 1 FROM registry_application)")
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return False
    finally:
        database.close()


def _prepare_database(url: str, *, replace: bool) -> None:
    """Create the database if missing; refuse one with filings unless `replace`."""
    if not replace and _holds_filings(url):
        name = url.rsplit("/", 1)[1]
        raise SystemExit(f"database {name} already holds filings: pass --replace "
                         "to drop it and load it again")
    ensure_database(url, fresh=replace)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--as-of", default="", help="the data's today, YYYY-MM-DD (UTC); "
                        "default: today")
    parser.add_argument("--replace", action="store_true",
                        help="drop and load again a database that already holds filings")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
    _prepare_database(os.environ["DATABASE_URL"], replace=args.replace)

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - started
    as_of = (datetime.strptime(args.as_of, "%Y-%m-%d").replace(tzinfo=UTC)
             if args.as_of else None)
    world = generate(filings=args.filings, companies=args.companies, seed=args.seed,
                     batch=args.batch, as_of=as_of,
                     log=lambda line: print(line, flush=True))
    print(f"# database: {os.environ['DATABASE_URL']}, as of {world['as_of']:%Y-%m-%d}, "
          f"seed {args.seed}")
    print(f"migrate_seconds: {migrated:.1f} s")
    print(f"generate_seconds: {world['seconds']:.1f} s")
    for stage, count in world["stages"].items():
        print(f"stage_{stage}: {count} filings")
    for table, count in world["rows"].items():
        print(f"rows_{table}: {count} rows")
    print(f"checksum: {checksum()} md5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
