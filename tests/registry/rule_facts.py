"""Filing facts for the legal-form rules tests: a consistent and a broken filing of each
form, and short ways to build, check and read them. No assertions here."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from registry.legal_forms import FilingFacts, PersonFacts, RuleViolation, validate

TODAY = date(2026, 3, 15)
ADULT = date(1985, 5, 1)
NBSP = "\u00a0"


def fcfa(text: str) -> str:
    """The way messages write amounts: "10 000 000 FCFA" with no-break spaces."""
    return re.sub(r"(?<=\d) (?=\d|FCFA)", NBSP, text)


def person(ref: str, *roles: str, kind: str = "natural", name: str | None = None,
           born: date | None = ADULT, shares: int = 0, cash: int = 0, in_kind: int = 0,
           skills: bool = False, percent: str | None = None) -> PersonFacts:
    return PersonFacts(
        ref=ref, kind=kind, full_name=name or f"Personne {ref.upper()}",
        birth_date=born if kind == "natural" else None, roles=set(roles), shares=shares,
        cash_contribution=cash, in_kind_contribution=in_kind, skills_contribution=skills,
        ownership_percent=Decimal(percent) if percent is not None else None,
    )


def filing(form: str, people: list[PersonFacts], *, capital: int | None = None,
           share_count: int | None = None, share_nominal: int | None = None,
           activity: str | None = "62", names: tuple[str, ...] = ("Éléphant Bleu",),
           public_offering: bool = False) -> FilingFacts:
    return FilingFacts(
        legal_form=form, capital=capital, share_count=share_count,
        share_nominal=share_nominal, people=people, activity_code=activity, names=names,
        public_offering=public_offering,
    )


def check(facts: FilingFacts) -> list[RuleViolation]:
    return validate(facts, today=TODAY)


def fields(facts: FilingFacts) -> set[str]:
    return {violation.field for violation in check(facts)}


def messages(facts: FilingFacts) -> list[str]:
    return [violation.message for violation in check(facts)]


def sarl_with_two_partners(**changes) -> FilingFacts:
    """A consistent SARL: 200 parts of 5 000 FCFA, two partners at 50 %, one manager."""
    people = [
        person("a", "partner", "manager", "beneficial_owner", name="Awa KOFFI", shares=100,
               cash=500_000, percent="50"),
        person("b", "partner", "beneficial_owner", name="Yao MENSAH", shares=100, cash=500_000,
               percent="50"),
    ]
    values = {"capital": 1_000_000, "share_count": 200, "share_nominal": 5_000}
    values.update(changes)
    people = values.pop("people", people)
    return filing("SARL", people, **values)


# --- one valid and one invalid filing for each form ---------------------------------------

VALID = {
    "EI": filing("EI", [person("t", "trader", name="Ama DOE")]),
    "SARL": sarl_with_two_partners(),
    "SARLU": filing(
        "SARLU",
        [person("a", "partner", "manager", "beneficial_owner", shares=200, cash=1_000_000,
                percent="100")],
        capital=1_000_000, share_count=200, share_nominal=5_000,
    ),
    "SA": filing(
        "SA",
        [
            person("a", "partner", "president", "beneficial_owner", shares=600,
                   cash=6_000_000, percent="60"),
            person("h", "partner", kind="legal", name="Holding Kara SA", shares=400,
                   in_kind=4_000_000),
            person("c", "auditor", name="Cabinet Audit Conseil", kind="legal"),
        ],
        capital=10_000_000, share_count=1_000, share_nominal=10_000,
    ),
    "SAS": filing(
        "SAS",
        [
            person("a", "partner", "beneficial_owner", shares=50, cash=500_000, percent="50"),
            person("i", "partner", "president", kind="legal", name="Invest Togo SARL",
                   shares=50, cash=500_000),
            person("k", "partner", skills=True, name="Kodjo AGBEKO"),
        ],
        capital=1_000_000, share_count=100, share_nominal=10_000,
    ),
    "SASU": filing(
        "SASU",
        [person("a", "partner", "president", "beneficial_owner", shares=100, cash=1_000_000,
                percent="100")],
        capital=1_000_000, share_count=100, share_nominal=10_000,
    ),
    "SNC": filing(
        "SNC",
        [
            person("a", "partner", "manager", "beneficial_owner", shares=50, cash=250_000,
                   percent="50"),
            person("b", "partner", "beneficial_owner", shares=50, cash=250_000, percent="50"),
        ],
        capital=500_000, share_count=100, share_nominal=5_000,
    ),
    "SCS": filing(
        "SCS",
        [
            person("g", "general_partner", "manager", "beneficial_owner", shares=60,
                   cash=600_000, percent="60"),
            person("l", "limited_partner", "beneficial_owner", shares=40, cash=400_000,
                   percent="40"),
        ],
        capital=1_000_000, share_count=100, share_nominal=10_000,
    ),
    "GIE": filing(
        "GIE",
        [
            person("m1", "partner", "administrator", name="Coopérative du Zio"),
            person("m2", "partner", kind="legal", name="Transports Kara SARL"),
        ],
    ),
}

INVALID = {
    "EI": (
        filing("EI", [person("t", "trader"), person("u", "trader")], capital=500_000),
        {
            RuleViolation("people", "Exploitant : une entreprise individuelle n'a qu'un seul "
                                    "commerçant exploitant (2 déclarés)."),
            RuleViolation("capital",
                          "Capital social : une entreprise individuelle n'a pas de capital "
                          "social."),
        },
    ),
    "SARL": (
        sarl_with_two_partners(
            people=[
                person("a", "partner", "beneficial_owner", name="Awa KOFFI", shares=100,
                       cash=500_000, percent="50"),
                person("b", "partner", "manager", kind="legal", name="Kara Invest SA",
                       shares=100, cash=500_000),
            ],
            names=(),
        ),
        {
            RuleViolation("people[1].roles",
                          "Gérance : Kara Invest SA est une personne morale et ne peut pas être "
                          "gérant ; une personne physique est requise."),
            RuleViolation("people",
                          "Gérance : au moins un gérant, personne physique, est requis."),
            RuleViolation("names", "Dénominations : proposez au moins une dénomination."),
        },
    ),
    "SARLU": (
        filing(
            "SARLU",
            [
                person(ref, "partner", "beneficial_owner", *(["manager"] if ref == "a" else []),
                       shares=100, cash=500_000, percent="33.33")
                for ref in ("a", "b", "c")
            ],
            capital=1_500_000, share_count=300, share_nominal=5_000,
        ),
        {RuleViolation("people", "Associés : une SARLU n'a qu'un seul associé (3 déclarés).")},
    ),
    "SA": (
        filing(
            "SA",
            [person("a", "partner", "president", "beneficial_owner", shares=500,
                    cash=5_000_000, percent="100")],
            capital=5_000_000, share_count=500, share_nominal=10_000,
        ),
        {
            RuleViolation("capital", fcfa("Capital social : une SA doit avoir un capital "
                                          "d'au moins 10 000 000 FCFA.")),
            RuleViolation("people", "Commissariat aux comptes : au moins un commissaire aux "
                                    "comptes est requis."),
        },
    ),
    "SAS": (
        filing(
            "SAS",
            [
                person("a", "partner", "beneficial_owner", name="Afi TETE", shares=50,
                       cash=500_000, percent="50"),
                person("b", "partner", "beneficial_owner", name="Edem KOUMA", shares=40,
                       cash=500_000, percent="50"),
            ],
            capital=1_000_000, share_count=100, share_nominal=10_000,
        ),
        {
            RuleViolation("people", "Présidence : au moins un président est requis."),
            RuleViolation("share_count", "Actions : la somme des actions des actionnaires (90) "
                                         "ne correspond pas au nombre d'actions (100)."),
        },
    ),
    "SASU": (
        filing(
            "SASU",
            [person("a", "partner", "president", "beneficial_owner", name="Kossi ADJO",
                    born=date(2010, 1, 1), shares=100, cash=1_000_000, percent="100")],
            capital=1_000_000, share_count=100, share_nominal=10_000,
        ),
        {
            RuleViolation("people[0].birth_date",
                          "Date de naissance : Kossi ADJO a 16 ans ; un président doit être "
                          "majeur (18 ans révolus)."),
        },
    ),
    "SNC": (
        filing(
            "SNC",
            [person("a", "partner", "manager", "beneficial_owner", shares=100, cash=500_000,
                    percent="100")],
            capital=500_000, share_count=100, share_nominal=5_000,
        ),
        {RuleViolation("people",
                       "Associés : une SNC compte au moins 2 associés (1 déclaré).")},
    ),
    "SCS": (
        filing(
            "SCS",
            [
                person("g", "general_partner", "manager", "beneficial_owner", shares=60,
                       cash=600_000, percent="60"),
                person("h", "general_partner", "beneficial_owner", shares=40, cash=400_000,
                       percent="40"),
            ],
            capital=1_000_000, share_count=100, share_nominal=10_000,
        ),
        {RuleViolation("people",
                       "Commanditaires : au moins un commanditaire est requis.")},
    ),
    "GIE": (
        filing("GIE", [person("m1", "partner")]),
        {
            RuleViolation("people", "Membres : un GIE compte au moins 2 membres (1 déclaré)."),
            RuleViolation("people", "Administration : au moins un administrateur est requis."),
        },
    ),
}
