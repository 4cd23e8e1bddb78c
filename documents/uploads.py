"""Applicants' supporting documents (identity card scan, lease, signed statutes...): checked
by their content, kept once with their SHA-256, replaced by new versions, never overwritten.

The type is decided by the first bytes of the file (PDF, JPEG or PNG), never by its name
or the content type the browser declares; the name's extension must agree with it, so a
PNG renamed ".pdf" is refused with a message that says what the file really is.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workflows import audit

from .models import StoredFile, SupportingDocument, validate_requirement
from .storage import WrittenFile, discard_written, record_written, write_bytes

logger = logging.getLogger(__name__)

MEBIBYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MEBIBYTE
CHUNK_SIZE = 64 * 1024
# A concurrent upload for the same requirement makes our insert collide with the database's
# "one current version" constraint; trying again then sees the other version and follows it.
ATTEMPTS = 3
_NAME_LIMIT = 200  # StoredFile.original_name


class UploadRejected(Exception):
    """The file cannot be accepted; the message, in the user's language, says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str  # the one a stored file gets
    name_extensions: tuple[str, ...]  # the ones a name may end with
    label: str  # "un document PDF": lazily translated, used inside sentences
    signature: bytes


FILE_TYPES = (
    FileType("application/pdf", "pdf", ("pdf",), gettext_lazy("un document PDF"), b"%PDF-"),
    FileType("image/jpeg", "jpg", ("jpg", "jpeg"), gettext_lazy("une image JPEG"),
             b"\xff\xd8\xff"),
    FileType("image/png", "png", ("png",), gettext_lazy("une image PNG"),
             b"\x89PNG\r\n\x1a\n"),
)
_SIGNATURE_LENGTH = max(len(kind.signature) for kind in FILE_TYPES)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its real type, its size and fingerprint, and its bytes."""

    content_type: str
    extension: str
    size: int
    sha256: str
    data: bytes = field(repr=False)


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def format_size(size: int) -> str:
    """A size as people read it, in the current language: "10 Mo", "2,5 Mo", "512 Ko"."""
    if size >= MEBIBYTE:
        return _("%(size)s Mo") % {"size": _short_number(size / MEBIBYTE)}
    if size >= 1024:
        return _("%(size)s Ko") % {"size": _short_number(size / 1024)}
    return ngettext("%(size)s octet", "%(size)s octets", size) % {"size": size}


def _short_number(value: float) -> str:
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return formats.number_format(rounded, decimal_pos=1)


def detect_type(head: bytes) -> FileType | None:
    """The type the first bytes of a file announce, if it is one we accept."""
    for kind in FILE_TYPES:
        if head.startswith(kind.signature):
            return kind
    return None


def check_upload(uploaded_file) -> CheckedFile:
    """Check an uploaded file (Django File) and read it once, in chunks.

    Refused, with UploadRejected: an empty file, a file over DOCUMENT_UPLOAD_MAX_BYTES
    (by its known size before reading anything, and again while reading in case the size
    was wrong), anything but PDF, JPEG or PNG, and a name whose extension says otherwise.
    """
    name = display_name(uploaded_file.name) or "document"
    limit = max_upload_bytes()
    declared = getattr(uploaded_file, "size", None)
    if declared is not None:
        if declared > limit:
            raise _too_large(name, limit)
        if declared == 0:
            raise _empty(name)

    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    kind: FileType | None = None
    for chunk in uploaded_file.chunks(chunk_size=CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise _too_large(name, limit)
        digest.update(chunk)
        parts.append(chunk)
        if kind is None and (size >= _SIGNATURE_LENGTH):
            kind = _identify(name, b"".join(parts)[:_SIGNATURE_LENGTH])
    if size == 0:
        raise _empty(name)
    if kind is None:  # shorter than a signature
        kind = _identify(name, b"".join(parts))
    return CheckedFile(content_type=kind.content_type, extension=kind.extension, size=size,
                       sha256=digest.hexdigest(), data=b"".join(parts))


def _identify(name: str, head: bytes) -> FileType:
    kind = detect_type(head)
    if kind is None:
        raise UploadRejected(_(
            "Le fichier « %(name)s » n'est ni un document PDF, ni une image JPEG ou PNG : "
            "seuls ces formats sont acceptés."
        ) % {"name": name})
    extension = _extension(name)
    if not extension or extension in kind.name_extensions:
        return kind
    claimed = next((other for other in FILE_TYPES if extension in other.name_extensions), None)
    if claimed is not None:
        raise UploadRejected(_(
            "Le fichier « %(name)s » n'est pas %(claimed)s, bien que son nom l'indique : "
            "c'est en réalité %(real)s. Envoyez %(claimed)s, ou renommez le fichier "
            "avec l'extension .%(extension)s."
        ) % {"name": name, "claimed": claimed.label, "real": kind.label,
             "extension": kind.extension})
    raise UploadRejected(_(
        "Le nom du fichier « %(name)s » se termine par .%(given)s, mais son contenu est "
        "%(real)s : renommez-le avec l'extension .%(extension)s."
    ) % {"name": name, "given": extension, "real": kind.label, "extension": kind.extension})


def _too_large(name: str, limit: int) -> UploadRejected:
    return UploadRejected(_(
        "Le fichier « %(name)s » dépasse la taille maximale autorisée (%(limit)s)."
    ) % {"name": name, "limit": format_size(limit)})


def _empty(name: str) -> UploadRejected:
    return UploadRejected(_("Le fichier « %(name)s » est vide.") % {"name": name})


def display_name(name: str | None) -> str:
    """The file's own name, without any folder a browser may send, or control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    return "".join(char for char in base if char.isprintable()).strip()


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def stored_name(name: str | None, extension: str) -> str:
    """The name a checked file is kept under: its own, ending with the real extension."""
    base = display_name(name)
    stem = base.rpartition(".")[0] if "." in base else base
    stem = stem.strip(". ") or "document"
    return f"{stem[:_NAME_LIMIT - len(extension) - 1]}.{extension}"


# --- Keeping them ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedUpload:
    """A checked file whose bytes are already in storage, not yet kept for anyone."""

    written: WrittenFile


def prepare_upload(uploaded_file) -> PreparedUpload:
    """Check a file and write its bytes (the slow part, done before any row lock).

    UploadRejected is raised before anything is written. Then keep_upload() makes it a
    version of a requirement, or discard_upload() removes the bytes.
    """
    checked = check_upload(uploaded_file)
    # Applicants' files hold personal data: encrypted at rest (see storage.py).
    return PreparedUpload(write_bytes(
        data=checked.data, filename=stored_name(uploaded_file.name, checked.extension),
        content_type=checked.content_type, encrypt=True))


def discard_upload(prepared: PreparedUpload) -> None:
    try:
        discard_written(prepared.written)
    except Exception:
        logger.exception("Could not remove %s after a failed upload", prepared.written.name)


def keep_upload(*, subject, requirement: str, prepared: PreparedUpload,
                user) -> SupportingDocument:
    """Make a prepared file the current version of the subject's requirement (rows only).

    The version it replaces (if any) stays, no longer current, linked by `replaces`; both
    files stay on storage. Two uploads racing for one requirement are retried in order.
    """
    return _keep(_target(subject, requirement), requirement, prepared, user)


def attach(*, subject, requirement: str, uploaded_file, user) -> SupportingDocument:
    """Check a file, keep it, and make it the current version of the subject's requirement.

    UploadRejected is raised before anything is written; any later failure leaves no row
    and removes the bytes already written.
    """
    target = _target(subject, requirement)
    prepared = prepare_upload(uploaded_file)
    try:
        return _keep(target, requirement, prepared, user)
    except BaseException:
        discard_upload(prepared)
        raise


def _target(subject, requirement: str) -> tuple[ContentType, int]:
    """The subject's key, once the subject and the requirement are known to be valid."""
    key = _subject_key(subject)
    try:
        validate_requirement(requirement)
    except ValidationError as error:
        raise ValueError(f"Invalid requirement {requirement!r}.") from error
    return key


def _keep(target: tuple[ContentType, int], requirement: str, prepared: PreparedUpload,
          user) -> SupportingDocument:
    subject_type, subject_id = target
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with audit.atomic():
                return _add_version(subject_type=subject_type, subject_id=subject_id,
                                    requirement=requirement, written=prepared.written,
                                    user=user)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _add_version(*, subject_type: ContentType, subject_id: int, requirement: str,
                 written: WrittenFile, user) -> SupportingDocument:
    previous = _current_for_update(subject_type, subject_id, requirement)
    stored = record_written(written)
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    return SupportingDocument.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        requirement=requirement,
        stored_file=stored,
        version=previous.version + 1 if previous else 1,
        replaces=previous,
        uploaded_by=user,
        is_current=True,
    )


def _current_for_update(subject_type: ContentType, subject_id: int,
                        requirement: str) -> SupportingDocument | None:
    return SupportingDocument.objects.select_for_update().filter(
        subject_type=subject_type, subject_id=subject_id, requirement=requirement,
        is_current=True,
    ).first()


def _subject_key(subject) -> tuple[ContentType, int]:
    if subject is None or subject.pk is None:
        raise ValueError("The subject of a supporting document must be saved first.")
    return ContentType.objects.get_for_model(subject), subject.pk


# --- Reading them ----------------------------------------------------------------------


def current_documents(subject) -> dict[str, SupportingDocument]:
    """The current version of each requirement the subject has a file for."""
    subject_type, subject_id = _subject_key(subject)
    rows = SupportingDocument.objects.filter(
        subject_type=subject_type, subject_id=subject_id, is_current=True
    ).select_related("stored_file", "uploaded_by").order_by("requirement")
    return {row.requirement: row for row in rows}


def versions(subject, requirement: str) -> QuerySet[SupportingDocument]:
    """Every version kept for one requirement of the subject, the first one first."""
    subject_type, subject_id = _subject_key(subject)
    return SupportingDocument.objects.filter(
        subject_type=subject_type, subject_id=subject_id, requirement=requirement
    ).select_related("stored_file", "uploaded_by").order_by("version")


# --- Erasing them (personal data, law 2019-014) ----------------------------------------
# The caller decides what the law no longer requires to keep (privacy app); these only
# erase. A StoredFile row is never deleted (see retention.py): it stays as a tombstone
# with its fingerprint, without its bytes, its name or its path.


@audit.requires_transaction
def erase_superseded_version(*, document: SupportingDocument, reason: str, actor=None,
                             now=None) -> bool:
    """Erase the file of a version that was replaced; its row stays in the version chain.

    False when it was already erased. The bytes go once the transaction commits.
    """
    if document.is_current:
        raise ValueError("The current version of a document is not superseded.")
    stored = StoredFile.objects.select_for_update().get(pk=document.stored_file_id)
    if stored.erased_at is not None:
        return False
    _erase_stored_file(stored, reason=reason, actor=actor, now=now)
    return True


@audit.requires_transaction
def erase_subject_documents(*, subject, reason: str, actor=None, now=None) -> int:
    """Delete every version kept for the subject and erase their files (the subject itself
    is being erased). Returns how many versions were deleted."""
    subject_type, subject_id = _subject_key(subject)
    rows = list(SupportingDocument.objects.select_for_update().filter(
        subject_type=subject_type, subject_id=subject_id).order_by("-version", "-pk"))
    for row in rows:  # the latest first: a version protects the one it replaces
        stored = StoredFile.objects.select_for_update().get(pk=row.stored_file_id)
        row.delete()
        if stored.erased_at is None:
            _erase_stored_file(stored, reason=reason, actor=actor, now=now)
    return len(rows)


def _erase_stored_file(stored: StoredFile, *, reason: str, actor, now) -> None:
    reason = reason.strip()
    if not reason:
        raise ValueError("An erasure needs a reason.")
    name, storage = stored.file.name, stored.file.storage
    stored.erased_at = now or timezone.now()
    stored.erasure_reason = reason
    stored.original_name = StoredFile.ERASED_NAME
    stored.file.name = ""
    stored.save(update_fields=sorted(StoredFile.ERASURE_FIELDS))
    audit.record(obj=stored, action="privacy_erase", from_state="kept", to_state="erased",
                 actor=actor, comment=reason)
    if name:
        # The bytes go once the erasure is on record; a failure leaves them, never the reverse.
        transaction.on_commit(lambda: _delete_quietly(storage, name))


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not remove the erased file %s", name)
