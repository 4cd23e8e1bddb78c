"""The public verification pages as a visitor meets them: the code typed with the usual
mistakes, unknown codes, the upload form's refusals in French (and in English for who chose
it), and a page that never keeps what it is given."""

from __future__ import annotations

import html

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from documents.certificates import render_certificate
from documents.forms import declared_body_too_large
from documents.models import IssuedDocument, StoredFile
from documents.verification import Outcome

from .conftest import SEAL_NAME
from .helpers import CERTIFICATE_FACTS, read_pdf
from .originals import issued_original, keep, sealed_certificate

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/verifier/"
# Holds a 0 and a 1, the characters people type as O, I or L.
CODE = "01AB23CD45EF"


@pytest.fixture
def original() -> IssuedDocument:
    return keep(sealed_certificate(code=CODE), code=CODE)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def post_file(client, data: bytes, *, name: str = "certificat.pdf",
              content_type: str = "application/pdf"):
    return client.post(UPLOAD_URL, {"document": SimpleUploadedFile(name, data, content_type)})


def kept_rows() -> tuple[int, int]:
    return StoredFile.objects.count(), IssuedDocument.objects.count()


# --- By code ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "01AB-23CD-45EF", "01ab23cd45ef", "01 AB 23 CD 45 EF", "OLAB-23CD-45EF", "oiab-23cd-45ef",
    "0lab 23cd 45ef",
])
def test_the_code_is_found_however_it_was_typed(client, original, typed):
    response = client.get(f"/verifier/{typed}/")

    assert response.status_code == 200
    assert response.context["document"] == original
    assert "01AB-23CD-45EF" in text_of(response)


@pytest.mark.parametrize("typed", [
    "01AB-23CD-45E",  # one character short
    "01AB-23CD-45EF0",  # one too many
    "01AB-23CD-45EU",  # U is not in the alphabet
    "01AB-23CD-45E!",
])
def test_a_code_that_cannot_be_one_is_a_404_that_reveals_nothing(client, original, typed):
    response = client.get(f"/verifier/{typed}/")

    assert response.status_code == 404
    text = text_of(response)
    assert "Code inconnu." in text
    assert CERTIFICATE_FACTS.company_name not in text
    assert original.stored_file.sha256 not in text


def test_the_typed_code_is_shown_back_escaped(client):
    response = client.get("/verifier/<img src=x onerror=alert(1)>/")

    assert response.status_code == 404
    raw = response.content.decode()
    assert "<img src=x onerror" not in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw


def test_the_code_page_shows_the_record_and_only_whitelisted_facts(client):
    document = issued_original()
    IssuedDocument.objects.filter(pk=document.pk).update(public_facts={
        **document.public_facts,
        "nif": "1000456789",
        "id_document_number": "TG-CNI-123456",
        "birth_date": "1985-03-14",
    })

    response = client.get(document.get_absolute_url())

    text = text_of(response)
    assert "Certificat d'immatriculation" in text
    assert document.grouped_code in text
    assert document.stored_file.sha256 in text
    assert "Kossi AGBEKO" in text
    for private in ("1000456789", "TG-CNI-123456", "1985", "14 mars"):
        assert private not in text, private


def test_the_code_page_needs_no_account_and_leaves_the_record_as_it_was(client, original):
    before = IssuedDocument.objects.values().get(pk=original.pk)

    client.get(original.get_absolute_url())

    assert IssuedDocument.objects.values().get(pk=original.pk) == before


# --- By upload --------------------------------------------------------------------------


def test_the_upload_page_states_the_size_limit(client, settings):
    assert "Taille maximale : 5 Mo." in text_of(client.get(UPLOAD_URL))

    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 1536

    assert "Taille maximale : 1,5 Ko." in text_of(client.get(UPLOAD_URL))


def test_the_verdict_names_the_signer_and_the_original(client, original):
    response = post_file(client, read_pdf(original.stored_file))

    text = text_of(response)
    assert f'data-outcome="{Outcome.AUTHENTIC}"' in response.content.decode()
    assert f"Signataire : {SEAL_NAME}" in text
    assert "signé le" in text
    assert original.grouped_code in text
    assert "Valide" in text


def test_the_name_and_declared_type_of_the_file_do_not_matter(client, original):
    response = post_file(client, read_pdf(original.stored_file), name="scan.bin",
                         content_type="application/octet-stream")

    assert response.context["verdict"].outcome == Outcome.AUTHENTIC


def test_an_empty_file_is_refused_in_french(client):
    response = post_file(client, b"")

    assert response.context["verdict"] is None
    assert "Le fichier envoyé est vide." in text_of(response)


def test_a_png_named_pdf_is_refused_before_any_verdict(client):
    response = post_file(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, name="certificat.pdf")

    assert response.context["verdict"] is None
    assert ("Ce fichier n'est pas un document PDF. Seuls les fichiers PDF peuvent être "
            "vérifiés.") in text_of(response)


def test_a_file_at_the_limit_is_verified_and_one_byte_more_is_refused(client, settings):
    pdf = render_certificate(CERTIFICATE_FACTS)
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = len(pdf)

    assert post_file(client, pdf).context["verdict"].outcome == Outcome.UNSIGNED

    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = len(pdf) - 1
    response = post_file(client, pdf)

    assert response.context["verdict"] is None
    assert "dépasse la taille maximale autorisée" in text_of(response)


@pytest.mark.parametrize("make_upload", [
    lambda original: read_pdf(original.stored_file),
    lambda original: sealed_certificate(),
    lambda original: b"%PDF-1.7\n" + b"\x00" * 500,
    lambda original: b"GIF89a" + b"\x00" * 100,
], ids=["authentic", "not-ours", "unreadable", "not-a-pdf"])
def test_an_upload_is_checked_and_never_kept(client, original, make_upload):
    data = make_upload(original)
    before = kept_rows()

    response = post_file(client, data)

    assert response.status_code == 200
    assert kept_rows() == before


def test_a_body_declared_too_large_keeps_nothing_and_says_the_limit(client, settings):
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    before = kept_rows()

    response = client.post(UPLOAD_URL, data=b"x" * (3 * 1024 * 1024),
                           content_type="multipart/form-data; boundary=xyz")

    assert response.status_code == 413
    assert "(2 Mo)" in text_of(response)
    assert kept_rows() == before


@pytest.mark.parametrize(("declared", "refused"), [
    ("", False),
    ("pas un nombre", False),
    (str(1024 + 64 * 1024), False),  # the form's own overhead is allowed for
    (str(1024 + 64 * 1024 + 1), True),
])
def test_only_a_declared_length_beyond_limit_and_overhead_is_refused_early(
    settings, declared, refused
):
    settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES = 1024
    request = RequestFactory().post(UPLOAD_URL)
    request.META["CONTENT_LENGTH"] = declared

    assert declared_body_too_large(request) is refused


def test_a_visitor_who_chose_english_reads_the_verdict_and_errors_in_english(client,
                                                                             original):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    verdict_page = text_of(post_file(client, read_pdf(original.stored_file)))
    empty_form = text_of(client.post(UPLOAD_URL, {}))

    assert "Authentic document" in verdict_page
    assert "Document authentique" not in verdict_page
    assert "Choose the PDF file to verify." in empty_form
