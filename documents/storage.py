"""Storing files through Django's storage API (disk here, S3-compatible by settings)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from .models import StoredFile


def store_bytes(*, data: bytes, filename: str, content_type: str) -> StoredFile:
    """Keep data as a new file with its fingerprint; an existing file is never replaced."""
    stored = StoredFile(
        original_name=filename,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stored.file.save(filename, ContentFile(data), save=False)
    stored.save()
    return stored
