"""What the founders decide that the statutes print: the office, the partners and their
contributions, the first officers, the capital. Frozen, so a draft cannot change under the
writer; checked by validation.statutes_form before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from ..legal_forms import POLICY


@dataclass(frozen=True, kw_only=True)
class StatutesOffice:
    """The registered office; prefecture and region as they are to be printed
    (e.g. "Préfecture du Golfe", "Région Maritime")."""

    address: str
    city: str
    prefecture: str = ""
    region: str = ""

    def text(self) -> str:
        parts = [self.address, self.city, self.prefecture, self.region, "Togo"]
        return ", ".join(part.strip() for part in parts if part and part.strip())


@dataclass(frozen=True, kw_only=True)
class StatutesPartner:
    """A founding partner and what they bring. For a legal person, full_name is its name,
    id_document its registration number, address its seat, representative who signs."""

    full_name: str
    birth_date: dt.date | None = None
    birth_place: str = ""
    nationality: str = ""
    id_document: str = ""
    address: str = ""
    is_legal_person: bool = False
    representative: str = ""
    shares: int
    cash_contribution: int = 0
    in_kind_contribution: int = 0
    in_kind_description: str = ""

    @property
    def contribution(self) -> int:
        return self.cash_contribution + self.in_kind_contribution


@dataclass(frozen=True, kw_only=True)
class StatutesOfficer:
    """A first officer named in the statutes: gérant (SARL, SARLU) or président and
    directeurs généraux (SAS, SASU); role is a Role code (manager, president, director)."""

    full_name: str
    role: str
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class StatutesFacts:
    """Everything the founders decide that the statutes print.

    officer_term_years: the first officers' term; None for an unlimited term.
    funds_depositary: the bank or notary holding the cash contributions, as printed after
    "auprès de" (e.g. "la banque Orabank Togo"); empty for a generic mention.
    original_count: how many signed originals; by default one per partner and two more
    (one kept at the seat, one for the registry).
    """

    legal_form: str
    company_name: str
    acronym: str = ""
    trade_name: str = ""
    business_purpose: str
    registered_office: StatutesOffice
    duration_years: int = POLICY.max_duration_years
    capital: int
    share_count: int
    share_nominal: int
    partners: Sequence[StatutesPartner]
    officers: Sequence[StatutesOfficer]
    financial_year_end: str = "31 décembre"
    city_of_signature: str
    date: dt.date
    officer_term_years: int | None = 4
    funds_depositary: str = ""
    original_count: int | None = None

    def __post_init__(self) -> None:
        # Frozen all the way down: the lists become tuples.
        object.__setattr__(self, "partners", tuple(self.partners))
        object.__setattr__(self, "officers", tuple(self.officers))

    def filename(self) -> str:
        return f"statuts-{slugify(self.company_name) or 'societe'}.docx"

    @property
    def originals(self) -> int:
        return self.original_count or len(self.partners) + 2
