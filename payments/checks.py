"""System checks: in production, a provider with its keys set is reached over https only
(its keys travel with every call), never at the local simulators' default address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from .providers import online_providers


@register()
def payment_providers(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    for code in online_providers():
        base_url = settings.PAYMENT_PROVIDERS[code].get("BASE_URL", "")
        parts = urlsplit(base_url)
        if parts.scheme != "https" or parts.hostname in (None, "localhost", "127.0.0.1"):
            errors.append(Error(
                f"The payment provider {code} would be called at {base_url!r}.",
                hint=f"Set {code.upper()}_BASE_URL to the provider's https address.",
                id="payments.E001",
            ))
    return errors
