"""The RCCM extract sealed after each inscription, with the register's facts as they stand
(registry.register.extract_facts, shared with the owner's "extrait à jour").

Sealed through documents' public functions; drawn and sealed before any row is locked."""

from __future__ import annotations

from django.db import transaction

from documents.issuing import discard_document, keep_document, seal_document
from documents.models import DocumentKind
from registry.register import extract_facts
from workflows import audit

from .models import Amendment, AmendmentState


def issue_extract(*, amendment_id: int) -> Amendment:
    """Seal the up-to-date extract for an approved filing, once (a rerun does nothing)."""
    amendment = Amendment.objects.select_related("company__application").get(pk=amendment_id)
    if amendment.extract_id or amendment.state != AmendmentState.APPROVED:
        return amendment
    sealed = seal_document(kind=DocumentKind.RCCM_EXTRACT,
                           facts=extract_facts(amendment.company))
    try:
        with audit.atomic():
            amendment = Amendment.objects.select_for_update().get(pk=amendment_id)
            if amendment.extract_id:
                transaction.on_commit(lambda: discard_document(sealed))
                return amendment
            amendment.extract = keep_document(sealed)
            amendment.save(update_fields=["extract"])
            audit.record(obj=amendment, action="extract", from_state=amendment.state,
                         to_state=amendment.state, actor=None,
                         comment=amendment.extract.verification_code)
    except BaseException:
        discard_document(sealed)
        raise
    return amendment
