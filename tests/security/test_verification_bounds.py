"""A hostile upload to the public /verifier/ page costs bounded work: too many signatures,
pages or revisions, a zip bomb, deep nesting or too many bytes get "document trop
complexe" (or "illisible"), quickly, never a 500 or a stuck worker."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from documents import verification
from documents.verification import Outcome, verify_pdf

from . import hostile_pdfs

pytestmark = pytest.mark.django_db
# Generous: each of these takes well under a second here; the bound is what matters.
SECONDS = 5


def timed_verdict(data: bytes):
    start = time.monotonic()
    verdict = verify_pdf(data)
    return verdict, time.monotonic() - start


def blank_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_few_pages_are_judged_normally():
    verdict, seconds = timed_verdict(blank_pages(3))

    assert verdict.outcome == Outcome.UNSIGNED
    assert seconds < SECONDS


def test_too_many_pages_is_too_complex():
    verdict, seconds = timed_verdict(blank_pages(verification.MAX_PAGES + 1))

    assert verdict.outcome == Outcome.TOO_COMPLEX
    assert verdict.title == "Document trop complexe"
    assert "trop complexe" in verdict.explanation
    assert seconds < SECONDS


def test_a_lying_page_count_is_too_complex_without_walking_pages():
    verdict, seconds = timed_verdict(hostile_pdfs.declared_pages(10_000_000))

    assert verdict.outcome == Outcome.TOO_COMPLEX
    assert seconds < SECONDS


def test_many_signatures_are_counted_not_validated(monkeypatch):
    validated = []
    monkeypatch.setattr(verification, "_validate",
                        lambda signature, moment: validated.append(signature))

    verdict, seconds = timed_verdict(hostile_pdfs.many_signatures(2_000))

    assert verdict.outcome == Outcome.TOO_COMPLEX
    assert validated == []
    assert seconds < SECONDS


def test_signatures_up_to_the_bound_are_examined():
    verdict = verify_pdf(hostile_pdfs.many_signatures(verification.MAX_SIGNATURES))

    # Fake signatures: examined, found unreadable, not refused for their number.
    assert verdict.outcome == Outcome.UNREADABLE


def test_many_revisions_are_too_complex():
    from pyhanko.pdf_utils.generic import NameObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = blank_pages(1)
    for revision in range(verification.MAX_REVISIONS + 1):
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        info = writer.trailer["/Info"]  # pypdf writes one
        info[NameObject("/Subject")] = pdf_string(f"révision {revision}")
        writer.update_container(info)
        output = io.BytesIO()
        writer.write(output)
        data = output.getvalue()

    verdict, seconds = timed_verdict(data)

    assert verdict.outcome == Outcome.TOO_COMPLEX
    assert seconds < SECONDS


def test_a_zip_bomb_object_stream_is_too_complex():
    bomb = hostile_pdfs.object_stream_bomb(200 * 1024 * 1024)
    assert len(bomb) < 400 * 1024  # 200 MiB once inflated

    verdict, seconds = timed_verdict(bomb)

    assert verdict.outcome == Outcome.TOO_COMPLEX
    assert seconds < SECONDS


def test_a_small_object_stream_is_read_normally():
    verdict = verify_pdf(hostile_pdfs.object_stream_bomb(1_000))

    assert verdict.outcome == Outcome.UNSIGNED


@pytest.mark.parametrize("data", [
    hostile_pdfs.nested_fields(5_000),
    hostile_pdfs.nested_arrays(200_000),
], ids=["nested-form-fields", "nested-arrays"])
def test_deep_nesting_is_refused(data):
    verdict, seconds = timed_verdict(data)

    assert verdict.outcome in (Outcome.TOO_COMPLEX, Outcome.UNREADABLE)
    assert seconds < SECONDS


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 1000,
    b"%PDF-1.7\n" + bytes(range(256)) * 100,
    b"<html><script>alert(1)</script></html>",
], ids=["zip", "garbage-after-header", "html"])
def test_files_that_are_not_pdfs_are_unreadable(data):
    verdict, seconds = timed_verdict(data)

    assert verdict.outcome == Outcome.UNREADABLE
    assert seconds < SECONDS


def test_more_bytes_than_an_upload_may_hold_are_refused_unread(settings, monkeypatch):
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 1_000
    monkeypatch.setattr(verification, "PdfFileReader", None)  # never reached

    assert verify_pdf(b"%PDF-1.7\n" + b" " * 2_000).outcome == Outcome.TOO_COMPLEX


def test_past_the_time_bound_the_verdict_is_too_complex(monkeypatch):
    monkeypatch.setattr(verification, "MAX_SECONDS", -1)

    assert verify_pdf(blank_pages(1)).outcome == Outcome.TOO_COMPLEX


def test_the_public_page_shows_the_verdict_in_french(client):
    upload = SimpleUploadedFile("bombe.pdf", hostile_pdfs.many_signatures(500),
                                content_type="application/pdf")

    response = client.post(reverse("documents:verify_upload"), {"document": upload})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Document trop complexe" in body
    assert 'data-outcome="too_complex"' in body
