"""verify_pdf, the verdict behind the public upload page: each outcome from the bytes of a
file, with the signer, the signing time and the timestamp it reports, and the first reason
that explains a refusal."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

from documents import pki
from documents.certificates import render_certificate
from documents.issuing import revoke
from documents.signing import PadesSigner
from documents.verification import EXPLANATIONS, Outcome, Verdict, verify_pdf

from .conftest import SEAL_NAME
from .helpers import CERTIFICATE_FACTS, change_one_byte, read_pdf
from .originals import issued_original, keep, sealed_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(sealing, test_pki) -> PadesSigner:
    """A signer with someone else's key, whose certificate bears the registry's name."""
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "stranger-seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "stranger-seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(test_pki / "stranger-root.pem")
    forger = PadesSigner()
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(test_pki / "root.pem")
    return forger


def append_info_update(pdf: bytes, subject: str = "Capital : 100 000 000 FCFA") -> bytes:
    from pyhanko.pdf_utils.generic import NameObject, pdf_string

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"]
    info[NameObject("/Subject")] = pdf_string(subject)
    writer.update_container(info)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def countersign(pdf: bytes, signer: PadesSigner) -> bytes:
    """A second, valid signature in a new field, appended after the registry's seal."""
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        PdfSignatureMetadata(field_name="Contreseing", subfilter=fields.SigSeedSubFilter.PADES),
        signer=signer.key.signer,
        output=output,
    )
    return output.getvalue()


# --- Authentic, revoked -----------------------------------------------------------------


def test_the_kept_original_is_authentic_and_names_its_record_and_signer():
    document = issued_original()
    before = timezone.now()

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.AUTHENTIC
    assert verdict.is_authentic
    assert verdict.document == document
    assert verdict.signer_name == SEAL_NAME
    assert not verdict.timestamped
    # Without a timestamp authority, the time is the one the signer wrote in the seal.
    assert abs((verdict.signed_at - before).total_seconds()) < 60


def test_a_timestamped_original_reports_the_authoritys_time(timestamping):
    document = issued_original()

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.AUTHENTIC
    assert verdict.timestamped
    assert abs((verdict.signed_at - document.issued_at).total_seconds()) < 60


def test_a_timestamp_from_an_authority_we_do_not_trust_is_not_claimed(timestamping, sealing,
                                                                      test_pki):
    document = issued_original()
    sealing.DOCUMENT_TSA_TRUST_ROOTS = str(test_pki / "stranger-root.pem")

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.AUTHENTIC  # the seal itself is ours and intact
    assert not verdict.timestamped


def test_a_revoked_original_is_revoked_not_authentic():
    document = issued_original()
    revoke(document=document, reason="Radiation.", actor=None)

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.REVOKED
    assert not verdict.is_authentic
    assert verdict.document == document
    assert verdict.signer_name == SEAL_NAME


def test_the_registrys_own_seal_is_unknown_once_its_root_is_no_longer_trusted(sealing,
                                                                             test_pki):
    document = issued_original()
    sealing.DOCUMENT_SIGNING_TRUST_ROOTS = str(test_pki / "stranger-root.pem")

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.UNKNOWN_SIGNER
    assert verdict.document is None  # never vouched for by a seal we do not trust


# --- Modified ---------------------------------------------------------------------------


def test_one_changed_byte_is_modified_and_names_nobody():
    document = issued_original()

    verdict = verify_pdf(change_one_byte(read_pdf(document.stored_file)))

    assert verdict.outcome == Outcome.MODIFIED
    assert (verdict.document, verdict.signer_name, verdict.signed_at) == (None, "", None)


def test_an_update_appended_to_a_revoked_original_is_still_modified():
    document = issued_original()
    revoke(document=document, reason="Erreur matérielle.", actor=None)

    verdict = verify_pdf(append_info_update(read_pdf(document.stored_file)))

    assert verdict.outcome == Outcome.MODIFIED
    assert verdict.signer_name == SEAL_NAME  # the seal is ours, the bytes after it are not


def test_a_second_signature_appended_after_our_seal_is_modified(stranger):
    original = read_pdf(issued_original().stored_file)

    verdict = verify_pdf(countersign(original, stranger))

    assert verdict.outcome == Outcome.MODIFIED
    assert verdict.document is None


# --- Not ours, unknown signer, unsigned, unreadable -------------------------------------


def test_our_seal_on_bytes_we_never_kept_is_not_ours():
    verdict = verify_pdf(sealed_certificate())

    assert verdict.outcome == Outcome.NOT_OURS
    assert verdict.signer_name == SEAL_NAME
    assert verdict.document is None


def test_a_lookalike_seal_from_another_root_is_an_unknown_signer(stranger):
    verdict = verify_pdf(sealed_certificate(signer=stranger))

    assert verdict.outcome == Outcome.UNKNOWN_SIGNER
    # The name on the certificate is shown as it is: the verdict, not the name, decides.
    assert verdict.signer_name == SEAL_NAME
    assert verdict.document is None


def test_a_lookalike_seal_on_a_file_we_keep_is_still_an_unknown_signer(stranger):
    """Even if a forged file were in our storage, trust comes from the chain first."""
    forged = keep(sealed_certificate(signer=stranger))

    verdict = verify_pdf(read_pdf(forged.stored_file))

    assert verdict.outcome == Outcome.UNKNOWN_SIGNER


def test_an_unsigned_file_we_issued_is_unsigned_and_points_to_its_record():
    document = keep(render_certificate(CERTIFICATE_FACTS), sealed=False)

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.UNSIGNED
    assert verdict.document == document


def test_an_unsigned_file_we_never_issued_is_unsigned_without_record():
    verdict = verify_pdf(render_certificate(CERTIFICATE_FACTS))

    assert (verdict.outcome, verdict.document) == (Outcome.UNSIGNED, None)


@pytest.mark.parametrize("data", [
    b"",
    b"%PDF-1.7\n%%EOF",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"Ceci est un texte, pas un PDF.",
], ids=["empty", "header-only", "png", "text"])
def test_files_that_are_not_readable_pdfs_are_unreadable_not_errors(data):
    verdict = verify_pdf(data)

    assert verdict.outcome == Outcome.UNREADABLE
    assert verdict.document is None


def test_a_truncated_original_is_unreadable():
    pdf = read_pdf(issued_original().stored_file)

    verdict = verify_pdf(pdf[: len(pdf) * 2 // 3])

    assert verdict.outcome == Outcome.UNREADABLE
    assert verdict.document is None


# --- Judged at the moment of issue ------------------------------------------------------


@pytest.fixture
def short_lived_seal(sealing, tmp_path) -> Path:
    """A root and a seal certificate that expired last year, the root trusted."""
    directory = tmp_path / "expired"
    directory.mkdir()
    root_key, seal_key = pki.new_key(), pki.new_key()
    start = timezone.now() - timedelta(days=400)
    root = pki.issue(subject=pki.name("Racine ancienne", organization="Registre"),
                     key=root_key, usage="ca", days=3650, not_before=start)
    seal = pki.issue(subject=pki.name(SEAL_NAME, organization="Registre"), key=seal_key,
                     issuer=root, issuer_key=root_key, usage="seal", days=30, not_before=start)
    (directory / "root.pem").write_bytes(pki.cert_pem(root))
    (directory / "seal.pem").write_bytes(pki.cert_pem(seal))
    (directory / "seal-key.pem").write_bytes(pki.key_pem(seal_key))
    sealing.DOCUMENT_SIGNING_KEY = str(directory / "seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(directory / "seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(directory / "root.pem")
    sealing.DOCUMENT_SIGNING_TRUST_ROOTS = str(directory / "root.pem")
    return directory


def test_an_original_issued_while_the_certificate_was_valid_stays_authentic(short_lived_seal):
    issued_at = timezone.now() - timedelta(days=390)
    document = keep(sealed_certificate(sealed_at=issued_at), issued_at=issued_at)

    verdict = verify_pdf(read_pdf(document.stored_file))

    assert verdict.outcome == Outcome.AUTHENTIC


def test_without_our_record_an_expired_certificate_is_not_trusted(short_lived_seal):
    verdict = verify_pdf(sealed_certificate())

    assert verdict.outcome == Outcome.UNKNOWN_SIGNER


# --- What the page says -----------------------------------------------------------------


def test_every_outcome_has_its_own_title_and_explanation():
    assert set(EXPLANATIONS) == set(Outcome)
    titles = {Verdict(outcome).title for outcome in Outcome}
    explanations = {str(Verdict(outcome).explanation) for outcome in Outcome}
    assert len(titles) == len(explanations) == len(Outcome)
    assert [outcome for outcome in Outcome if Verdict(outcome).is_authentic] == [
        Outcome.AUTHENTIC
    ]
