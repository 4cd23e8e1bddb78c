"""Reads of issued documents. The verification pages are public: what they may show is
decided by IssuedDocument.public_fact_rows (a whitelist), never by the caller."""

from __future__ import annotations

from . import codes
from .models import IssuedDocument


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
