"""Secrets a message must carry (a one-time signature code) are never stored or queued in
clear: the texts hold a marker, the delivery row holds the values encrypted (Fernet, key
derived from SECRET_KEY), and the values are erased once the delivery is done. Celery
messages carry only the delivery's id."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

MASK = "••••••"


def marker(name: str) -> str:
    """What a secret's place holds in stored texts until the moment of sending."""
    return f"[[secret:{name}]]"


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"notifications.sealing:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(values: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode() if values else ""


def unseal(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ValueError("sealed secrets cannot be read with this SECRET_KEY") from error


def reveal(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(marker(name), value)
    return text


def mask(text: str, names) -> str:
    for name in names:
        text = text.replace(marker(name), MASK)
    return text
