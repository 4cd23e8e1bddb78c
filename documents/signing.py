"""The seam where issued PDFs are sealed with the registry's key.

settings.DOCUMENT_SIGNER names the class. PAdES signing with pyHanko plugs in here; until
it is configured, documents go out unsigned and say so on the page.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class Signer(Protocol):
    signs: bool

    def sign(self, pdf: bytes) -> bytes: ...


class UnsignedSigner:
    """Development default: returns the PDF as it is."""

    signs = False

    def sign(self, pdf: bytes) -> bytes:
        return pdf


def get_signer() -> Signer:
    return import_string(settings.DOCUMENT_SIGNER)()
