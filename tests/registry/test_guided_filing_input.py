"""The guided filing refuses invalid input in a section or about a person, in French, at
the field, and saves nothing."""

from __future__ import annotations

import pytest

from ..journeys import SECTION_ANSWERS, party_form_data, start_filing
from .filings import build, edit_events, field_error, fingerprint, sarl_plan, text
from .guided import LEGAL_FORM_CASES, url

INVALID_SECTIONS = [
    ("names", {"name_1": "   "}, "name_1", "Ce champ est obligatoire."),
    ("names", {"name_1": "Lagune Verte", "name_2": "lagune  verte"}, "name_2",
     "Ce nom est déjà proposé plus haut."),
    ("activity", {"activity_code": "9999"}, "activity_code", "Sélectionnez un choix valide."),
    ("activity", {"business_purpose": ""}, "business_purpose", "Ce champ est obligatoire."),
    ("office", {"region": "plateaux", "prefecture": "golfe"}, "prefecture",
     "Cette préfecture n'est pas dans la région choisie."),
    ("office", {"registered_office": ""}, "registered_office", "Ce champ est obligatoire."),
    ("capital", {"share_nominal": "4000"}, "share_nominal",
     "200 parts de 4\u00a0000\u00a0FCFA font 800\u00a0000\u00a0FCFA, "
     "pas 1\u00a0000\u00a0000\u00a0FCFA."),
    ("capital", {"capital": "un million"}, "capital", "Saisissez un nombre entier."),
    ("capital", {"duration_years": "150"}, "duration_years",
     "Assurez-vous que cette valeur est inférieure ou égale à 99."),
    ("form", {"legal_form": "SARLX"}, "legal_form", "Sélectionnez un choix valide."),
]


@pytest.mark.parametrize(("section", "change", "field", "message"), INVALID_SECTIONS)
def test_invalid_input_in_a_section_is_refused_in_french_at_its_field_and_nothing_is_saved(
    applicant, entrepreneur, section, change, field, message
):
    application = build(entrepreneur, sarl_plan())
    before, events = fingerprint(application), edit_events(application)
    data = {**SECTION_ANSWERS.get(section, {}), **change}

    response = applicant.post(url("section", application, section), data)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "Corrigez les champs signalés ci-dessous." in text(response)
    assert fingerprint(application) == before
    assert edit_events(application) == events


INVALID_PEOPLE = [
    ({"birth_date": "2099-01-01"}, "birth_date", "La date de naissance est dans le futur."),
    ({"id_document_number": ""}, "id_document_number", "Ce champ est obligatoire."),
    ({"address": ""}, "address", "Ce champ est obligatoire."),
    ({"roles": ["president"]}, "roles", "Sélectionnez un choix valide."),
    ({"roles": []}, "roles", "Ce champ est obligatoire."),
    ({"in_kind_contribution": "300000"}, "in_kind_description",
     "Décrivez le bien apporté en nature."),
    ({"ownership_percent": "150"}, "ownership_percent", "Un pourcentage entre 0 et 100."),
    ({"kind": "legal", "legal_name": "Holding Lagune SA", "representative": ""},
     "representative", "Ce champ est obligatoire."),
    ({"shares": "-3"}, "shares", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID_PEOPLE)
@pytest.mark.parametrize("existing", [False, True], ids=["add", "edit"])
def test_invalid_input_about_a_person_is_refused_in_french_at_its_field(
    applicant, entrepreneur, change, field, message, existing
):
    application = build(entrepreneur, sarl_plan())
    before, events = fingerprint(application), edit_events(application)
    target = (url("party_edit", application, application.parties.get().pk) if existing
              else url("party_add", application))

    response = applicant.post(target, party_form_data(**change))

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "Corrigez les champs signalés ci-dessous." in text(response)
    assert application.parties.count() == 1
    assert fingerprint(application) == before
    assert edit_events(application) == events


def test_the_capital_error_of_a_company_with_actions_speaks_of_actions(applicant, entrepreneur):
    application = build(entrepreneur, LEGAL_FORM_CASES["SA"][0], documents=False)

    response = applicant.post(url("section", application, "capital"), {
        "capital": "10000000", "share_count": "1000", "share_nominal": "1000",
        "duration_years": "99"})

    message = field_error(response, "share_nominal")
    assert "actions" in message and "parts" not in message
    assert "10\u00a0000\u00a0000\u00a0FCFA" in message


def test_an_unknown_section_is_not_found(applicant, entrepreneur):
    application = start_filing(applicant, "SARL")
    assert applicant.get(url("section", application, "people")).status_code == 404
    assert applicant.post(url("section", application, "owner"), {}).status_code == 404
