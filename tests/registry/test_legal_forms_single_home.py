"""Each rule of the legal forms has one home (registry.legal_forms, fed by its data file):
change it there and the filing's validation, its forms, the screening check and the draft
statutes all follow; and the statutes state the form the filing chose."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone

from registry import checks, filing
from registry.forms import CapitalForm
from registry.legal_forms import (
    DEED_NAMES,
    RULES,
    STATUTES_MODELS,
    validate,
    validate_structure,
)
from registry.legal_forms import rules as legal_rules
from registry.models import Party
from registry.statutes import FAMILIES, OFFICER_ROLES, render_statutes
from workflows.services import CheckFailed

from .filings import AFI, KOSSI, Plan, build, person, sarl_plan
from .rule_facts import VALID, fcfa


def two_partner_sarl() -> Plan:
    return Plan("SARL", [
        person(KOSSI, "partner", "manager", "beneficial_owner", shares=120, cash=600_000,
               percent=60),
        person(AFI, "partner", "beneficial_owner", shares=80, cash=400_000, percent=40),
    ], capital=1_000_000, share_count=200, share_nominal=5_000)


@pytest.fixture
def adult_age(monkeypatch):
    """Set the adult age of the loaded rules, as a change of the data file would."""
    def set_to(years: int) -> None:
        monkeypatch.setattr(legal_rules, "POLICY",
                            dataclasses.replace(legal_rules.POLICY, adult_age=years))
    return set_to


def screen(application) -> str:
    return checks.screening(case=SimpleNamespace(subject_id=application.pk), task=None)


# --- the adult age ------------------------------------------------------------------------


def test_the_adult_age_of_the_rules_is_the_one_the_filing_and_the_screening_apply(
    entrepreneur, adult_age
):
    application = build(entrepreneur, sarl_plan(), documents=False)
    today = timezone.localdate()
    Party.objects.filter(application=application).update(
        birth_date=date(today.year - 19, 1, 1))
    assert screen(application) == "Dirigeants contrôlés."
    assert not [v for v in validate(filing.facts_for(application))
                if v.field.endswith("birth_date")]

    adult_age(21)

    with pytest.raises(CheckFailed, match="Kossi AGBEKO est mineur"):
        screen(application)
    assert [v.message for v in validate(filing.facts_for(application))
            if v.field.endswith("birth_date")] == [
        "Date de naissance : Kossi AGBEKO a 19 ans ; un gérant doit être majeur "
        "(21 ans révolus)."]


def test_a_lower_adult_age_lets_both_through(entrepreneur, adult_age):
    application = build(entrepreneur, sarl_plan(), documents=False)
    today = timezone.localdate()
    Party.objects.filter(application=application).update(
        birth_date=date(today.year - 17, 1, 1))
    with pytest.raises(CheckFailed, match="mineur"):
        screen(application)

    adult_age(16)

    assert screen(application) == "Dirigeants contrôlés."
    assert validate(filing.facts_for(application)) == []


def test_the_screening_looks_up_the_managing_roles_of_the_rules(entrepreneur, monkeypatch):
    application = build(entrepreneur, sarl_plan(), documents=False)
    Party.objects.filter(application=application).update(id_document_number="12")
    with pytest.raises(CheckFailed, match="mal formé"):
        screen(application)

    monkeypatch.setattr(legal_rules, "POLICY", dataclasses.replace(
        legal_rules.POLICY, manager_roles=legal_rules.POLICY.manager_roles - {"manager"}))

    assert screen(application) == "Dirigeants contrôlés."


# --- the minimum capital ------------------------------------------------------------------


def test_the_minimum_capital_of_the_rules_is_the_one_the_filing_and_the_statutes_apply(
    entrepreneur, monkeypatch
):
    application = build(entrepreneur, two_partner_sarl(), documents=False)
    assert validate(filing.facts_for(application)) == []
    assert render_statutes(filing.statutes_facts(application))

    monkeypatch.setitem(RULES, "SARL", dataclasses.replace(RULES["SARL"],
                                                           min_capital=5_000_000))

    minimum = fcfa("Capital social : une SARL doit avoir un capital d'au moins "
                   "5 000 000 FCFA.")
    assert [v.message for v in validate(filing.facts_for(application))] == [minimum]
    with pytest.raises(ValueError, match=re.escape(minimum)):
        render_statutes(filing.statutes_facts(application))


def test_the_statutes_and_the_filing_count_the_partners_of_a_form_alike(entrepreneur):
    application = build(entrepreneur, two_partner_sarl(), documents=False)
    application.legal_form = "SARLU"
    message = "Associés : une SARLU n'a qu'un seul associé (2 déclarés)."

    assert message in [v.message for v in validate(filing.facts_for(application))]
    with pytest.raises(ValueError, match=re.escape(message)):
        render_statutes(filing.statutes_facts(application))


def test_validate_structure_is_the_part_of_validate_on_members_officers_and_capital():
    for form, facts in VALID.items():
        assert validate_structure(facts) == [], form
    broken = dataclasses.replace(VALID["SA"], capital=5_000_000, share_count=500)
    assert set(validate_structure(broken)) <= set(validate(broken))
    assert validate_structure(broken)


# --- the longest duration -----------------------------------------------------------------


def test_the_longest_duration_of_the_rules_bounds_the_capital_form_and_the_statutes(
    entrepreneur, monkeypatch
):
    application = build(entrepreneur, two_partner_sarl(), documents=False)
    data = {"capital": "1000000", "share_count": "200", "share_nominal": "5000",
            "duration_years": "80"}
    assert CapitalForm(data, instance=application).is_valid()
    assert render_statutes(dataclasses.replace(filing.statutes_facts(application),
                                               duration_years=80))

    monkeypatch.setattr(legal_rules, "POLICY", dataclasses.replace(
        legal_rules.POLICY, max_duration_years=50))

    form = CapitalForm(data, instance=application)
    assert not form.is_valid()
    assert "50" in form.errors["duration_years"][0]
    assert str(form.fields["duration_years"].help_text) == "50 ans au plus (OHADA)."
    with pytest.raises(ValueError, match="entre 1 et 50 ans"):
        render_statutes(dataclasses.replace(filing.statutes_facts(application),
                                            duration_years=80))


# --- the form the statutes state ----------------------------------------------------------


@pytest.mark.parametrize(("plan", "title"), [
    (sarl_plan("SARL"), "Société à responsabilité limitée (SARL)"),
    (sarl_plan("SARLU"), "Société à responsabilité limitée unipersonnelle (SARLU)"),
    (two_partner_sarl(), "Société à responsabilité limitée (SARL)"),
], ids=["SARL-one-partner", "SARLU", "SARL-two-partners"])
def test_the_statutes_state_the_form_of_the_filing(entrepreneur, plan, title):
    application = build(entrepreneur, plan, documents=False)

    statutes_facts = filing.statutes_facts(application)

    assert statutes_facts.legal_form == application.legal_form
    assert title.encode() in _document_xml(render_statutes(statutes_facts))


def test_the_forms_with_statutes_come_from_the_data():
    assert filing.STATUTES_FORMS == legal_rules.statutes_forms() == (
        "SARL", "SARLU", "SAS", "SASU")
    assert set(FAMILIES) == STATUTES_MODELS
    assert set(DEED_NAMES) == set(legal_rules.statutes_forms())
    for code in legal_rules.statutes_forms():
        rules = RULES[code]
        assert "statuts" in rules.documents
        family = FAMILIES[rules.statutes_model]
        assert family.officer_roles <= rules.allowed_roles, code
        assert {requirement.role for requirement in rules.required_roles} \
            <= family.officer_roles, code
    assert sorted(OFFICER_ROLES) == ["director", "manager", "president"]


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")
