"""Faults against real processes, on PostgreSQL and Redis: a broker that stops while a clerk
decides, a worker killed while issuing certificates, a certificate that keeps failing until
an operator fixes its cause, and fifty registrars approving at once.

The broker of the first two tests is a private redis-server on a free port (tests/
integration/faults.py), so stopping it never touches the machine's shared Redis.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from celery.contrib.testing.worker import start_worker
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from documents.models import DocumentKind, IssuedDocument, StoredFile
from documents.storage import sweep_unrecorded
from outbox import services as outbox
from outbox.models import Message, MessageState
from registry import tasks as registry_tasks
from registry.identifiers import format_rccm
from registry.models import Application, ApplicationState, Company, RccmSequence
from workflows import services as engine
from workflows.models import AuditEvent, Task, TaskState

from ..conftest import PASSWORD
from ..journeys import log_in_with_totp
from ..registry.procedure.helpers import (
    advance_until,
    case_of,
    claim_and_approve,
    states,
    task_of,
)
from .conftest import needs_postgresql_and_broker, wait_for
from .faults import (
    PrivateRedis,
    at_registrar_step,
    group_is_gone,
    kill_worker,
    publishing_to,
    start_worker_process,
    wait_until,
)

pytestmark = [pytest.mark.integration, needs_postgresql_and_broker]

RUN_STEP = "workflows.tasks.run_automatic_step"
ISSUE_CERTIFICATE = "registry.tasks.issue_certificate"
VISIBILITY_TIMEOUT = 5  # seconds, for the killed worker's messages to come back quickly


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def worker_log(tmp_path):
    """Where the worker subprocesses write (quoted in the timeout messages)."""
    log = tmp_path / "worker.log"
    log.touch()
    return log


def _pdf_files(media_root: Path) -> list[Path]:
    return sorted(path for path in media_root.rglob("*.pdf") if path.is_file())


# --- 1. the broker stops while a clerk approves ----------------------------------------------


def test_a_broker_down_while_a_clerk_approves_delays_the_checks_until_it_is_back(
    transactional_db, submitted, clerks, private_redis, worker_log
):
    case = case_of(submitted)
    assert states(case)["intake"] == TaskState.READY
    clerk = Client()
    log_in_with_totp(clerk, clerks["guichet"])
    intake = task_of(case, "intake")
    assert clerk.post(reverse("workflows:task_action",
                              args=[intake.pk, "claim"])).status_code == 302

    worker = start_worker_process(broker_url=private_redis.url, log=worker_log)
    try:
        with publishing_to(private_redis.url):
            private_redis.kill()  # the broker goes down just before the decision

            started = time.monotonic()
            response = clerk.post(reverse("workflows:task_action", args=[intake.pk, "approve"]),
                                  {"confirm": "1", "comment": "Dossier complet."})
            took = time.monotonic() - started
            # The page answered normally: the decision is saved, nothing failed for the clerk.
            assert response.status_code == 302
            assert response["Location"] == reverse("workflows:queue")
            assert took < 20, f"the approval waited {took:.1f} s on the missing broker"
            assert states(case)["intake"] == TaskState.APPROVED
            checks = Message.objects.filter(task_name=RUN_STEP)
            assert checks.count() == 2  # name_check and screening, recorded with the decision
            assert {m.args[0] for m in checks} == {
                task_of(case, "name_check").pk, task_of(case, "screening").pk}
            assert all(m.state == MessageState.PENDING and m.sends == 0 for m in checks)
            assert all(m.due_at <= timezone.now() for m in checks)  # due for the relay now
            assert states(case)["name_check"] == TaskState.READY  # not run: nothing sent
            assert outbox.relay_due() == 0  # still down: the relay keeps them
            # Everything the decision asked for waits: the checks, and the notifications.
            waiting = set(Message.objects.filter(state=MessageState.PENDING)
                          .values_list("pk", flat=True))
            assert set(checks.values_list("pk", flat=True)) <= waiting

            private_redis.start()  # back on the same port, empty
            sent: list[int] = []
            # As beat would: the relay runs until the broker takes the work.
            wait_until(lambda: sent.append(outbox.relay_due()) or sum(sent) >= len(waiting),
                       30, "the relay to send the waiting work")
            assert sum(sent) == len(waiting)

            wait_for(lambda: states(case)["registry"] == TaskState.READY, timeout=60,
                     describe=lambda: f"{states(case)}\n{worker_log.read_text()[-3000:]}")
        now = states(case)
        assert now["name_check"] == TaskState.APPROVED
        assert now["screening"] == TaskState.APPROVED
        assert now["registry"] == TaskState.READY
        wait_for(lambda: not Message.objects.filter(state=MessageState.PENDING).exists(),
                 describe=lambda: worker_log.read_text()[-3000:])
        for message in Message.objects.filter(pk__in=waiting):
            assert (message.state, message.sends) == (MessageState.DONE, 1), message
        print(f"approval with the broker down answered in {took:.2f} s; "
              f"{len(waiting)} messages relayed once it was back")
        runs = AuditEvent.objects.filter(object_type="workflows.task", action="check_passed")
        assert runs.count() == 2  # each check applied once
    finally:
        kill_worker(worker, signal.SIGTERM)
        connection.close()


# --- 3. a certificate that keeps failing lands in front of a person ------------------------


def _operator():
    """A superuser with a second factor, as the admin requires (config/urls.py)."""
    user = get_user_model().objects.create_superuser(email="operateur@cfe.example.tg",
                                                     password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def test_a_certificate_that_keeps_failing_is_listed_for_an_operator_and_rerun(
    transactional_db, submitted, clerks, settings, tmp_path, monkeypatch
):
    case = case_of(submitted)
    advance_until(case, "registrar", clerks)  # eager: the checks run here
    with _threads_worker():
        _fail_then_rerun(submitted, case, clerks, settings, tmp_path, monkeypatch)


@contextmanager
def _threads_worker():
    """The conftest's real_worker, started once the filing is at the registrar's desk."""
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="threads", concurrency=2,
                          perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        celery_app.conf.task_always_eager = True


def _fail_then_rerun(submitted, case, clerks, settings, tmp_path, monkeypatch) -> None:
    # The cause: the registry's signing key is missing (a volume not mounted, say).
    settings.DOCUMENT_SIGNING_PKCS12 = str(tmp_path / "absent" / "registry.p12")
    monkeypatch.setattr(registry_tasks.issue_certificate, "max_retries", 1)  # not 5

    claim_and_approve(case, "registrar", clerks["greffier"], on_commit=False)
    message = Message.objects.get(task_name=ISSUE_CERTIFICATE)
    wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.FAILED,
             timeout=60, describe=lambda: str(Message.objects.get(pk=message.pk).__dict__))
    message.refresh_from_db()
    assert "registry.p12" in message.error, message.error
    assert message.finished_at is not None
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.APPROVED  # registered, no certificate yet
    assert Company.objects.get(application=submitted).certificate_id is None
    assert outbox.relay_due() == 0  # failed work waits for a person, not for the relay

    operator = _operator()
    admin = Client()
    log_in_with_totp(admin, operator)
    changelist = reverse("admin:outbox_message_changelist")
    page = admin.get(changelist, {"state": MessageState.FAILED})
    assert page.status_code == 200
    assert str(message.pk) in page.content.decode()
    assert "Cannot read the PKCS#12 file" in page.content.decode()  # the error, shown

    settings.DOCUMENT_SIGNING_PKCS12 = ""  # the cause fixed: the key is back
    response = admin.post(changelist, {"action": "rerun", "_selected_action": [message.pk],
                                       "index": 0, "select_across": 0})
    assert response.status_code == 302
    wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.DONE,
             timeout=60, describe=lambda: str(Message.objects.get(pk=message.pk).__dict__))
    message.refresh_from_db()
    assert message.rerun_by == operator
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.REGISTERED
    company = Company.objects.select_related("certificate").get(application=submitted)
    assert company.certificate is not None
    assert IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE).count() == 1
    assert admin.get(changelist, {"state": MessageState.FAILED}).content.decode().count(
        str(message.pk)) == 0


# --- 4. fifty registrars approving at once ---------------------------------------------------


def test_fifty_registrar_approvals_at_once_take_consecutive_numbers_without_holes(
    transactional_db, make_user, clerks, settings, monkeypatch
):
    cases = at_registrar_step(make_user, clerks, 50, prefix="cinquante")
    asked: list = []  # the certificates asked for; not issued here (no seal in the race)
    monkeypatch.setattr(registry_tasks.issue_certificate, "apply_async",
                        lambda args=(), **kwargs: asked.append(tuple(args)))
    registrar = clerks["greffier"]
    tasks = [task_of(case, "registrar").pk for case in cases]
    barrier = threading.Barrier(len(tasks))
    errors: list[BaseException] = []

    def approve(task_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            engine.claim_task(task_id=task_id, user=registrar)
            engine.approve_task(task_id=task_id, user=registrar, comment="Approuvé.")
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in tasks]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    took = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    year = timezone.localdate().year
    court = settings.REGISTRY_COURT_CODE
    companies = Company.objects.all()
    assert companies.count() == 50
    assert sorted(companies.values_list("rccm_number", flat=True)) == [
        format_rccm(court=court, year=year, letter="B", number=n) for n in range(1, 51)]
    assert list(RccmSequence.objects.values_list("letter", "last_number")) == [("B", 50)]
    for case in cases:
        application = Application.objects.get(pk=case.subject_id)
        assert application.state == ApplicationState.APPROVED
        assert Company.objects.filter(application=application).count() == 1
        assert application.company.rccm_number == application.rccm_number
    assert AuditEvent.objects.filter(object_type="registry.application",
                                     action="rccm_number").count() == 50
    assert Task.objects.filter(pk__in=tasks, state=TaskState.APPROVED).count() == 50
    # One certificate asked for per company, recorded with its decision.
    certificates = Message.objects.filter(task_name=ISSUE_CERTIFICATE)
    assert sorted(m.args[0] for m in certificates) == sorted(c.subject_id for c in cases)
    assert sorted(asked) == sorted((c.subject_id,) for c in cases)
    print(f"50 registrar approvals at once: {took:.2f} s")


# --- 2. a worker killed while issuing certificates ------------------------------------------
# Last in the file: its final check (no bytes left by the killed run) fails until the
# documents app sweeps bytes that never went on record (see the report).


def test_a_worker_killed_while_issuing_certificates_leaves_each_company_one_certificate(
    transactional_db, make_user, clerks, private_redis, worker_log, tmp_path, settings
):
    cases = at_registrar_step(make_user, clerks, 5, prefix="tue")
    stall = tmp_path / "stall"
    stall.mkdir()
    fast_restore = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    with publishing_to(private_redis.url):
        for case in cases:  # five decisions, five certificates asked for (outbox + broker)
            claim_and_approve(case, "registrar", clerks["greffier"], on_commit=False)
        assert Message.objects.filter(task_name=ISSUE_CERTIFICATE).count() == 5
        worker = start_worker_process(
            broker_url=private_redis.url, log=worker_log,
            module="tests.integration.stalling_worker",
            env={**fast_restore, "STALL_DIR": str(stall), "STALL_ON": "2"})
        second = None
        try:
            # The first certificate is issued; the second one's PDF is written and the
            # worker stalls before its rows commit: the worst moment to die.
            wait_until((stall / "stalled").exists, 90, "a certificate run to stall",
                       every=0.05)
            stalled_at = time.monotonic()  # its message was delivered before this
            issued_before_kill = IssuedDocument.objects.filter(
                kind=DocumentKind.CERTIFICATE).count()
            assert issued_before_kill == 1
            (stall / "killed").write_text("1")
            kill_worker(worker, signal.SIGKILL)  # parent and pool process, no goodbye
            wait_until(lambda: group_is_gone(worker.pid), 10, "the worker's processes to die")
            unacked_after_kill = private_redis.unacked()
            assert unacked_after_kill >= 1  # the stalled run's message was never acked

            killed_at = time.monotonic()
            # The new worker starts once the killed delivery is older than the visibility
            # timeout: kombu's Redis transport sweeps the unacked messages when a worker
            # starts, then only every unacked_restore_interval x unacked_restore_throttle
            # (10 s x 10) seconds, so a worker back sooner finds it ~100 s later.
            time.sleep(max(0.0, stalled_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
            second = start_worker_process(broker_url=private_redis.url, log=worker_log,
                                          env=fast_restore)
            # No relay here: only the broker can bring the killed run's message back.
            wait_for(lambda: Application.objects.filter(
                         state=ApplicationState.REGISTERED).count() == 5,
                     timeout=60,
                     describe=lambda: f"{list(Application.objects.values_list('state'))}\n"
                                      f"{worker_log.read_text()[-4000:]}")
            came_back_after = time.monotonic() - killed_at
            # An outbox row closes when its task has returned (Celery's signal), just after
            # the task's own transaction committed: the last one may still be closing, so
            # the worker stays up until it has (a SIGTERM to its process group would cut
            # the signal's handler short and leave the row pending).
            messages = Message.objects.filter(task_name=ISSUE_CERTIFICATE)
            wait_for(lambda: set(messages.values_list("state", flat=True)) == {MessageState.DONE},
                     timeout=30,
                     describe=lambda: str(list(messages.values_list("state", "sends"))))
        finally:
            kill_worker(worker, signal.SIGKILL)
            if second is not None:
                kill_worker(second, signal.SIGTERM)
            connection.close()

    companies = list(Company.objects.select_related("certificate__stored_file"))
    assert len(companies) == 5
    certificates = IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE)
    assert certificates.count() == 5
    assert {company.certificate_id for company in companies} == set(
        certificates.values_list("pk", flat=True))  # one each, none spare
    numbers = [company.rccm_number for company in companies]
    assert len(set(numbers)) == 5
    for case in cases:
        application = Application.objects.get(pk=case.subject_id)
        assert AuditEvent.objects.filter(object_type="registry.application",
                                         object_id=str(application.pk),
                                         action="rccm_number").count() == 1
        assert application.rccm_number == Company.objects.get(application=application).rccm_number
    # Which mechanism brought the killed run back: the relay never sent anything (sends 0),
    # so it was the broker's visibility timeout restoring the unacknowledged message.
    assert set(messages.values_list("sends", flat=True)) == {0}
    print(f"killed with {issued_before_kill} of 5 issued and {unacked_after_kill} unacked; "
          f"all issued {came_back_after:.1f} s after the kill "
          f"(visibility timeout {VISIBILITY_TIMEOUT} s)")

    # The killed run's bytes are swept (beat, once older than the grace), and nothing else.
    media = Path(settings.MEDIA_ROOT)
    issued = sorted(c.certificate.stored_file.file.name for c in companies)
    # The fees' receipts (sealed PDFs too) are not part of this run: leave them out.
    receipts = {path for path in StoredFile.objects.filter(
        issued_document__kind=DocumentKind.RECEIPT).values_list("file", flat=True)}
    assert StoredFile.objects.exclude(file__in=receipts).count() == 5
    stalled_file = (stall / "stalled").read_text().split(" ", 1)[1]
    assert sweep_unrecorded(older_than=timedelta(0)) == [stalled_file]
    files = sorted(str(path.relative_to(media)) for path in _pdf_files(media)
                   if str(path.relative_to(media)) not in receipts)
    assert files == issued, (
        f"PDF bytes on storage that no certificate holds: {sorted(set(files) - set(issued))} "
        f"(the killed run wrote {stalled_file}; nothing ever deletes it)")
