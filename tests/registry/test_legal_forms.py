"""The legal-form rules: each form's consistent and broken filing, the names other code
relies on, the data file, the names and activity proposed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
    RuleViolation,
    format_fcfa,
    load_rules,
)

from .rule_facts import INVALID, VALID, check, fields


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
        (lambda raw: raw["forms"]["SA"].update(statutes_model="sa"), "statutes_model"),
        (lambda raw: raw["forms"]["SARL"].update(documents=["justificatif_siege"]),
         "statutes_model"),
        (lambda raw: raw["defaults"].pop("max_duration_years"), "max_duration_years"),
    ],
)
def test_a_bad_data_file_is_refused_with_what_is_wrong(tmp_path, edit, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        load_rules(edited_copy(tmp_path, edit))


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
