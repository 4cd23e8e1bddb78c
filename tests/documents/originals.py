"""Sealed originals kept as the registry keeps them, built from the renderer, the signer and
the storage directly: issuing.issue_document is being reworked, these tests must not lean
on it. No assertions here."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from documents import codes
from documents.certificates import CertificateFacts, render_certificate
from documents.layout import SEAL_BOX, SealMark, Verification
from documents.models import DocumentKind, IssuedDocument
from documents.signing import PadesSigner, SealField
from documents.storage import store_bytes

from .conftest import BASE_URL
from .helpers import CERTIFICATE_FACTS


def sealed_certificate(*, signer: PadesSigner | None = None, code: str | None = None,
                       facts: CertificateFacts = CERTIFICATE_FACTS,
                       sealed_at: datetime | None = None) -> bytes:
    """The certificate drawn with its code and stamp, then sealed (by default with the
    registry's test seal from the settings)."""
    signer = signer or PadesSigner()
    code = code or codes.new_code()
    grouped = codes.grouped(code)
    pdf = render_certificate(
        facts,
        verification=Verification(code=grouped, url=f"{BASE_URL}/verifier/{grouped}/"),
        seal=SealMark(signer_name=signer.seal_name, sealed_at=sealed_at or timezone.now(),
                      timestamped=signer.timestamps),
    )
    return signer.sign(pdf, field=SealField(box=SEAL_BOX), reason=f"Certificat {grouped}")


def keep(pdf: bytes, *, code: str | None = None, sealed: bool = True,
         facts: CertificateFacts = CERTIFICATE_FACTS,
         issued_at: datetime | None = None) -> IssuedDocument:
    """Record `pdf` as an issued certificate, the way the register keeps its originals."""
    stored = store_bytes(data=pdf, filename=facts.filename(), content_type="application/pdf")
    return IssuedDocument.objects.create(
        kind=DocumentKind.CERTIFICATE,
        verification_code=code or codes.new_code(),
        stored_file=stored,
        sealed=sealed,
        public_facts=facts.public_facts(),
        issued_at=issued_at or timezone.now(),
    )


def issued_original(**kwargs) -> IssuedDocument:
    """A sealed certificate, kept: what a holder of a genuine original uploads."""
    code = codes.new_code()
    return keep(sealed_certificate(code=code, **kwargs), code=code)
