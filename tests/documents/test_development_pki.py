"""Development seals out of the box: a local CA under var/signing, made on first use or by
the create_signing_pki command, never in production."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command

from documents import pki
from documents.issuing import issue_document
from documents.models import DocumentKind
from documents.signing import get_signer
from documents.verification import Outcome, verify_pdf

from .helpers import CERTIFICATE_FACTS, read_pdf, validate


@pytest.fixture
def nothing_configured(sealing):
    for name in ("DOCUMENT_SIGNING_KEY", "DOCUMENT_SIGNING_CERT", "DOCUMENT_SIGNING_CHAIN",
                 "DOCUMENT_SIGNING_TRUST_ROOTS"):
        setattr(sealing, name, "")
    return sealing


@pytest.mark.django_db
def test_first_use_while_debugging_creates_the_development_ca_and_seals_with_it(
    nothing_configured, client
):
    directory = nothing_configured.DOCUMENT_SIGNING_DEV_DIR
    assert not directory.exists()
    document = issue_document(kind=DocumentKind.CERTIFICATE, facts=CERTIFICATE_FACTS)
    development = pki.PkiFiles(directory)
    assert development.exists()
    assert (development.seal_key.stat().st_mode & 0o777) == 0o600
    pdf = read_pdf(document.stored_file)
    assert validate(pdf, root=development.root_cert).bottom_line
    # With no trust roots configured, verification trusts the signing chain's own root.
    assert verify_pdf(pdf).outcome == Outcome.AUTHENTIC
    assert get_signer().key.development


def test_the_development_ca_is_made_once_and_then_reused(nothing_configured):
    first = get_signer().key.certificate
    nothing_configured.DOCUMENT_TSA_URL = ""  # any signing setting change reloads the signer
    assert get_signer().key.certificate == first


def test_the_command_creates_marked_certificates_in_the_given_folder(sealing, tmp_path):
    call_command("create_signing_pki", directory=tmp_path / "dev")
    development = pki.PkiFiles(tmp_path / "dev")
    certificate = x509.load_pem_x509_certificate(development.seal_cert.read_bytes())
    assert pki.is_development_certificate(certificate)
    root = x509.load_pem_x509_certificate(development.root_cert.read_bytes())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    before = development.seal_cert.read_bytes()
    call_command("create_signing_pki", directory=tmp_path / "dev")
    assert development.seal_cert.read_bytes() == before  # never overwritten


def test_the_command_refuses_in_production(sealing, tmp_path):
    sealing.DOCUMENT_SIGNING_ALLOW_DEV_KEY = False
    with pytest.raises(CommandError, match="Production"):
        call_command("create_signing_pki", directory=tmp_path / "dev")
    assert not (tmp_path / "dev").exists()
