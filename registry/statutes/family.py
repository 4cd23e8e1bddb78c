"""What differs between the two models of statutes the registry drafts, and the form a deed
states.

A family is the wording of one model (rules.FormRules.statutes_model): sarl.py for parts
sociales and a gérance (SARL, SARLU), sas.py for actions and a président (SAS, SASU). The
articles common to both are in articles.py and closing.py; they ask the family for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .facts import StatutesFacts
    from .writer import Writer


@dataclass(frozen=True, kw_only=True)
class Family:
    model: str  # "sarl" or "sas", as in data/legal_forms.yaml
    officer_roles: frozenset[str]  # the Role codes of the officers the deed appoints
    officers_refused: Promise  # why officers of another role do not fit, with %(form)s
    acceptance: Mapping[str, Promise]  # per officer role, written in its signature block
    management: Promise  # who runs the company, inside a sentence: "la gérance"
    titles_word: Promise  # "parts sociales", "actions"
    titles: Callable[[int], str]  # "60 parts sociales", "1 action"
    constitution: Promise  # the article "Forme" when there are several partners
    form_clauses: tuple[Promise, ...]  # what the article "Forme" adds
    seat_transfer: Promise
    seat_transfer_sole: Promise
    registered_titles: tuple[Promise, ...]  # what follows the division of the capital
    capital_change: Promise
    capital_change_sole: Promise
    rights: Promise  # what each title gives in the company's assets and profits
    sole_decisions: Promise  # what the article on the sole partner's decisions adds
    write_management: Callable[[Writer, StatutesFacts, DeedForm], None]
    write_transfer: Callable[[Writer, DeedForm], None]
    write_collective_decisions: Callable[[Writer], None]


@dataclass(frozen=True)
class DeedForm:
    """The form as the deed states it: the filing's own form (its code and its name), the
    wording of its family, and whether a sole partner decides (one partner, whatever the
    form: a SARL of one partner stays a SARL)."""

    code: str
    name: Promise  # lower case: it stands inside sentences
    family: Family
    sole: bool
