"""The legal-form rules: figures from the data file, validation messages, required documents."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from registry import legal_forms
from registry.legal_forms import (
    FILEABLE_FORMS,
    RULES,
    FilingFacts,
    LegalForm,
    PersonFacts,
    Requirement,
    RuleViolation,
    format_fcfa,
    load_rules,
    required_documents,
    validate,
)

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


def test_every_form_has_a_valid_and_an_invalid_example():
    assert set(VALID) == set(INVALID) == set(LegalForm.values)


@pytest.mark.parametrize("form", LegalForm.values)
def test_a_consistent_filing_of_each_form_passes(form):
    assert check(VALID[form]) == []


@pytest.mark.parametrize("form", LegalForm.values)
def test_a_broken_filing_of_each_form_names_its_fields_in_french(form):
    facts, expected = INVALID[form]
    found = check(facts)
    assert len(found) == len(set(found))
    assert set(found) == expected


@pytest.mark.parametrize("form", LegalForm.values)
def test_the_messages_are_the_french_sources_under_the_french_locale(form):
    facts, expected = INVALID[form]
    with translation.override("fr"):
        assert set(check(facts)) == expected


# --- the names other code relies on -------------------------------------------------------


def test_the_legal_forms_keep_their_codes_letters_and_labels():
    assert LegalForm.values == ["EI", "SARL", "SARLU", "SA", "SAS", "SASU", "SNC", "SCS", "GIE"]
    assert str(LegalForm.SA.label) == "Société anonyme (SA)"
    assert str(LegalForm.GIE.label) == "Groupement d'intérêt économique (GIE)"
    letters = {code: RULES[code].rccm_letter for code in LegalForm.values}
    assert letters == {"EI": "A", "SARL": "B", "SARLU": "B", "SA": "B", "SAS": "B",
                       "SASU": "B", "SNC": "B", "SCS": "B", "GIE": "C"}
    assert RULES[LegalForm.SA].min_capital == 10_000_000
    assert {RULES[code].min_capital for code in LegalForm.values if code != "SA"} == {0}
    assert set(FILEABLE_FORMS) == set(LegalForm) and len(FILEABLE_FORMS) == 9


def test_member_limits_come_from_the_data():
    limits = {code: (RULES[code].min_members, RULES[code].max_members)
              for code in LegalForm.values}
    assert limits == {"EI": (1, 1), "SARL": (1, None), "SARLU": (1, 1), "SA": (1, None),
                      "SAS": (1, None), "SASU": (1, 1), "SNC": (2, None), "SCS": (2, None),
                      "GIE": (2, None)}
    assert RULES["EI"].capital == "none" and not RULES["EI"].legal_person_members
    assert RULES["SAS"].skills_contributions and not RULES["SA"].skills_contributions


# --- the data file ------------------------------------------------------------------------


def edited_copy(tmp_path: Path, edit) -> Path:
    raw = yaml.safe_load(legal_forms.DATA_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "legal_forms.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_changed_minimum_in_the_data_changes_the_rule(tmp_path):
    path = edited_copy(tmp_path, lambda raw: raw["forms"]["SARL"].update(min_capital=100_000))
    _, rules = load_rules(path)
    assert rules["SARL"].min_capital == 100_000


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda raw: raw["forms"].pop("GIE"), "differ from LegalForm"),
        (lambda raw: raw["forms"]["SA"].update(allowed_roles=["partner", "boss"]), "boss"),
        (lambda raw: raw["forms"]["SA"].update(documents=["statuts", "bilan"]), "bilan"),
        (lambda raw: raw["forms"]["SNC"].update(capital="maybe"), "maybe"),
        (lambda raw: raw["forms"]["SNC"].update(min_members=3, max_members=2), "members"),
        (lambda raw: raw["forms"]["SARL"].update(min_capitl=0), "min_capitl"),
        (lambda raw: raw["forms"]["SARL"].update(member_roles=["president"]), "president"),
    ],
)
def test_a_bad_data_file_is_refused_with_what_is_wrong(tmp_path, edit, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        load_rules(edited_copy(tmp_path, edit))


# --- capital and shares -------------------------------------------------------------------


def test_shares_times_nominal_must_make_the_capital():
    facts = filing(
        "SARLU",
        [person("a", "partner", "manager", "beneficial_owner", shares=200, cash=900_000,
                percent="100")],
        capital=900_000, share_count=200, share_nominal=5_000,
    )
    assert check(facts) == [RuleViolation("capital", fcfa(
        "Capital social : 200 parts de 5 000 FCFA font 1 000 000 FCFA, pas 900 000 FCFA."
    ))]


def test_the_partners_parts_must_add_up_to_the_number_of_parts():
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", shares=100, cash=500_000,
               percent="66.67"),
        person("b", "partner", "beneficial_owner", shares=50, cash=500_000, percent="33.33"),
    ])
    assert check(facts) == [RuleViolation(
        "share_count",
        "Parts sociales : la somme des parts des associés (150) ne correspond pas au nombre de "
        "parts (200).",
    )]


def test_contributions_in_cash_and_in_kind_must_make_the_capital():
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", shares=100, cash=300_000,
               in_kind=200_000, percent="50"),
        person("b", "partner", "beneficial_owner", shares=100, cash=400_000, percent="50"),
    ])
    assert check(facts) == [RuleViolation("capital", fcfa(
        "Capital social : les apports en numéraire et en nature (900 000 FCFA) ne "
        "correspondent pas au capital de 1 000 000 FCFA."
    ))]
    exact = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", shares=100, cash=300_000,
               in_kind=200_000, percent="50"),
        person("b", "partner", "beneficial_owner", shares=100, cash=500_000, percent="50"),
    ])
    assert check(exact) == []


def test_a_company_needs_a_positive_capital_and_its_shares():
    facts = sarl_with_two_partners(capital=None, share_count=None, share_nominal=None)
    assert check(facts) == [RuleViolation(
        "capital", "Capital social : le capital est requis et doit être positif."
    )]
    assert fields(sarl_with_two_partners(capital=-5)) == {"capital"}
    no_shares = sarl_with_two_partners(share_count=None, share_nominal=0)
    assert check(no_shares) == [
        RuleViolation("share_count", "Parts sociales : le nombre de parts sociales est requis."),
        RuleViolation("share_nominal",
                      "Valeur nominale : la valeur nominale des parts est requise."),
    ]


@pytest.mark.parametrize(("capital", "broken"), [(9_999_990, True), (10_000_000, False)])
def test_an_sa_needs_ten_million_fcfa(capital, broken):
    facts = filing(
        "SA",
        [person("a", "partner", "president", "beneficial_owner", shares=capital // 10,
                cash=capital, percent="100"),
         person("c", "auditor")],
        capital=capital, share_count=capital // 10, share_nominal=10,
    )
    found = messages(facts)
    minimum = fcfa("Capital social : une SA doit avoir un capital d'au moins 10 000 000 FCFA.")
    assert (minimum in found) is broken
    assert len(found) == int(broken)


def test_an_sa_raising_public_money_needs_a_hundred_million():
    facts = dataclasses.replace(VALID["SA"], public_offering=True)
    assert check(facts) == [RuleViolation("capital", fcfa(
        "Capital social : une SA qui fait appel public à l'épargne doit avoir un capital "
        "d'au moins 100 000 000 FCFA."
    ))]
    sarl = dataclasses.replace(VALID["SARL"], public_offering=True)
    assert fields(sarl) == {"public_offering"}


def test_a_minimum_share_nominal_applies_when_the_data_sets_one(monkeypatch):
    assert RULES["SARL"].min_share_nominal is None  # free in Togo
    facts = filing(
        "SARLU",
        [person("a", "partner", "manager", "beneficial_owner", shares=1_000, cash=1_000_000,
                percent="100")],
        capital=1_000_000, share_count=1_000, share_nominal=1_000,
    )
    assert check(facts) == []
    monkeypatch.setitem(RULES, "SARLU",
                        dataclasses.replace(RULES["SARLU"], min_share_nominal=5_000))
    assert check(facts) == [RuleViolation("share_nominal", fcfa(
        "Valeur nominale : une part doit valoir au moins 5 000 FCFA (1 000 FCFA déclarés)."
    ))]


def test_a_gie_may_have_no_capital_but_an_ei_has_none_at_all():
    assert check(VALID["GIE"]) == []
    ei = dataclasses.replace(VALID["EI"], share_count=10)
    assert fields(ei) == {"capital"}


def test_only_members_hold_shares_and_every_member_holds_some():
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", shares=200, cash=1_000_000,
               percent="100"),
        person("b", "partner", name="Yao MENSAH"),
        person("m", "manager", name="Komi AFI", shares=10, cash=5_000),
    ], share_count=200)
    found = {v.field: v.message for v in check(facts)}
    assert found["people[1].shares"] == "Parts sociales : Yao MENSAH ne détient aucune part."
    assert found["people[2].shares"] == (
        "Parts sociales : Komi AFI détient des parts sans être associé."
    )
    assert found["people[2].cash_contribution"] == (
        "Apports : Komi AFI fait un apport sans être associé."
    )


def test_contributions_in_skills_only_where_the_form_allows_them():
    sarl = sarl_with_two_partners(people=[
        *sarl_with_two_partners().people,
        person("k", "partner", skills=True, name="Kodjo AGBEKO"),
    ])
    assert check(sarl) == [RuleViolation(
        "people[2].skills_contribution",
        "Apport en industrie : une SARL n'admet pas d'apport en industrie (Kodjo AGBEKO).",
    )]
    assert check(VALID["SAS"]) == []  # Kodjo AGBEKO contributes skills to the SAS


# --- people and roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "minor"),
    [
        (date(2008, 3, 16), True),  # 18 tomorrow
        (date(2008, 3, 15), False),  # 18 today
        (date(1990, 1, 1), False),
    ],
)
def test_a_minor_cannot_manage(born, minor):
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", name="Afi SENA", born=born,
               shares=100, cash=500_000, percent="50"),
        person("b", "partner", "beneficial_owner", shares=100, cash=500_000, percent="50"),
    ])
    expected = [RuleViolation(
        "people[0].birth_date",
        "Date de naissance : Afi SENA a 17 ans ; un gérant doit être majeur (18 ans révolus).",
    )] if minor else []
    assert check(facts) == expected


def test_a_minor_may_be_a_partner_of_a_sarl_but_not_of_an_snc():
    minor = date(2012, 6, 1)
    sarl = sarl_with_two_partners(people=[
        sarl_with_two_partners().people[0],
        person("b", "partner", "beneficial_owner", born=minor, shares=100, cash=500_000,
               percent="50"),
    ])
    assert check(sarl) == []
    snc = dataclasses.replace(VALID["SNC"], people=[
        VALID["SNC"].people[0],
        dataclasses.replace(VALID["SNC"].people[1], birth_date=minor),
    ])
    assert fields(snc) == {"people[1].birth_date"}


def test_a_manager_needs_a_birth_date_in_the_past():
    facts = dataclasses.replace(VALID["SASU"], people=[
        dataclasses.replace(VALID["SASU"].people[0], birth_date=None)])
    assert check(facts) == [RuleViolation(
        "people[0].birth_date",
        "Date de naissance : la date de naissance de Personne A est requise.",
    )]
    future = dataclasses.replace(VALID["SASU"], people=[
        dataclasses.replace(VALID["SASU"].people[0], birth_date=date(2030, 1, 1))])
    assert fields(future) == {"people[0].birth_date"}


def test_without_a_date_validate_counts_ages_on_the_calendar_of_lome(monkeypatch):
    facts = dataclasses.replace(VALID["SASU"], people=[
        dataclasses.replace(VALID["SASU"].people[0], birth_date=date(1990, 3, 16))])
    assert validate(facts) == []
    monkeypatch.setattr(legal_forms, "lome_today", lambda: date(2008, 3, 15))
    assert {v.field for v in validate(facts)} == {"people[0].birth_date"}


def test_today_is_the_date_in_lome():
    assert legal_forms.lome_today() == datetime.now(ZoneInfo("Africa/Lome")).date()


@pytest.mark.parametrize(("members", "broken"), [(1, True), (2, False), (3, False)])
def test_an_snc_has_two_partners_or_more(members, broken):
    people = [person(f"p{n}", "partner", "manager", "beneficial_owner", shares=10,
                     cash=10_000, percent=str(Decimal(100) / members)[:6])
              for n in range(members)]
    facts = filing("SNC", people, capital=10_000 * members, share_count=10 * members,
                   share_nominal=1_000)
    assert ("people" in fields(facts)) is broken


def test_an_scs_needs_a_general_and_a_limited_partner_and_limited_ones_do_not_manage():
    only_limited = dataclasses.replace(VALID["SCS"], people=[
        dataclasses.replace(VALID["SCS"].people[0], roles={"limited_partner", "beneficial_owner"}),
        VALID["SCS"].people[1],
    ])
    assert set(messages(only_limited)) == {
        "Commandités : au moins un commandité est requis.",
        "Gérance : au moins un gérant est requis.",
    }
    managing_limited = dataclasses.replace(VALID["SCS"], people=[
        VALID["SCS"].people[0],
        dataclasses.replace(VALID["SCS"].people[1],
                            roles={"limited_partner", "manager", "beneficial_owner"}),
    ])
    assert check(managing_limited) == [RuleViolation(
        "people[1].roles",
        "Fonctions : Personne L ne peut pas être à la fois commanditaire et gérant.",
    )]
    plain_partner = dataclasses.replace(VALID["SCS"], people=[
        *VALID["SCS"].people, person("p", "partner")])
    assert "people[2].roles" in fields(plain_partner)


@pytest.mark.parametrize(("members", "broken"), [(1, True), (2, False)])
def test_a_gie_has_two_members_or_more(members, broken):
    people = [person(f"m{n}", "partner", "administrator") for n in range(members)]
    assert ("people" in fields(filing("GIE", people))) is broken


def test_an_ei_is_one_natural_person():
    legal = filing("EI", [person("t", "trader", kind="legal", name="Ets Kara SARL")])
    assert check(legal) == [RuleViolation(
        "people[0].kind",
        "Exploitant : une entreprise individuelle n'admet pas de personne morale "
        "(Ets Kara SARL).",
    )]
    nobody = filing("EI", [])
    assert check(nobody) == [RuleViolation(
        "people", "Exploitant : une entreprise individuelle compte au moins un commerçant "
                  "exploitant (aucun déclaré).",
    )]
    partner = filing("EI", [person("t", "trader"), person("p", "partner")])
    assert fields(partner) == {"people[1].roles"}


def test_an_sa_board_has_three_to_twelve_administrators():
    def sa_with(administrators: int) -> FilingFacts:
        extra = [person(f"x{n}", "administrator") for n in range(administrators)]
        return dataclasses.replace(VALID["SA"], people=[*VALID["SA"].people, *extra])

    assert check(sa_with(0)) == [] and check(sa_with(3)) == [] and check(sa_with(12)) == []
    assert check(sa_with(2)) == [RuleViolation(
        "people", "Conseil d'administration : une SA qui a un conseil compte de 3 à 12 "
                  "administrateurs (2 déclarés).",
    )]
    assert fields(sa_with(13)) == {"people"}


def test_an_sa_has_one_natural_person_at_its_head():
    two_heads = dataclasses.replace(VALID["SA"], people=[
        *VALID["SA"].people, person("d", "president")])
    assert check(two_heads) == [RuleViolation(
        "people", "Direction générale : une SA n'a qu'un président-directeur général ou "
                  "administrateur général (2 déclarés).",
    )]


def test_unknown_and_misplaced_roles_are_named():
    facts = dataclasses.replace(VALID["SARL"], people=[
        *VALID["SARL"].people,
        person("x", "boss", "president", name="Komla ZOZO"),
        person("c", "auditor", "partner", name="Cabinet Lumière", kind="legal"),
    ])
    found = [v for v in check(facts) if v.field.endswith(".roles")]
    assert found == [
        RuleViolation("people[2].roles",
                      "Fonctions : « boss » n'est pas une fonction connue (Komla ZOZO)."),
        RuleViolation("people[2].roles",
                      "Fonctions : « président » n'est pas une fonction prévue pour une SARL "
                      "(Komla ZOZO)."),
        RuleViolation("people[3].roles",
                      "Fonctions : Cabinet Lumière ne peut pas être à la fois commissaire aux "
                      "comptes et associé."),
    ]


def test_a_person_has_a_name_and_a_known_kind():
    facts = dataclasses.replace(VALID["SARL"], people=[
        VALID["SARL"].people[0],
        dataclasses.replace(VALID["SARL"].people[1], full_name="  ", kind="robot"),
    ])
    assert {"people[1].full_name", "people[1].kind"} <= fields(facts)
    assert "Nom : le nom de la personne n° 2 est requis." in messages(facts)


def test_people_refs_are_unique():
    with pytest.raises(ValueError, match="repeated refs"):
        FilingFacts(legal_form="SARL", people=[person("a"), person("a")])


# --- beneficial owners --------------------------------------------------------------------


def sarl_split(a_shares: int, **a_changes) -> FilingFacts:
    """A SARL of 100 parts of 10 000 FCFA: Awa holds a_shares, Holding Lomé SA the rest."""
    awa = person("a", "partner", "manager", name="Awa KOFFI", shares=a_shares,
                 cash=a_shares * 10_000)
    awa = dataclasses.replace(awa, **a_changes)
    holding = person("h", "partner", kind="legal", name="Holding Lomé SA",
                     shares=100 - a_shares, cash=(100 - a_shares) * 10_000)
    return filing("SARL", [awa, holding], capital=1_000_000, share_count=100,
                  share_nominal=10_000)


def test_a_holder_of_a_quarter_of_the_parts_must_be_declared():
    assert check(sarl_split(24)) == []
    assert check(sarl_split(25)) == [RuleViolation(
        "people[0].roles",
        "Bénéficiaires effectifs : Awa KOFFI détient 25\u00a0% des parts et doit être déclaré "
        "bénéficiaire effectif.",
    )]
    declared = sarl_split(25, roles=frozenset({"partner", "manager", "beneficial_owner"}),
                          ownership_percent=Decimal(25))
    assert check(declared) == []


def test_a_beneficial_owner_states_a_percentage_not_below_the_parts():
    roles = frozenset({"partner", "manager", "beneficial_owner"})
    assert check(sarl_split(40, roles=roles)) == [RuleViolation(
        "people[0].ownership_percent",
        "Bénéficiaires effectifs : indiquez le pourcentage détenu par Awa KOFFI (au moins "
        "40\u00a0% par ses parts).",
    )]
    assert check(sarl_split(40, roles=roles, ownership_percent=Decimal(30))) == [
        RuleViolation(
            "people[0].ownership_percent",
            "Bénéficiaires effectifs : Awa KOFFI détient au moins 40\u00a0% par ses parts, "
            "pas 30\u00a0%.",
        )
    ]
    # Indirect holdings through the holding may add to the direct ones.
    assert check(sarl_split(40, roles=roles, ownership_percent=Decimal(70))) == []


def test_percentages_stay_within_a_hundred():
    roles = frozenset({"partner", "manager", "beneficial_owner"})
    too_much = sarl_split(40, roles=roles, ownership_percent=Decimal(120))
    assert fields(too_much) == {"people[0].ownership_percent"}
    assert "120\u00a0%" in messages(too_much)[0]
    total = dataclasses.replace(sarl_split(60, roles=roles, ownership_percent=Decimal(60)))
    total = dataclasses.replace(total, people=[
        *total.people,
        person("z", "beneficial_owner", name="Zoé AMEGAH", percent="50"),
    ])
    assert check(total) == [RuleViolation(
        "people",
        "Bénéficiaires effectifs : les pourcentages déclarés totalisent 110\u00a0%, plus de "
        "100 %.",
    )]


def test_a_legal_person_is_never_a_beneficial_owner():
    facts = sarl_split(10)
    facts = dataclasses.replace(facts, people=[
        facts.people[0],
        dataclasses.replace(facts.people[1], roles=frozenset({"partner", "beneficial_owner"})),
    ])
    assert fields(facts) == {"people[1].roles"}


# --- names and activity -------------------------------------------------------------------


def test_one_to_three_distinct_non_empty_names():
    four = dataclasses.replace(VALID["SARL"], names=("Alpha", "Beta", "Gamma", "Delta"))
    assert check(four) == [RuleViolation(
        "names", "Dénominations : proposez au plus 3 dénominations (4 proposées).")]
    blank = dataclasses.replace(VALID["SARL"], names=("Alpha", "  "))
    assert check(blank) == [RuleViolation(
        "names[1]", "Dénominations : la dénomination n° 2 est vide.")]
    same = dataclasses.replace(VALID["SARL"], names=("Éléphant Bleu", "ELEPHANT-BLEU SARL"))
    assert check(same) == [RuleViolation(
        "names[1]",
        "Dénominations : « ELEPHANT-BLEU SARL » est la même dénomination que la n° 1.",
    )]
    three = dataclasses.replace(VALID["SARL"], names=("Alpha", "Beta", "Gamma"))
    assert check(three) == []


@pytest.mark.parametrize(
    ("code", "valid"),
    [("62", True), ("4772", True), ("00", False), ("abc", False), ("", False), (None, False)],
)
def test_the_activity_is_a_citi_code(code, valid):
    facts = dataclasses.replace(VALID["SARL"], activity_code=code)
    assert ("activity_code" not in fields(facts)) is valid


def test_an_unknown_form_is_refused():
    assert check(FilingFacts(legal_form="SCOOP")) == [RuleViolation(
        "legal_form", "Forme juridique : « SCOOP » n'est pas une forme juridique connue.")]


def test_amounts_are_written_the_french_way():
    assert format_fcfa(10_000_000) == "10\u00a0000\u00a0000\u00a0FCFA"
    assert format_fcfa(500) == "500\u00a0FCFA"


# --- required documents -------------------------------------------------------------------


def codes(facts: FilingFacts) -> list[str]:
    return [requirement.code for requirement in required_documents(facts)]


def test_a_sarl_with_two_managers_needs_their_ids_and_sworn_statements():
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", name="Awa KOFFI", shares=100,
               cash=500_000, percent="50"),
        person("b", "partner", "manager", "beneficial_owner", name="Yao MENSAH", shares=100,
               cash=500_000, percent="50"),
        person("c", "partner", name="Sans Fonction"),
    ])
    documents = required_documents(facts)
    assert [d.code for d in documents] == [
        "statuts", "justificatif_siege",
        "piece_identite:a", "declaration_non_interdiction:a",
        "piece_identite:b", "declaration_non_interdiction:b",
        "casier_judiciaire:a", "casier_judiciaire:b",
    ]
    assert [d.code for d in documents if d.later] == ["casier_judiciaire:a",
                                                      "casier_judiciaire:b"]
    assert documents[2] == Requirement("piece_identite:a", "Pièce d'identité de Awa KOFFI", "a")
    assert documents[0] == Requirement("statuts", "Statuts signés")
    assert "75 jours" in documents[-1].label
    assert "souscription_versement" not in codes(facts)


def test_an_sa_needs_the_subscription_declaration_or_deposit_certificate():
    documents = {d.code: d for d in required_documents(VALID["SA"])}
    assert documents["souscription_versement"].label == (
        "Déclaration de souscription et de versement ou certificat de dépôt des fonds"
    )
    assert "souscription_versement" in codes(VALID["SAS"])
    assert "souscription_versement" in codes(VALID["SASU"])


def test_a_legal_person_member_brings_its_rccm_extract_and_power_of_attorney():
    documents = required_documents(VALID["SA"])
    assert Requirement("extrait_rccm:h", "Extrait RCCM de Holding Kara SA", "h") in documents
    assert Requirement("pouvoir_representant:h",
                       "Pouvoir du représentant de Holding Kara SA", "h") in documents
    assert not any(d.party_ref == "c" for d in documents)  # the audit firm is no member


def test_a_regulated_activity_needs_its_authorisation():
    banking = dataclasses.replace(VALID["SARL"], activity_code="64")
    documents = {d.code: d for d in required_documents(banking)}
    assert documents["autorisation_prealable"] == Requirement(
        "autorisation_prealable",
        "Autorisation préalable pour l'activité réglementée : Activités des services "
        "financiers, hors assurances et caisses de retraite",
    )
    assert "autorisation_prealable" not in codes(VALID["SARL"])  # 62, software
    pharmacy = dataclasses.replace(VALID["SARL"], activity_code="4772")
    grocery = dataclasses.replace(VALID["SARL"], activity_code="4711")
    assert "autorisation_prealable" in codes(pharmacy)
    assert "autorisation_prealable" not in codes(grocery)


def test_the_contribution_appraiser_reports_on_large_in_kind_contributions():
    def sarl(in_kind: int, capital: int = 20_000_000) -> FilingFacts:
        return filing("SARL", [person("a", "partner", "manager", in_kind=in_kind)],
                      capital=capital)

    assert "rapport_commissaire_apports" not in codes(sarl(5_000_000))
    assert "rapport_commissaire_apports" in codes(sarl(5_000_001))
    assert "rapport_commissaire_apports" in codes(sarl(4_000_000, capital=6_000_000))
    assert "rapport_commissaire_apports" in codes(VALID["SA"])  # any in-kind in an SA
    snc = filing("SNC", [person("a", "partner", "manager", in_kind=50_000_000)])
    assert "rapport_commissaire_apports" not in codes(snc)


def test_an_ei_files_no_statutes_but_the_traders_papers():
    assert codes(VALID["EI"]) == ["justificatif_siege", "piece_identite:t",
                                  "declaration_non_interdiction:t", "casier_judiciaire:t"]


def test_traders_by_law_and_gie_contracts():
    snc = codes(VALID["SNC"])
    assert "piece_identite:b" in snc  # SNC partners are traders, managing or not
    scs = codes(VALID["SCS"])
    assert "piece_identite:g" in scs and "piece_identite:l" not in scs
    gie = required_documents(VALID["GIE"])
    assert gie[0] == Requirement("statuts", "Contrat de groupement signé")
    assert "extrait_rccm:m2" in [d.code for d in gie]
