"""Payment provider adapters, built from settings.PAYMENT_PROVIDERS, and their HTTP client.

The adapters share one small JSON client on urllib (no extra dependency): every way a call
can fail (network, timeout, non-2xx answer, unreadable JSON) becomes a ProviderError, so the
services have one exception to handle.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Provider, ProviderError

# The adapters are imported on demand: they import the client below from this package.
ADAPTERS = {
    "fedapay": "payments.providers.fedapay.FedaPayProvider",
    "paygate": "payments.providers.paygate.PayGateProvider",
}


def get_provider(code: str) -> Provider:
    """The adapter for `code`, configured from the settings as they are now."""
    try:
        path = ADAPTERS[code]
        config = settings.PAYMENT_PROVIDERS[code]
    except KeyError:
        raise LookupError(f"Unknown payment provider: {code!r}") from None
    return import_string(path).from_settings(config)


def online_providers() -> list[str]:
    """The providers whose credentials are set: only those are offered to payers."""
    configured = getattr(settings, "PAYMENT_PROVIDERS", {})
    return [
        code for code, path in ADAPTERS.items()
        if code in configured
        and all(configured[code].get(name) for name in import_string(path).credentials)
    ]


def request_json(
    method: str,
    url: str,
    *,
    payload: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Send `payload` as JSON and return the JSON object answered.

    The timeout is read at each call (settings.PAYMENT_HTTP_TIMEOUT) and bounds the
    connection and each read; callers are never inside a database transaction.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise ProviderError(f"Refusing to call a non-HTTP address: {url!r}")
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url, data=data, method=method,
        headers={"Accept": "application/json", **(headers or {})},
    )
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_HTTP_TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        error.close()
        raise ProviderError(f"{method} {url} answered HTTP {error.code}") from error
    except (OSError, HTTPException) as error:  # URLError, timeouts, resets are all OSError
        raise ProviderError(f"{method} {url} failed: {error}") from error
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise ProviderError(f"{method} {url} answered invalid JSON") from error
    if not isinstance(answer, dict):
        raise ProviderError(f"{method} {url} answered JSON that is not an object")
    return answer


def local_phone_number(number: str) -> str:
    """A Togolese number as its 8 local digits: both providers take it without 228."""
    digits = "".join(ch for ch in number if ch.isdigit())
    for prefix in ("00228", "228"):
        if len(digits) == 8 + len(prefix) and digits.startswith(prefix):
            return digits[len(prefix):]
    return digits
