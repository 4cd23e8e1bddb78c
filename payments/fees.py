"""The fee schedule for a company creation, per legal form, in FCFA (integer amounts).

Togo's one-stop shop charges about 25,000 to 30,000 FCFA since registration and stamp
duties were abolished; the amounts are set by decree, so they are settings, not code.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_CREATION_FEES = {
    "EI": 10_000,
    "SARL": 25_000,
    "SARLU": 25_000,
    "SA": 30_000,
    "SAS": 25_000,
    "SASU": 25_000,
    "SNC": 25_000,
    "SCS": 25_000,
    "GIE": 25_000,
}


def creation_fee(legal_form: str) -> int:
    fees = {**DEFAULT_CREATION_FEES, **getattr(settings, "CREATION_FEES", {})}
    return fees[legal_form]
