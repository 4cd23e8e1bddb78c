"""System checks: the encryption key of uploaded documents must be usable."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def encryption_keys(app_configs, **kwargs) -> list[Error]:
    keys = [("DOCUMENTS_ENCRYPTION_KEY", getattr(settings, "DOCUMENTS_ENCRYPTION_KEY", ""))]
    keys += [("DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS", key)
             for key in getattr(settings, "DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS", ())]
    errors = []
    for name, key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(Error(
                f"{name} is not a Fernet key (32 url-safe base64-encoded bytes).",
                hint='Generate one: python -c "from cryptography.fernet import Fernet; '
                     'print(Fernet.generate_key().decode())"',
                id="privacy.E001",
            ))
    return errors
