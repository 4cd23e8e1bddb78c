"""Verification codes: 12 random characters read aloud or typed without confusion.

Crockford's base-32 alphabet has no I, L, O or U; typing them is forgiven (O reads as 0,
I and L as 1). 32^12 (about 10^18) codes cannot be guessed by enumeration.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_FORGIVEN = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code as stored, from what a person typed; None when it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper().translate(_FORGIVEN)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN: how the code is printed and shown."""
    return "-".join(code[index:index + 4] for index in range(0, len(code), 4))
