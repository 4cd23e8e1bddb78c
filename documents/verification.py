"""Is this PDF an original the registry issued? The verdict behind the public upload page.

Authentic means three things at once: the PDF carries an intact PAdES seal, the seal's
certificate chains to the registry's roots, and the bytes are exactly those we keep
(SHA-256). Anything short of that gets the first reason, in French, that explains it.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import selectors
from .models import IssuedDocument
from .signing import tsa_trust_roots, verification_trust_roots

logger = logging.getLogger(__name__)


class Outcome(models.TextChoices):
    AUTHENTIC = "authentic", _("Document authentique")
    REVOKED = "revoked", _("Document révoqué")
    MODIFIED = "modified", _("Document modifié")
    UNKNOWN_SIGNER = "unknown_signer", _("Signataire inconnu")
    NOT_OURS = "not_ours", _("Document inconnu du registre")
    UNSIGNED = "unsigned", _("Document non scellé")
    UNREADABLE = "unreadable", _("Fichier illisible")


EXPLANATIONS = {
    Outcome.AUTHENTIC: _(
        "Ce document est scellé par le registre, son contenu est intact et il est "
        "identique à l'original que nous conservons."
    ),
    Outcome.REVOKED: _(
        "Ce document a bien été émis par le registre, mais il a été révoqué : "
        "il ne fait plus foi."
    ),
    Outcome.MODIFIED: _(
        "Ce document a été modifié après son scellement : il ne fait pas foi. "
        "Demandez l'original à son détenteur ou vérifiez-le avec son code."
    ),
    Outcome.UNKNOWN_SIGNER: _(
        "Ce document porte une signature électronique, mais pas celle du registre : "
        "son signataire nous est inconnu."
    ),
    Outcome.NOT_OURS: _(
        "Ce document porte le sceau du registre, mais il ne correspond à aucun document "
        "que nous avons émis."
    ),
    Outcome.UNSIGNED: _(
        "Ce document ne porte aucun sceau électronique : son authenticité ne peut pas "
        "être établie."
    ),
    Outcome.UNREADABLE: _(
        "Ce fichier n'a pas pu être lu comme un document PDF : il est endommagé ou "
        "a été modifié."
    ),
}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    document: IssuedDocument | None = None
    signer_name: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False

    @property
    def is_authentic(self) -> bool:
        return self.outcome == Outcome.AUTHENTIC

    @property
    def title(self) -> str:
        return self.outcome.label

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.outcome]


def verify_pdf(data: bytes) -> Verdict:
    """The verdict on an uploaded file's bytes."""
    document = selectors.issued_document_by_sha256(hashlib.sha256(data).hexdigest())
    # Our own record vouches for the signing date, so the seal is judged at that moment:
    # a certificate that expired since does not unmake a document issued while it was valid.
    moment = document.issued_at if document else None
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        statuses = [_validate(signature, moment) for signature in signatures]
    except Exception:
        # A public page parses arbitrary files: any failure to read is a verdict, not a 500.
        logger.info("Uploaded file could not be read as a signed PDF", exc_info=True)
        return Verdict(Outcome.UNREADABLE)
    if not statuses:
        return Verdict(Outcome.UNSIGNED, document=document)
    if not all(status.intact and status.valid for status in statuses):
        return Verdict(Outcome.MODIFIED)
    trusted = [status for status in statuses if status.trusted]
    if not trusted:
        return Verdict(Outcome.UNKNOWN_SIGNER, **_signature_details(statuses[-1]))
    details = _signature_details(trusted[-1])
    if document is None:
        # Sealed by us and intact, yet not our bytes: an update appended after the seal, or
        # a file that never went through our register.
        if any(status.coverage != SignatureCoverageLevel.ENTIRE_FILE for status in trusted):
            return Verdict(Outcome.MODIFIED, **details)
        return Verdict(Outcome.NOT_OURS, **details)
    if document.is_revoked:
        return Verdict(Outcome.REVOKED, document=document, **details)
    return Verdict(Outcome.AUTHENTIC, document=document, **details)


def _validate(signature, moment: datetime | None) -> PdfSignatureStatus:
    return validate_pdf_signature(
        signature,
        signer_validation_context=ValidationContext(
            trust_roots=list(verification_trust_roots()), moment=moment
        ),
        ts_validation_context=ValidationContext(
            trust_roots=list(tsa_trust_roots()), moment=moment
        ),
    )


def _signature_details(status: PdfSignatureStatus) -> dict:
    timestamp = status.timestamp_validity
    timestamped = bool(timestamp and timestamp.intact and timestamp.valid and timestamp.trusted)
    subject = status.signing_cert.subject.native
    return {
        "signer_name": subject.get("common_name") or subject.get("organization_name") or "",
        "signed_at": timestamp.timestamp if timestamped else status.signer_reported_dt,
        "timestamped": timestamped,
    }
