"""Verification codes (read aloud, typed with mistakes), the records that keep files and
issued documents (written once, never rewritten), and the whitelist of public facts."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents import codes, selectors
from documents.models import (
    IssuedDocument,
    RetentionError,
    retention_end,
)
from documents.storage import store_bytes

from .originals import keep

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- Codes ------------------------------------------------------------------------------


def test_new_codes_use_twelve_characters_of_the_unambiguous_alphabet():
    drawn = [codes.new_code() for _ in range(200)]

    assert all(re.fullmatch(f"[{CROCKFORD}]{{12}}", code) for code in drawn)
    assert len(set(drawn)) == len(drawn)
    assert not set("".join(drawn)) & set("ILOU")


@pytest.mark.parametrize(("typed", "stored"), [
    ("ABCD-EFGH-JKMN", "ABCDEFGHJKMN"),
    ("abcd efgh jkmn", "ABCDEFGHJKMN"),
    ("  abcd-efgh-jkmn\n", "ABCDEFGHJKMN"),
    ("ABCD\tEFGH\u00a0JKMN", "ABCDEFGHJKMN"),  # a no-break space pasted from a PDF
    ("OOOO-IIII-LLLL", "000011111111"),
    ("oooo-iiii-llll", "000011111111"),
    ("A-B-C-D-E-F-G-H-J-K-M-N", "ABCDEFGHJKMN"),
])
def test_typing_mistakes_people_make_are_forgiven(typed, stored):
    assert codes.normalize(typed) == stored


@pytest.mark.parametrize("typed", [
    "", "    ", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKMU", "ABCD_EFGH_JKMN",
    "ÀBCD-EFGH-JKMN", "ABCD.EFGH.JKMN", "ABCD-EFGH-JKM?",
])
def test_what_cannot_be_a_code_is_none(typed):
    assert codes.normalize(typed) is None


def test_a_code_is_printed_in_three_groups_and_normalises_back_to_itself():
    code = codes.new_code()

    grouped = codes.grouped(code)

    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", grouped)
    assert grouped.replace("-", "") == code
    assert codes.normalize(grouped) == code


# --- Stored files -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_file_lives_under_a_dated_folder_of_its_own():
    now = timezone.now()

    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")

    assert re.fullmatch(rf"documents/{now:%Y/%m}/[0-9a-f]{{32}}/recu\.pdf", stored.file.name)
    assert str(stored) == "recu.pdf"


@pytest.mark.django_db
def test_the_same_name_twice_is_two_files_and_the_first_is_untouched():
    first = store_bytes(data=b"version 1", filename="statuts.pdf", content_type="application/pdf")
    second = store_bytes(data=b"version 2", filename="statuts.pdf",
                         content_type="application/pdf")

    assert first.file.name != second.file.name
    with first.file.open("rb") as handle:
        assert handle.read() == b"version 1"
    assert first.sha256 == hashlib.sha256(b"version 1").hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [
    ("sha256", "0" * 64), ("size", 1), ("original_name", "autre.pdf"),
    ("content_type", "image/png"),
])
def test_a_stored_files_facts_cannot_be_rewritten(field, value):
    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")
    original = getattr(stored, field)
    setattr(stored, field, value)

    with pytest.raises(RetentionError):
        stored.save(update_fields=[field])
    with pytest.raises(RetentionError):
        stored.save()

    stored.refresh_from_db()
    assert getattr(stored, field) == original


@pytest.mark.django_db
def test_only_the_erasure_columns_may_change():
    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")
    stored.erased_at = timezone.now()
    stored.erasure_reason = "Délai échu"

    stored.save(update_fields=["erased_at", "erasure_reason"])

    stored.refresh_from_db()
    assert stored.erasure_reason == "Délai échu"


@pytest.mark.parametrize(("created", "until"), [
    (datetime(2026, 11, 29, 10, 0, tzinfo=UTC), datetime(2046, 11, 29, 10, 0, tzinfo=UTC)),
    (datetime(2028, 2, 29, 8, 0, tzinfo=UTC), datetime(2048, 2, 29, 8, 0, tzinfo=UTC)),
    (datetime(2027, 12, 31, 23, 59, tzinfo=UTC), datetime(2047, 12, 31, 23, 59, tzinfo=UTC)),
    # 2100 is no leap year: a file kept from 29 February 2080 may go on the 28th.
    (datetime(2080, 2, 29, 8, 0, tzinfo=UTC), datetime(2100, 2, 28, 8, 0, tzinfo=UTC)),
])
def test_files_are_kept_twenty_years_to_the_day(created, until):
    assert retention_end(created) == until


@pytest.mark.django_db
def test_a_stored_file_knows_until_when_it_is_kept():
    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")

    assert stored.retained_until == retention_end(stored.created_at)
    assert stored.retained_until.year == stored.created_at.year + 20


# --- Issued documents -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_revocation_needs_both_a_date_and_a_reason_in_the_database():
    document = keep(b"%PDF-1.7 certificat")

    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(revoked_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(revocation_reason="Erreur.")

    document.refresh_from_db()
    assert not document.is_revoked


@pytest.mark.django_db
def test_two_documents_never_share_a_verification_code():
    first = keep(b"%PDF-1.7 premier")

    with pytest.raises(IntegrityError), transaction.atomic():
        keep(b"%PDF-1.7 second", code=first.verification_code)


@pytest.mark.django_db
def test_a_document_reads_as_its_kind_and_grouped_code():
    document = keep(b"%PDF-1.7 certificat", code="ABCDEFGHJKMN")

    assert str(document) == "certificat d'immatriculation ABCD-EFGH-JKMN"
    assert document.get_absolute_url() == "/verifier/ABCD-EFGH-JKMN/"


@pytest.mark.django_db
def test_documents_are_found_by_typed_code_or_by_fingerprint_only():
    document = keep(b"%PDF-1.7 certificat", code="0123456789AB")
    keep(b"%PDF-1.7 autre", code="0123456789AC")

    assert selectors.issued_document_by_code("o123-4567-89ab") == document
    assert selectors.issued_document_by_code("0123-4567-89AD") is None
    assert selectors.issued_document_by_code("pas un code") is None
    sha256 = hashlib.sha256(b"%PDF-1.7 certificat").hexdigest()
    assert selectors.issued_document_by_sha256(sha256) == document
    assert selectors.issued_document_by_sha256("0" * 64) is None


def make_document(public_facts: dict) -> IssuedDocument:
    return IssuedDocument(verification_code="ABCDEFGHJKMN", public_facts=public_facts)


def test_public_rows_follow_the_whitelist_order_and_format_dates_in_french():
    rows = make_document({
        "as_of": "2026-12-15",
        "managers": ["Kossi AGBEKO", "Ama DOE"],
        "registered_on": "2026-11-29",
        "company_name": "Société Éléphant Bleu",
        "rccm_number": "TG-LOM-2026-B-00042",
    }).public_fact_rows()

    assert [(str(label), value) for label, value in rows] == [
        ("Dénomination sociale", "Société Éléphant Bleu"),
        ("Numéro RCCM", "TG-LOM-2026-B-00042"),
        ("Date d'immatriculation", "29 novembre 2026"),
        ("Dirigeant(s)", "Kossi AGBEKO, Ama DOE"),
        ("Situation au", "15 décembre 2026"),
    ]


def test_facts_outside_the_whitelist_and_empty_ones_are_never_shown():
    rows = make_document({
        "company_name": "Éléphant Bleu",
        "legal_form": "",
        "managers": [],
        "registered_on": "",
        "nif": "1000456789",
        "birth_date": "1985-03-14",
        "id_document_number": "TG-CNI-123456",
    }).public_fact_rows()

    assert [value for _label, value in rows] == ["Éléphant Bleu"]
