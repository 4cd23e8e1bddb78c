"""One service issues every kind of document: code, seal, stored file, public facts;
revocation is recorded and audited; kept files are never rewritten nor deleted."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import replace
from datetime import date

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from pypdf import PdfReader

from documents import codes
from documents.issuing import DocumentError, issue_document, revoke
from documents.models import DocumentKind, IssuedDocument, RetentionError, StoredFile
from documents.rccm_extract import RegisterEntry
from documents.signing import UnsignedSigner
from documents.storage import store_bytes
from workflows.models import AuditEvent

from .helpers import CERTIFICATE_FACTS, EXTRACT_FACTS, read_pdf, validate

pytestmark = pytest.mark.django_db


def test_issuing_a_certificate_keeps_the_sealed_pdf_with_its_fingerprint(test_pki):
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    document.refresh_from_db()
    pdf = read_pdf(document.stored_file)
    assert document.stored_file.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.stored_file.size == len(pdf)
    assert document.stored_file.original_name == "certificat-TG-LOM-2026-B-00042.pdf"
    assert document.kind == DocumentKind.CERTIFICATE
    assert document.sealed and not document.is_revoked
    assert validate(pdf, root=test_pki / "root.pem").bottom_line
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert document.grouped_code in text
    assert f"https://guichet.example.tg/verifier/{document.grouped_code}/" in text


def test_the_verification_code_is_twelve_unambiguous_characters_shown_grouped():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", document.verification_code)
    assert document.grouped_code == "-".join(
        document.verification_code[i:i + 4] for i in (0, 4, 8)
    )
    other = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    assert other.verification_code != document.verification_code


def test_a_typed_code_is_forgiven_for_case_dashes_and_look_alike_letters():
    assert codes.normalize("abcd-2345-wxyz") == "ABCD2345WXYZ"
    assert codes.normalize(" 0O1I L000 ABCD ") == "00111000ABCD"
    assert codes.normalize("ABCD-2345-WXY") is None
    assert codes.normalize("ABCD-2345-WXYU") is None  # U is not in the alphabet


def test_the_public_facts_hold_the_register_entry_and_no_private_data():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    document.refresh_from_db()
    assert document.public_facts == {
        "company_name": "Société Éléphant Bleu",
        "legal_form": "Société à responsabilité limitée (SARL)",
        "rccm_number": "TG-LOM-2026-B-00042",
        "registered_office": "12 rue du Commerce, Lomé",
        "registered_on": "2026-11-29",
        "managers": ["Kossi AGBEKO"],
    }


def test_public_facts_given_by_the_caller_are_kept_as_given():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS,
                              public_facts={"company_name": "Éléphant Bleu"})
    document.refresh_from_db()
    assert document.public_facts == {"company_name": "Éléphant Bleu"}


def test_an_rccm_extract_is_issued_and_sealed_the_same_way(test_pki):
    document = issue_document(kind=DocumentKind.RCCM_EXTRACT, facts=EXTRACT_FACTS)
    pdf = read_pdf(document.stored_file)
    assert validate(pdf, root=test_pki / "root.pem").bottom_line
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("EXTRAIT DU REGISTRE DU COMMERCE", "Situation au 15 décembre 2026",
                     "Import-export de matériel de bureau.", "Immatriculation initiale.",
                     "TG-LOM-2026-B-00042", document.grouped_code, "SCEAU ÉLECTRONIQUE"):
        assert expected in text, expected
    assert document.public_facts["as_of"] == "2026-12-15"
    assert document.stored_file.original_name == (
        "extrait-rccm-TG-LOM-2026-B-00042-2026-12-15.pdf"
    )


def test_facts_of_the_wrong_kind_are_refused_before_anything_is_kept():
    with pytest.raises(TypeError):
        issue_document(kind=DocumentKind.RCCM_EXTRACT, facts=CERTIFICATE_FACTS)
    assert not StoredFile.objects.exists()
    assert not IssuedDocument.objects.exists()


def test_with_the_unsigned_signer_the_page_says_it_is_not_sealed():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS,
                              signer=UnsignedSigner())
    assert not document.sealed
    text = PdfReader(io.BytesIO(read_pdf(document.stored_file))).pages[0].extract_text()
    assert "non scellé" in text
    assert "SCEAU ÉLECTRONIQUE" not in text


def test_revoking_records_date_reason_and_actor_in_the_audit_trail(make_user):
    registrar = make_user("greffier@cfe.example.tg")
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    revoke(document=document, reason="Radiation ordonnée par le tribunal.", actor=registrar)
    document.refresh_from_db()
    assert document.is_revoked
    assert document.revocation_reason == "Radiation ordonnée par le tribunal."
    assert document.revoked_by == registrar
    event = AuditEvent.objects.get(object_type="documents.issueddocument",
                                   object_id=str(document.pk))
    assert (event.action, event.to_state, event.actor) == ("revoke", "revoked", registrar)


def test_a_document_is_revoked_once_and_only_with_a_reason():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    with pytest.raises(DocumentError):
        revoke(document=document, reason="  ", actor=None)
    document.refresh_from_db()
    assert not document.is_revoked
    revoke(document=document, reason="Erreur matérielle.", actor=None)
    first_date = IssuedDocument.objects.get(pk=document.pk).revoked_at
    with pytest.raises(DocumentError):
        revoke(document=document, reason="Encore.", actor=None)
    document.refresh_from_db()
    assert document.revoked_at == first_date
    assert document.revocation_reason == "Erreur matérielle."


def test_kept_files_and_issued_documents_cannot_be_deleted_or_rewritten():
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    stored = document.stored_file
    # Each attempt in its own savepoint: a refused delete breaks the transaction it is in.
    with pytest.raises(RetentionError), transaction.atomic():
        document.delete()
    with pytest.raises(RetentionError), transaction.atomic():
        IssuedDocument.objects.all().delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).delete()
    loose = store_bytes(data=b"%PDF-1.4 brouillon", filename="recu.pdf",
                        content_type="application/pdf")
    with pytest.raises(RetentionError), transaction.atomic():
        StoredFile.objects.filter(pk=loose.pk).delete()
    stored.sha256 = "0" * 64
    with pytest.raises(RetentionError), transaction.atomic():
        stored.save()
    stored.refresh_from_db()
    assert stored.sha256 == hashlib.sha256(read_pdf(stored)).hexdigest()
    assert IssuedDocument.objects.filter(pk=document.pk).exists()
    assert StoredFile.objects.filter(pk=loose.pk).exists()


def test_an_extract_too_long_for_its_page_says_how_many_entries_it_leaves_out():
    entries = [RegisterEntry(on=date(2026, 11, 29), text=f"Inscription modificative n° {n}.")
               for n in range(40)]
    document = issue_document(kind=DocumentKind.RCCM_EXTRACT,
                              facts=replace(EXTRACT_FACTS, entries=entries))
    text = PdfReader(io.BytesIO(read_pdf(document.stored_file))).pages[0].extract_text()
    shown = sum(f"Inscription modificative n° {n}." in text for n in range(40))
    assert 0 < shown < 40
    assert f"et {40 - shown} inscription(s) non reproduite(s)" in text
