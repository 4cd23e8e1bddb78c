"""Is this PDF an original the registry issued? The verdict behind the public upload page.

Authentic means three things at once: the PDF carries an intact PAdES seal, the seal's
certificate chains to the registry's roots, and the bytes are exactly those we keep
(SHA-256). Anything short of that gets the first reason, in French, that explains it.

The page is public and parses whatever it is given, so the work one upload can cause is
bounded: bytes accepted, bytes decompressed, revisions, pages, signatures and wall time.
Beyond those bounds the verdict is "document trop complexe", never a 500 or a stuck worker.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.decode_limits import (
    DecodeLimits,
    DocumentDecodeBudget,
    StreamDecodeLimits,
)
from pyhanko.pdf_utils.generic import ArrayObject, DictionaryObject, IndirectObject
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import selectors
from .models import IssuedDocument
from .signing import tsa_trust_roots, verification_trust_roots

logger = logging.getLogger(__name__)

# What one upload may cost. Our certificates and extracts carry one seal (two with a later
# timestamp), a few pages and one revision per seal; these bounds leave room for that.
MAX_SIGNATURES = 5
MAX_PAGES = 50
MAX_REVISIONS = 10
MAX_SECONDS = 10.0
# The form's field tree is walked before pyHanko walks it (its walk is quadratic in depth).
MAX_FORM_FIELDS = 200
MAX_FIELD_DEPTH = 8
MiB = 1024 * 1024
# Decompressed bytes: at most 16 MiB per stream and 32 MiB for the whole file (zip bombs).
DECODE_LIMITS = DecodeLimits(
    per_stream=StreamDecodeLimits(max_ratio=1100, ratio_floor=MiB, max_output_size=16 * MiB),
    document_budget=DocumentDecodeBudget(base_allowance=32 * MiB, max_ratio=0),
)


class TooComplex(Exception):
    """The file asks for more work than a public verification may do."""


class Outcome(models.TextChoices):
    AUTHENTIC = "authentic", _("Document authentique")
    REVOKED = "revoked", _("Document révoqué")
    MODIFIED = "modified", _("Document modifié")
    UNKNOWN_SIGNER = "unknown_signer", _("Signataire inconnu")
    NOT_OURS = "not_ours", _("Document inconnu du registre")
    UNSIGNED = "unsigned", _("Document non scellé")
    UNREADABLE = "unreadable", _("Fichier illisible")
    TOO_COMPLEX = "too_complex", _("Document trop complexe")


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
    Outcome.TOO_COMPLEX: _(
        "Ce fichier est trop complexe pour être vérifié en ligne (trop de signatures, de "
        "pages, de révisions ou de données) : les documents émis par le registre ne le "
        "sont jamais. Vérifiez-le plutôt avec le code imprimé sur le document."
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
    """The verdict on an uploaded file's bytes, within the bounds above."""
    if len(data) > settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES:
        return Verdict(Outcome.TOO_COMPLEX)
    document = selectors.issued_document_by_sha256(hashlib.sha256(data).hexdigest())
    # Our own record vouches for the signing date, so the seal is judged at that moment:
    # a certificate that expired since does not unmake a document issued while it was valid.
    moment = document.issued_at if document else None
    deadline = time.monotonic() + MAX_SECONDS
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False, decode_limits=DECODE_LIMITS)
        _check_size(reader)
        statuses = []
        for signature in reader.embedded_signatures:
            if time.monotonic() > deadline:
                raise TooComplex("verification took too long")
            statuses.append(_validate(signature, moment))
        if time.monotonic() > deadline:
            raise TooComplex("verification took too long")
    except (TooComplex, PdfDecodeLimitError, RecursionError) as refusal:
        logger.info("Uploaded file refused as too complex: %s", refusal)
        return Verdict(Outcome.TOO_COMPLEX)
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


def _check_size(reader: PdfFileReader) -> None:
    """Refuse before any signature is validated: each validation hashes the whole file and
    compares every revision, so their number, like the pages', must be small."""
    if reader.xrefs.total_revisions > MAX_REVISIONS:
        raise TooComplex(f"{reader.xrefs.total_revisions} revisions")
    pages = reader.root["/Pages"]["/Count"] if "/Pages" in reader.root else 0
    if not isinstance(pages, int) or pages > MAX_PAGES:
        raise TooComplex(f"{pages} pages")
    _check_form(reader)
    for count, _field in enumerate(enumerate_sig_fields(reader, filled_status=True), 1):
        if count > MAX_SIGNATURES:
            raise TooComplex("too many signatures")


def _check_form(reader: PdfFileReader) -> None:
    """At most MAX_FORM_FIELDS fields, at most MAX_FIELD_DEPTH levels of /Kids."""
    if "/AcroForm" not in reader.root:
        return
    form = reader.root["/AcroForm"]  # dereferenced, unlike .get()
    if not isinstance(form, DictionaryObject) or "/Fields" not in form:
        return
    seen = set()
    fields = 0
    pending = [(form["/Fields"], 1)]
    while pending:
        kids, depth = pending.pop()
        if not isinstance(kids, ArrayObject):
            continue
        if depth > MAX_FIELD_DEPTH:
            raise TooComplex("form fields nested too deep")
        for index in range(len(kids)):
            raw = kids.raw_get(index)
            if isinstance(raw, IndirectObject):
                if raw.reference in seen:
                    continue
                seen.add(raw.reference)
            fields += 1
            if fields > MAX_FORM_FIELDS:
                raise TooComplex("too many form fields")
            field = kids[index]
            if isinstance(field, DictionaryObject) and "/Kids" in field:
                pending.append((field["/Kids"], depth + 1))


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
