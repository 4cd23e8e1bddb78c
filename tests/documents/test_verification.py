"""The public verification: by code (/verifier/<code>/) and by uploading the PDF
(/verifier/), without signing in; every refusal is explained in French."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.generic import NameObject, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from documents.certificates import render_certificate
from documents.issuing import issue_document, produce_pdf, revoke
from documents.models import DocumentKind
from documents.signing import PadesSigner, load_seal_key
from documents.verification import Outcome

from .helpers import CERTIFICATE_FACTS, change_one_byte, read_pdf

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/verifier/"


@pytest.fixture
def certificate():
    return issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)


def upload(client, data: bytes, *, name: str = "certificat.pdf",
           content_type: str = "application/pdf"):
    return client.post(UPLOAD_URL, {"document": SimpleUploadedFile(name, data, content_type)})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def verdict_of(response) -> Outcome:
    return response.context["verdict"].outcome


def test_the_urls_are_the_public_ones(certificate):
    assert reverse("documents:verify_upload") == UPLOAD_URL
    assert certificate.get_absolute_url() == f"/verifier/{certificate.grouped_code}/"


def test_the_code_page_shows_an_authentic_valid_document_and_its_public_facts(
    client, certificate
):
    response = client.get(certificate.get_absolute_url())
    text = page_text(response)
    assert response.status_code == 200
    assert "Document authentique." in text
    assert "Valide" in text
    for fact in ("Société Éléphant Bleu", "TG-LOM-2026-B-00042", "12 rue du Commerce, Lomé",
                 "Kossi AGBEKO", "29 novembre 2026", certificate.stored_file.sha256):
        assert fact in text, fact
    assert "1000456789" not in text  # the NIF is printed, not published


def test_the_code_page_accepts_the_code_as_people_type_it(client, certificate):
    typed = certificate.grouped_code.lower().replace("-", " ")
    response = client.get(f"/verifier/{typed}/")
    assert response.status_code == 200
    assert response.context["document"] == certificate


def test_an_unknown_code_is_a_404_that_says_so_in_french(client, certificate):
    response = client.get("/verifier/ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    assert "Code inconnu." in page_text(response)
    assert "Société Éléphant Bleu" not in page_text(response)


def test_a_revoked_document_shows_revoked_with_date_and_reason(client, certificate):
    revoke(document=certificate, reason="Radiation ordonnée par le tribunal.", actor=None)
    certificate.refresh_from_db()
    text = page_text(client.get(certificate.get_absolute_url()))
    assert "Document révoqué." in text
    assert "Radiation ordonnée par le tribunal." in text
    assert f"depuis le {certificate.revoked_at.day} " in text
    assert "Document authentique." not in text


def test_the_original_pdf_uploaded_is_authentic(client, certificate):
    response = upload(client, read_pdf(certificate.stored_file))
    assert response.status_code == 200
    assert verdict_of(response) == Outcome.AUTHENTIC
    text = page_text(response)
    assert "Document authentique" in text
    assert "Greffe du Tribunal de commerce de Lomé" in text
    assert certificate.grouped_code in text


def test_a_pdf_with_one_byte_changed_is_reported_modified(client, certificate):
    response = upload(client, change_one_byte(read_pdf(certificate.stored_file)))
    assert verdict_of(response) == Outcome.MODIFIED
    assert "modifié" in page_text(response)


def test_an_update_appended_after_the_seal_is_reported_modified(client, certificate):
    original = read_pdf(certificate.stored_file)
    writer = IncrementalPdfFileWriter(io.BytesIO(original))
    info = writer.trailer["/Info"]
    info[NameObject("/Subject")] = pdf_string("Capital : 100 000 000 FCFA")
    writer.update_container(info)
    output = io.BytesIO()
    writer.write(output)
    assert output.getvalue().startswith(original) and len(output.getvalue()) > len(original)
    response = upload(client, output.getvalue())
    assert verdict_of(response) == Outcome.MODIFIED
    assert "modifié" in page_text(response)


def test_a_revoked_document_uploaded_is_reported_revoked(client, certificate):
    revoke(document=certificate, reason="Erreur matérielle.", actor=None)
    response = upload(client, read_pdf(certificate.stored_file))
    assert verdict_of(response) == Outcome.REVOKED
    text = page_text(response)
    assert "révoqué" in text
    assert "Erreur matérielle." in text


def test_a_pdf_sealed_by_someone_else_has_an_unknown_signer(client, sealing, test_pki):
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "stranger-seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "stranger-seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(test_pki / "stranger-root.pem")
    forger = PadesSigner()
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "seal-key.pem")  # back to the registry
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(test_pki / "root.pem")
    forged = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS,
                            signer=forger)
    response = upload(client, read_pdf(forged.stored_file))
    assert verdict_of(response) == Outcome.UNKNOWN_SIGNER
    assert "signataire nous est inconnu" in page_text(response)


def test_a_pdf_sealed_with_our_key_but_never_issued_is_not_ours(client, certificate):
    stray = produce_pdf(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS,
                        code=certificate.verification_code,
                        signer=PadesSigner(key=load_seal_key()),
                        sealed_at=certificate.issued_at)
    response = upload(client, stray)
    assert verdict_of(response) == Outcome.NOT_OURS
    assert "ne correspond à aucun document" in page_text(response)


def test_an_unsigned_pdf_is_reported_without_seal(client):
    response = upload(client, render_certificate(CERTIFICATE_FACTS))
    assert verdict_of(response) == Outcome.UNSIGNED
    assert "aucun sceau électronique" in page_text(response)


def test_a_file_that_is_not_a_pdf_is_refused_in_french(client):
    response = upload(client, b"\x89PNG\r\n\x1a\n not a pdf", name="photo.pdf")
    assert response.status_code == 200
    assert response.context["verdict"] is None
    assert "n'est pas un document PDF" in page_text(response)


def test_a_broken_pdf_is_unreadable_not_a_server_error(client):
    response = upload(client, b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert verdict_of(response) == Outcome.UNREADABLE
    assert "n'a pas pu être lu" in page_text(response)


def test_an_oversize_file_is_refused_with_the_limit(client, settings, certificate):
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 1024
    response = upload(client, read_pdf(certificate.stored_file))
    assert response.context["verdict"] is None
    assert "dépasse la taille maximale autorisée (1 Ko)" in page_text(response)


def test_a_body_declared_far_too_large_is_refused_before_it_is_read(client, settings):
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 1024
    response = client.post(UPLOAD_URL, data=b"x" * 200_000,
                           content_type="multipart/form-data; boundary=xyz")
    assert response.status_code == 413
    assert "dépasse la taille maximale" in page_text(response)


def test_an_empty_form_asks_for_the_file(client):
    response = client.post(UPLOAD_URL, {})
    assert response.context["verdict"] is None
    assert "Choisissez le fichier PDF à vérifier." in page_text(response)


def test_the_upload_page_needs_no_login_and_is_in_french(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 200
    text = page_text(response)
    assert '<html lang="fr">' in text
    assert 'enctype="multipart/form-data"' in text
    assert "Vérifier un document du registre" in text
