from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from registry.identifiers import allocate_rccm_number, format_rccm


def test_the_format_is_the_ohada_one():
    assert format_rccm(court="LOM", year=2026, letter="B", number=1) == "TG-LOM-2026-B-00001"


def test_numbers_follow_each_other_per_letter_without_gaps(db):
    with transaction.atomic():
        numbers = [allocate_rccm_number(letter="B") for _ in range(3)]
        individual = allocate_rccm_number(letter="A")
    year = timezone.localdate().year
    assert numbers == [f"TG-LOM-{year}-B-0000{n}" for n in (1, 2, 3)]
    assert individual == f"TG-LOM-{year}-A-00001"


def test_a_rolled_back_allocation_gives_its_number_back(db):
    try:
        with transaction.atomic():
            allocate_rccm_number(letter="B")
            raise RuntimeError("decision failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert re.search(r"-B-00001$", allocate_rccm_number(letter="B"))
