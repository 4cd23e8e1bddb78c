"""What the rules judge: the facts of a filing, independent of models and forms, and what
they say back (rule violations, required documents)."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .choices import PersonKind


@dataclass(frozen=True)
class PersonFacts:
    """One person in a filing. ref is stable within the filing (a Party id, a form prefix)."""

    ref: str
    kind: str  # PersonKind: "natural" or "legal"
    full_name: str
    birth_date: date | None = None
    roles: AbstractSet[str] = frozenset()
    shares: int = 0
    cash_contribution: int = 0
    in_kind_contribution: int = 0
    skills_contribution: bool = False
    ownership_percent: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ref", str(self.ref))
        object.__setattr__(self, "kind", str(self.kind))
        object.__setattr__(self, "roles", frozenset(str(role) for role in self.roles))
        if self.ownership_percent is not None and not isinstance(self.ownership_percent,
                                                                 Decimal):
            object.__setattr__(self, "ownership_percent", Decimal(str(self.ownership_percent)))

    @property
    def is_natural(self) -> bool:
        return self.kind == PersonKind.NATURAL

    @property
    def is_legal(self) -> bool:
        return self.kind == PersonKind.LEGAL


@dataclass(frozen=True)
class FilingFacts:
    """What the rules need to know about a filing, independent of models and forms."""

    legal_form: str
    capital: int | None = None
    share_count: int | None = None
    share_nominal: int | None = None
    people: Sequence[PersonFacts] = ()
    activity_code: str | None = None
    names: Sequence[str] = ()
    public_offering: bool = False  # appel public à l'épargne (SA only)

    def __post_init__(self) -> None:
        object.__setattr__(self, "legal_form", str(self.legal_form))
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "names", tuple(self.names))
        refs = [person.ref for person in self.people]
        if len(set(refs)) != len(refs):
            raise ValueError(f"people have repeated refs: {refs}")


@dataclass(frozen=True)
class RuleViolation:
    field: str  # dotted path into FilingFacts: "capital", "people[2].roles", "names[1]"
    message: str  # French (or the active language), starting with the field's name


@dataclass(frozen=True)
class Requirement:
    code: str  # stable: "statuts", "piece_identite:<ref>"
    label: str
    party_ref: str | None = None
    later: bool = False  # due after registration (POLICY.criminal_record_days)
