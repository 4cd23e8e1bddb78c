"""The legal-form rules on capital and shares: the shares make the capital, the members
hold them, contributions add up, each form's minimum."""

from __future__ import annotations

import dataclasses

import pytest

from registry.legal_forms import RULES, RuleViolation

from .rule_facts import (
    VALID,
    check,
    fcfa,
    fields,
    filing,
    messages,
    person,
    sarl_with_two_partners,
)


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
