"""System checks: production refuses to seal with no key, the development key, or none.

They run with every management command (migrate before the web server starts, check,
check --deploy); PadesSigner raises the same errors at construction for the workers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .issuing import verification_base_url
from .signing import load_seal_key


@register()
def document_signing(app_configs, **kwargs) -> list[Error]:
    production = not settings.DOCUMENT_SIGNING_ALLOW_DEV_KEY
    try:
        signer_class = import_string(settings.DOCUMENT_SIGNER)
    except ImportError as error:
        return [Error(f"DOCUMENT_SIGNER cannot be imported: {error}", id="documents.E001")]
    errors = []
    if not getattr(signer_class, "signs", False):
        if production:
            errors.append(Error(
                f"DOCUMENT_SIGNER {settings.DOCUMENT_SIGNER} does not seal documents.",
                hint="Production issues sealed documents only: use "
                     "documents.signing.PadesSigner with the registry's key.",
                id="documents.E002",
            ))
    else:
        try:
            load_seal_key(create_development=False)
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="documents.E003"))
    if production:
        base_url = verification_base_url()
        parts = urlsplit(base_url)
        if parts.scheme != "https" or parts.hostname in (None, "localhost", "127.0.0.1"):
            errors.append(Error(
                f"Verification links would point to {base_url!r}.",
                hint="Set DOCUMENT_VERIFICATION_BASE_URL (or SITE_URL) to the public https "
                     "address: it is printed in every QR code.",
                id="documents.E004",
            ))
    return errors
