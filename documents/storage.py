"""Storing files through Django's storage API (disk here, S3-compatible by settings)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile

from .models import StoredFile


def store_bytes(*, data: bytes, filename: str, content_type: str) -> StoredFile:
    """Keep data as a new file with its fingerprint; an existing file is never replaced."""
    return record_written(write_bytes(data=data, filename=filename, content_type=content_type))


@dataclass(frozen=True)
class WrittenFile:
    """Bytes already in storage, not yet on record: the I/O done before any row lock."""

    name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def write_bytes(*, data: bytes, filename: str, content_type: str) -> WrittenFile:
    """Put the bytes in storage under a new name (no database row, no transaction)."""
    field = StoredFile._meta.get_field("file")
    name = field.storage.save(field.generate_filename(None, filename), ContentFile(data))
    return WrittenFile(name=name, original_name=filename, content_type=content_type,
                       size=len(data), sha256=hashlib.sha256(data).hexdigest())


def record_written(written: WrittenFile) -> StoredFile:
    """The row that keeps written bytes (inside the caller's transaction)."""
    stored = StoredFile(original_name=written.original_name, content_type=written.content_type,
                        size=written.size, sha256=written.sha256)
    stored.file.name = written.name
    stored.save()
    return stored


def discard_written(written: WrittenFile) -> None:
    """Remove bytes that never went on record (e.g. a duplicate lost a race)."""
    StoredFile._meta.get_field("file").storage.delete(written.name)
