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
    number = _next_number(court=court, year=year, letter=letter)
    if number is None:  # the first number of the year for this letter: the row is new
        RccmSequence.objects.get_or_create(court=court, year=year, letter=letter)
        number = _next_number(court=court, year=year, letter=letter)
    return format_rccm(court=court, year=year, letter=letter, number=number)


def _next_number(*, court: str, year: int, letter: str) -> int | None:
    """Add one to the counter and read it back in one statement, which locks the row
    until the transaction ends (every registration queues here, so the fewer round trips
    under the lock the better); None when the counter row does not exist yet."""
    table = RccmSequence._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 "
            "WHERE court = %s AND year = %s AND letter = %s RETURNING last_number",
            [court, year, letter])
        row = cursor.fetchone()
    return row[0] if row else None
