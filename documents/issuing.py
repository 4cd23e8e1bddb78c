"""Issuing and revoking sealed documents: one service for every kind the registry delivers.

A kind is a facts dataclass (with public_facts() and filename()) and a renderer that draws
the page with its verification code and seal stamp. Payment receipts plug in the same way:
add the kind to DocumentKind and a line to KINDS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from workflows import audit

from . import codes
from .certificates import CertificateFacts, render_certificate
from .layout import SEAL_BOX, SealMark, Verification
from .models import DocumentKind, IssuedDocument
from .rccm_extract import RccmExtractFacts, render_rccm_extract
from .receipts import ReceiptFacts, render_receipt
from .signing import SealField, Signer, get_signer
from .storage import WrittenFile, discard_written, record_written, write_bytes


class DocumentError(Exception):
    """A request the document's state does not allow; the message is for the user."""


@dataclass(frozen=True)
class _Kind:
    facts_type: type
    render: Callable[..., bytes]


KINDS: dict[str, _Kind] = {
    DocumentKind.CERTIFICATE: _Kind(CertificateFacts, render_certificate),
    DocumentKind.RCCM_EXTRACT: _Kind(RccmExtractFacts, render_rccm_extract),
    DocumentKind.RECEIPT: _Kind(ReceiptFacts, render_receipt),
}


def verification_base_url() -> str:
    """Where the public verification pages live (DOCUMENT_VERIFICATION_BASE_URL, SITE_URL)."""
    return (settings.DOCUMENT_VERIFICATION_BASE_URL
            or getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def verification_url(code: str) -> str:
    """The public page of a code, absolute: it goes into the QR code."""
    return verification_base_url() + reverse("documents:verify_code",
                                             kwargs={"code": codes.grouped(code)})


def produce_pdf(*, kind: str, facts: Any, code: str, signer: Signer,
                sealed_at: datetime) -> bytes:
    """Draw the document with its code and stamp, then seal it. No database needed."""
    spec = KINDS[kind]
    if not isinstance(facts, spec.facts_type):
        raise TypeError(f"{kind} needs {spec.facts_type.__name__}, not {type(facts).__name__}")
    if hasattr(facts, "signed"):  # the page says "non scellé" exactly when no seal follows
        facts = replace(facts, signed=signer.signs)
    seal = SealMark(signer_name=signer.seal_name, sealed_at=sealed_at,
                    timestamped=signer.timestamps) if signer.signs else None
    pdf = spec.render(
        facts,
        verification=Verification(code=codes.grouped(code), url=verification_url(code)),
        seal=seal,
    )
    with override("fr"):
        reason = f"{DocumentKind(kind).label} {codes.grouped(code)}"
    return signer.sign(pdf, field=SealField(box=SEAL_BOX) if signer.signs else None,
                       reason=reason)


@dataclass(frozen=True)
class SealedDocument:
    """A document drawn, sealed and written to storage, not yet issued (no row yet)."""

    kind: str
    code: str
    issued_at: datetime
    sealed: bool
    public_facts: dict
    written: WrittenFile


def seal_document(*, kind: str, facts: Any, public_facts: dict | None = None,
                  signer: Signer | None = None) -> SealedDocument:
    """The slow part of issuing, done outside any transaction or row lock: draw, seal (and
    timestamp, when a TSA is set), write the bytes. keep_document() then issues it, or
    discard_document() drops it."""
    signer = signer or get_signer()
    code = _free_code()
    issued_at = timezone.now()
    pdf = produce_pdf(kind=kind, facts=facts, code=code, signer=signer, sealed_at=issued_at)
    written = write_bytes(data=pdf, filename=facts.filename(), content_type="application/pdf")
    return SealedDocument(
        kind=kind, code=code, issued_at=issued_at, sealed=signer.signs,
        public_facts=facts.public_facts() if public_facts is None else public_facts,
        written=written,
    )


@audit.requires_transaction
def keep_document(sealed: SealedDocument) -> IssuedDocument:
    """Issue a sealed document: its two rows, in the caller's transaction (no I/O here)."""
    return IssuedDocument.objects.create(
        kind=sealed.kind,
        verification_code=sealed.code,
        stored_file=record_written(sealed.written),
        sealed=sealed.sealed,
        public_facts=sealed.public_facts,
        issued_at=sealed.issued_at,
    )


def discard_document(sealed: SealedDocument) -> None:
    """Drop a sealed document that will never be issued (a concurrent run issued first)."""
    discard_written(sealed.written)


def issue_document(*, kind: str, facts: Any, public_facts: dict | None = None,
                   signer: Signer | None = None) -> IssuedDocument:
    """Draw, seal and keep a document; returns its record, whose stored_file is the PDF.

    public_facts defaults to facts.public_facts(). Drawing, sealing and writing happen
    before the two rows are written in one transaction.
    """
    sealed = seal_document(kind=kind, facts=facts, public_facts=public_facts, signer=signer)
    try:
        with transaction.atomic():
            return keep_document(sealed)
    except BaseException:
        discard_document(sealed)
        raise


def _free_code() -> str:
    # Collisions are astronomically rare; the unique constraint is the real guard.
    while True:
        code = codes.new_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code


def revoke(*, document: IssuedDocument, reason: str, actor,
           public_reason: str | None = None) -> IssuedDocument:
    """Mark the document revoked, for everyone who verifies it from now on; audited.

    `reason` is the registry's own record; the public verification shows `public_reason`
    instead (left out, the reason itself is public, as it always was).
    """
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("Indiquez le motif de la révocation."))
    public_reason = reason if public_reason is None else public_reason.strip()
    with audit.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.is_revoked:
            raise DocumentError(_("Ce document est déjà révoqué."))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.public_reason = public_reason
        locked.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["revoked_at", "revocation_reason", "public_reason",
                                   "revoked_by"])
        audit.record(obj=locked, action="revoke", from_state="valid", to_state="revoked",
                     actor=actor, comment=reason)
    document.refresh_from_db()
    return document
