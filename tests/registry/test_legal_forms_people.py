"""The legal-form rules on people: ages, members per form, the roles each form requires
or refuses, natural and legal persons, and beneficial owners."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from registry import legal_forms
from registry.legal_forms import FilingFacts, RuleViolation, validate

from .rule_facts import (
    VALID,
    check,
    fields,
    filing,
    messages,
    person,
    sarl_with_two_partners,
)

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
    monkeypatch.setattr(legal_forms.rules, "lome_today", lambda: date(2008, 3, 15))
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
