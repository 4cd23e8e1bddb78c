"""RCCM numbers: the one place that knows their format and allocates them gaplessly."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RccmSequence


def format_rccm(*, court: str, year: int, letter: str, number: int) -> str:
    """OHADA form, e.g. TG-LOM-2026-B-00001."""
    return f"{settings.REGISTRY_COUNTRY_CODE}-{court}-{year}-{letter}-{number:05d}"


def allocate_rccm_number(*, letter: str) -> str:
    """Take the next number for this court, year and letter.

    Runs inside the caller's transaction with the sequence row locked, so a rolled-back
    decision gives its number back and numbers stay unique and gapless.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_rccm_number() must run inside a transaction.")
    court = settings.REGISTRY_COURT_CODE
    year = timezone.localdate().year
    RccmSequence.objects.get_or_create(court=court, year=year, letter=letter)
    sequence = RccmSequence.objects.select_for_update().get(court=court, year=year, letter=letter)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_rccm(court=court, year=year, letter=letter, number=sequence.last_number)
