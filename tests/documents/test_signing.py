"""The seal: PAdES with the registry's key, checked by pyHanko and by poppler's pdfsig,
timestamped by an RFC 3161 authority when one is configured."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pypdf import PdfReader

from documents.issuing import issue_document
from documents.layout import SEAL_BOX
from documents.models import DocumentKind
from documents.signing import PadesSigner, get_signer

from .conftest import PASSPHRASE, SEAL_NAME
from .helpers import CERTIFICATE_FACTS, change_one_byte, pdfsig, read_pdf, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate_pdf() -> bytes:
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    return read_pdf(document.stored_file)


def test_the_certificate_validates_in_pyhanko_against_the_test_root(certificate_pdf, test_pki):
    status = validate(certificate_pdf, root=test_pki / "root.pem")
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == SEAL_NAME
    signature = PdfFileReader(io.BytesIO(certificate_pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_it_is_not_trusted_against_another_root(certificate_pdf, test_pki):
    status = validate(certificate_pdf, root=test_pki / "stranger-root.pem")
    assert status.intact and status.valid
    assert not status.trusted


def test_the_certificate_validates_in_poppler_pdfsig(certificate_pdf, nss_db, tmp_path):
    report = pdfsig(certificate_pdf, nss_db=nss_db, tmp_path=tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert f"Signer Certificate Common Name: {SEAL_NAME}" in report
    assert "Total document signed" in report


def test_with_one_byte_changed_both_validators_say_the_signature_is_broken(
    certificate_pdf, test_pki, nss_db, tmp_path
):
    altered = change_one_byte(certificate_pdf)
    assert len(altered) == len(certificate_pdf) and altered != certificate_pdf
    status = validate(altered, root=test_pki / "root.pem")
    assert not status.intact
    assert not status.bottom_line
    report = pdfsig(altered, nss_db=nss_db, tmp_path=tmp_path)
    assert "Digest Mismatch." in report
    assert "Signature is Valid." not in report


def test_the_signature_field_lies_over_the_drawn_stamp(certificate_pdf):
    page = PdfReader(io.BytesIO(certificate_pdf)).pages[0]
    widgets = [annotation.get_object() for annotation in page["/Annots"]]
    seal = [widget for widget in widgets if widget.get("/FT") == "/Sig"]
    assert len(seal) == 1
    assert [float(value) for value in seal[0]["/Rect"]] == [float(v) for v in SEAL_BOX]
    assert "SCEAU ÉLECTRONIQUE" in page.extract_text()
    assert "non scellé" not in page.extract_text()


def test_a_b_t_signature_carries_a_timestamp_that_validates_against_the_tsa_root(
    timestamping, test_pki
):
    asked = len(timestamping.requests)
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    pdf = read_pdf(document.stored_file)
    assert len(timestamping.requests) > asked  # a real RFC 3161 request over HTTP

    status = validate(pdf, root=test_pki / "root.pem", tsa_root=test_pki / "tsa-root.pem")
    timestamp = status.timestamp_validity
    assert timestamp is not None
    assert timestamp.intact and timestamp.valid and timestamp.trusted
    assert abs((timestamp.timestamp - document.issued_at).total_seconds()) < 60
    assert status.bottom_line
    assert "horodatée (RFC 3161)" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_timestamp_is_not_trusted_against_another_root(timestamping, test_pki):
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    status = validate(read_pdf(document.stored_file), root=test_pki / "root.pem",
                      tsa_root=test_pki / "stranger-root.pem")
    assert status.timestamp_validity.intact
    assert not status.timestamp_validity.trusted
    assert not status.bottom_line


def test_without_a_tsa_the_signature_has_no_timestamp(certificate_pdf, test_pki):
    assert validate(certificate_pdf, root=test_pki / "root.pem").timestamp_validity is None


def test_a_pkcs12_key_opens_with_the_passphrase_from_the_settings(sealing, test_pki):
    sealing.DOCUMENT_SIGNING_KEY = sealing.DOCUMENT_SIGNING_CERT = ""
    sealing.DOCUMENT_SIGNING_PKCS12 = str(test_pki / "seal.p12")
    sealing.DOCUMENT_SIGNING_PASSPHRASE = PASSPHRASE
    signer = get_signer()
    assert signer.seal_name == SEAL_NAME
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    assert validate(read_pdf(document.stored_file), root=test_pki / "root.pem").bottom_line


def test_a_wrong_passphrase_is_a_configuration_error(sealing, test_pki):
    sealing.DOCUMENT_SIGNING_KEY = sealing.DOCUMENT_SIGNING_CERT = ""
    sealing.DOCUMENT_SIGNING_PKCS12 = str(test_pki / "seal.p12")
    sealing.DOCUMENT_SIGNING_PASSPHRASE = "pas-la-bonne"
    with pytest.raises(ImproperlyConfigured, match="DOCUMENT_SIGNING_PASSPHRASE"):
        PadesSigner()


def test_a_key_without_its_certificate_is_a_configuration_error(sealing):
    sealing.DOCUMENT_SIGNING_CERT = ""
    with pytest.raises(ImproperlyConfigured, match="go together"):
        PadesSigner()


def test_the_signer_is_loaded_once_and_again_when_the_settings_change(sealing, test_pki):
    first = get_signer()
    assert get_signer() is first
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "stranger-seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "stranger-seal.pem")
    second = get_signer()
    assert second is not first
    assert second.key.certificate != first.key.certificate
