"""Storing files through Django's storage API (disk here, S3-compatible by settings).

Applicants' uploads hold personal data (identity cards, leases...): they are written
encrypted (Fernet from the `cryptography` library: AES-128-CBC with an HMAC-SHA256, key
DOCUMENTS_ENCRYPTION_KEY) behind a marker, and read back in clear through SealedStorage, the
storage of StoredFile. Files written before encryption, and the certificates and extracts
the registry issues (public documents, verified by anyone), have no marker and are read as
they are. The SHA-256 and size on record are always those of the plaintext.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.deconstruct import deconstructible

if TYPE_CHECKING:
    from .models import StoredFile

# Starts every encrypted file; no accepted upload (PDF, JPEG, PNG) starts with it.
SEALED_MARKER = b"GUICHET-SEALED-1\n"


class SealedFileError(Exception):
    """An encrypted file cannot be read: another key, or its bytes were altered."""


def _cipher() -> MultiFernet:
    # The current key encrypts; older keys (DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS) still decrypt.
    keys = [settings.DOCUMENTS_ENCRYPTION_KEY,
            *getattr(settings, "DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS", ())]
    try:
        return MultiFernet([Fernet(key) for key in keys if key])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "DOCUMENTS_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from error


def seal(data: bytes) -> bytes:
    """The bytes as they are kept on storage: marker, then the Fernet token."""
    return SEALED_MARKER + _cipher().encrypt(data)


def unseal(data: bytes) -> bytes:
    """The plaintext of kept bytes; bytes without the marker were written in clear."""
    if not data.startswith(SEALED_MARKER):
        return data
    try:
        return _cipher().decrypt(data[len(SEALED_MARKER):])
    except InvalidToken as error:
        raise SealedFileError(
            "An encrypted document cannot be decrypted: it was encrypted with another key "
            "than DOCUMENTS_ENCRYPTION_KEY (or DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS), or its "
            "bytes were altered."
        ) from error


def is_sealed(data: bytes) -> bool:
    return data.startswith(SEALED_MARKER)


@deconstructible(path="documents.storage.SealedStorage")
class SealedStorage(Storage):
    """The default storage, through which encrypted files are opened in clear.

    Every call goes to `storages["default"]` (looked up each time, so settings overridden
    in tests apply); only reading differs: the file is read whole and decrypted.
    """

    @staticmethod
    def _inner() -> Storage:
        return storages["default"]

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Stored files are written once, through write_bytes().")
        with self._inner().open(name, "rb") as handle:
            data = handle.read()
        return ContentFile(unseal(data), name=name)

    def save(self, name, content, max_length=None):
        return self._inner().save(name, content, max_length=max_length)

    def _save(self, name, content):
        raise NotImplementedError("save() is delegated to the default storage.")

    def delete(self, name):
        return self._inner().delete(name)

    def exists(self, name):
        return self._inner().exists(name)

    def listdir(self, path):
        return self._inner().listdir(path)

    def size(self, name):
        # On storage: an encrypted file is larger than its plaintext (StoredFile.size).
        return self._inner().size(name)

    def url(self, name):
        return self._inner().url(name)

    def path(self, name):
        return self._inner().path(name)

    def get_valid_name(self, name):
        return self._inner().get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self._inner().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self._inner().generate_filename(filename)

    def get_accessed_time(self, name):
        return self._inner().get_accessed_time(name)

    def get_created_time(self, name):
        return self._inner().get_created_time(name)

    def get_modified_time(self, name):
        return self._inner().get_modified_time(name)


def sealed_storage() -> SealedStorage:
    """StoredFile's storage (a callable, so migrations name it rather than its settings)."""
    return SealedStorage()


def _stored_file_model() -> type[StoredFile]:
    # Looked up when used: models.py names this module's storage when it is defined.
    return apps.get_model("documents", "StoredFile")


def store_bytes(*, data: bytes, filename: str, content_type: str,
                encrypt: bool = False) -> StoredFile:
    """Keep data as a new file with its fingerprint; an existing file is never replaced."""
    return record_written(write_bytes(data=data, filename=filename, content_type=content_type,
                                      encrypt=encrypt))


@dataclass(frozen=True)
class WrittenFile:
    """Bytes already in storage, not yet on record: the I/O done before any row lock."""

    name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def write_bytes(*, data: bytes, filename: str, content_type: str,
                encrypt: bool = False) -> WrittenFile:
    """Put the bytes in storage under a new name (no database row, no transaction).

    With `encrypt`, what reaches the storage is the encrypted form (see seal()); the size
    and SHA-256 returned are always those of `data`, the plaintext.
    """
    field = _stored_file_model()._meta.get_field("file")
    content = ContentFile(seal(data) if encrypt else data)
    name = field.storage.save(field.generate_filename(None, filename), content)
    return WrittenFile(name=name, original_name=filename, content_type=content_type,
                       size=len(data), sha256=hashlib.sha256(data).hexdigest())


def record_written(written: WrittenFile) -> StoredFile:
    """The row that keeps written bytes (inside the caller's transaction)."""
    stored = _stored_file_model()(
        original_name=written.original_name, content_type=written.content_type,
        size=written.size, sha256=written.sha256)
    stored.file.name = written.name
    stored.save()
    return stored


def discard_written(written: WrittenFile) -> None:
    """Remove bytes that never went on record (e.g. a duplicate lost a race)."""
    _stored_file_model()._meta.get_field("file").storage.delete(written.name)


def _walk(storage, path: str):
    if not storage.exists(path):
        return
    folders, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for folder in folders:
        yield from _walk(storage, f"{path}/{folder}")


def sweep_unrecorded(*, older_than: timedelta) -> list[str]:
    """Delete bytes write_bytes() left without a StoredFile row.

    A process that dies between writing a file and committing its row (a worker killed
    while sealing a certificate, a request cut during an upload) never runs its discard:
    the bytes would stay for good, an applicant's encrypted identity scan among them. Files
    are written under documents/<year>/<month>/; this month's and last month's folders are
    looked at, and only files older than any run that could still commit.
    """
    model = _stored_file_model()
    storage = model._meta.get_field("file").storage
    now = timezone.now()
    last_month = now - timedelta(days=now.day)
    removed = []
    for month in sorted({f"documents/{now:%Y/%m}", f"documents/{last_month:%Y/%m}"}):
        for name in _walk(storage, month):
            if (storage.get_modified_time(name) < now - older_than
                    and not model.objects.filter(file=name).exists()):
                storage.delete(name)
                removed.append(name)
    return removed
