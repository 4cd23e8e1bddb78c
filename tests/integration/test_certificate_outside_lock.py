"""The certificate is drawn and sealed before any row is locked: a slow seal (a TSA far
away) holds no lock, and a duplicate produced by two runs racing is discarded, never issued.

Threads against PostgreSQL, on committed rows (transactional_db)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from documents import issuing
from documents.models import DocumentKind, IssuedDocument, StoredFile
from registry import services
from registry.models import Application, ApplicationState, Company
from tests.fees import submit_and_pay

from ..registry.procedure.helpers import case_of, complete

pytestmark = pytest.mark.django_db(transaction=True)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks with NOWAIT need PostgreSQL")


class GatedSigner:
    """The configured signer, held at the seal until the test opens the gate."""

    def __init__(self, signer):
        self._signer = signer
        self.signs, self.timestamps = signer.signs, signer.timestamps
        self.seal_name = signer.seal_name
        self.entered = threading.Semaphore(0)
        self.gate = threading.Event()

    def sign(self, pdf: bytes, **kwargs) -> bytes:
        self.entered.release()
        assert self.gate.wait(30), "the test never opened the gate"
        return self._signer.sign(pdf, **kwargs)


def gate_the_seal(monkeypatch) -> GatedSigner:
    """From now on every seal (a certificate's, a receipt's) waits at the gate."""
    signer = GatedSigner(issuing.get_signer())
    monkeypatch.setattr(issuing, "get_signer", lambda: signer)
    return signer


@pytest.fixture
def gated(monkeypatch):
    return gate_the_seal(monkeypatch)


@pytest.fixture
def approved(submitted, clerks, monkeypatch):
    """A filing the registrar approved whose certificate is not issued yet: the tests run
    the issue service themselves (rows are committed here, so on_commit fires at once)."""
    monkeypatch.setattr("registry.tasks.issue_certificate.apply_async", lambda *a, **k: None)
    complete(case_of(submitted), clerks, certificate=False)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.APPROVED
    assert Company.objects.get(application=submitted).certificate_id is None
    return submitted


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except BaseException as error:  # surfaced by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _pdf_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*.pdf") if path.is_file()]


def _receipt_files() -> set[str]:
    """The stored names of the sealed receipts (the filing's fee was paid before the desks
    worked it): in storage before any certificate."""
    return {Path(document.stored_file.file.name).name
            for document in IssuedDocument.objects.filter(kind=DocumentKind.RECEIPT)}


@needs_postgresql
def test_no_row_is_locked_while_the_certificate_is_sealed(approved, gated):
    errors: list = []
    thread = _in_thread(lambda: services.issue_certificate(application_id=approved.pk), errors)
    assert gated.entered.acquire(timeout=30), "the seal never started"
    try:
        # The seal is in progress: the filing and its company can be locked at once.
        with transaction.atomic():
            Application.objects.select_for_update(nowait=True).get(pk=approved.pk)
            Company.objects.select_for_update(nowait=True).get(application=approved)
    finally:
        gated.gate.set()
        thread.join(30)
    assert not errors
    approved.refresh_from_db()
    assert approved.state == ApplicationState.REGISTERED
    assert approved.company.certificate is not None


@needs_postgresql
def test_another_filing_is_registered_while_a_seal_is_pending(approved, monkeypatch,
                                                              make_user, clerks):
    """A registrar approving a second filing does not wait for the first one's seal."""
    from ..conftest import COMPANY_DATA, FOUNDER_DATA

    owner = make_user("second@example.tg")
    second = services.application_create(
        owner=owner, data={**COMPANY_DATA, "company_name": "Deuxième Voie"},
        founder=dict(FOUNDER_DATA))
    # Paid (its receipt sealed) before the gate closes on the first filing's certificate.
    submit_and_pay(application_id=second.pk, user=owner)
    gated = gate_the_seal(monkeypatch)
    errors: list = []
    thread = _in_thread(lambda: services.issue_certificate(application_id=approved.pk), errors)
    assert gated.entered.acquire(timeout=30)
    try:
        complete(case_of(second), clerks, certificate=False)
        second.refresh_from_db()
        assert second.state == ApplicationState.APPROVED  # done while the seal waits
    finally:
        gated.gate.set()
        thread.join(30)
    assert not errors


@needs_postgresql
def test_two_runs_racing_issue_one_certificate_and_discard_the_other(approved, gated,
                                                                     settings):
    receipts = _receipt_files()
    assert receipts  # the fee's receipt
    errors: list = []
    threads = [
        _in_thread(lambda: services.issue_certificate(application_id=approved.pk), errors)
        for _ in range(2)
    ]
    for _ in threads:  # both passed the "not issued yet" check and are sealing
        assert gated.entered.acquire(timeout=30)
    gated.gate.set()
    for thread in threads:
        thread.join(30)
    assert not errors
    company = Company.objects.get(application=approved)
    certificates = IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE)
    assert list(certificates) == [company.certificate]
    assert StoredFile.objects.count() == 1 + len(receipts)
    # The losing run's bytes are gone: only the issued certificate is in storage (next to
    # the fee's receipt).
    files = {path.name for path in _pdf_files(Path(settings.MEDIA_ROOT))} - receipts
    assert files == {Path(company.certificate.stored_file.file.name).name}


def test_a_seal_whose_issue_fails_leaves_neither_row_nor_bytes(approved, monkeypatch,
                                                               settings):
    def broken(sealed):
        raise RuntimeError("database went away")

    receipts = _receipt_files()
    assert receipts  # the fee's receipt, issued when the filing was paid
    monkeypatch.setattr("registry.services.registration.keep_document", broken)
    with pytest.raises(RuntimeError, match="database went away"):
        services.issue_certificate(application_id=approved.pk)
    assert not IssuedDocument.objects.exclude(kind=DocumentKind.RECEIPT).exists()
    assert {path.name for path in _pdf_files(Path(settings.MEDIA_ROOT))} == receipts
    approved.refresh_from_db()
    assert approved.state == ApplicationState.APPROVED  # the task may run again
    monkeypatch.undo()
    company = services.issue_certificate(application_id=approved.pk)
    assert company.certificate is not None
    assert {path.name for path in _pdf_files(Path(settings.MEDIA_ROOT))} == receipts | {
        Path(company.certificate.stored_file.file.name).name}


def test_handler_services_refuse_to_run_outside_their_callers_transaction(approved):
    with pytest.raises(RuntimeError, match="inside its caller's transaction"):
        services.assign_rccm_number(application_id=approved.pk, actor=None)
    with pytest.raises(RuntimeError, match="inside its caller's transaction"):
        services.record_identifier(application_id=approved.pk, actor=None, field="nif",
                                   value="1000428517")
    with pytest.raises(RuntimeError, match="inside its caller's transaction"):
        issuing.keep_document(None)
