"""Reads of issued documents. The verification pages are public: what they may show is
decided by IssuedDocument.public_fact_rows (a whitelist), never by the caller."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType

from . import codes
from .models import DocumentKind, IssuedDocument, SupportingDocument


def issued_document_by_code(text: str) -> IssuedDocument | None:
    """The document a typed or scanned code names (dashes, spaces and case forgiven)."""
    code = codes.normalize(text)
    if code is None:
        return None
    return IssuedDocument.objects.select_related("stored_file").filter(
        verification_code=code
    ).first()


def issued_document_by_sha256(sha256: str) -> IssuedDocument | None:
    return IssuedDocument.objects.select_related("stored_file").filter(
        stored_file__sha256=sha256
    ).first()


def extract_of_the_day(*, rccm_number: str, day: date) -> IssuedDocument | None:
    """The latest standing RCCM extract sealed for this company on this day, if any."""
    return IssuedDocument.objects.filter(
        kind=DocumentKind.RCCM_EXTRACT, revoked_at__isnull=True,
        public_facts__rccm_number=rccm_number, public_facts__as_of=day.isoformat(),
    ).order_by("-issued_at").first()


def supporting_document_of(subject, document_id: int) -> SupportingDocument | None:
    """One supporting document (any version) kept for this subject, with its file."""
    return SupportingDocument.objects.select_related("stored_file").filter(
        pk=document_id, subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk, stored_file__erased_at__isnull=True,  # erased: gone
    ).first()
