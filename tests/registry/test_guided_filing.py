"""The guided filing: a task list of sections saved as you go, each section's form, the
check-your-answers page and its rule problems, the legal forms, the supporting documents,
the draft statutes, and the sections reopened by a correction request."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from docx import Document

from documents.models import StoredFile, SupportingDocument
from documents.uploads import versions
from registry import filing
from registry.legal_forms import validate
from registry.models import ApplicationState, SignatureChallenge
from workflows import services as engine
from workflows.models import CaseState, TaskState

from ..conftest import COMPANY_DATA
from ..journeys import (
    SECTION_ANSWERS,
    add_person,
    party_form_data,
    pdf_bytes,
    request_code,
    save_section,
    start_filing,
    upload_document,
)
from ..workflows.helpers import case_of, task_of
from .filings import (
    AFI,
    AUDIT_FIRM,
    KOSSI,
    Plan,
    build,
    edit_events,
    field_error,
    fingerprint,
    messages_of,
    pdf_file,
    person,
    sarl_plan,
    sign_with_services,
    task_statuses,
    text,
    tree,
)

ALL_SECTIONS = ("Dénomination", "Forme juridique", "Activité", "Siège social",
                "Capital et parts", "Personnes", "Pièces justificatives")
SIGNING = "Vérifier et signer"
NOT_READY = "Le dossier ne peut pas encore être signé"


@pytest.fixture
def applicant(client, entrepreneur):
    client.force_login(entrepreneur)
    return client


def url(name: str, application, *args) -> str:
    return reverse(f"registry:{name}", args=[application.reference, *args])


def statuses(client, application) -> dict[str, str]:
    return task_statuses(client.get(application.get_absolute_url()))


# --- the task list -------------------------------------------------------------------------


def test_a_new_draft_shows_every_section_to_do(applicant):
    application = start_filing(applicant, "SARL")

    page = applicant.get(application.get_absolute_url())

    # The legal form is answered on the first page, when the filing is opened.
    assert statuses(applicant, application) == {
        **{title: "À faire" for title in ALL_SECTIONS}, "Forme juridique": "Terminé",
        SIGNING: "Pas encore possible"}
    assert re.search(r"\b1 parties? sur 7 terminées?", text(page))
    links = tree(page).xpath('//ol[contains(@class, "task-list")]/li/a/@href')
    assert links == [url("section", application, "names"), url("section", application, "form"),
                     url("section", application, "activity"),
                     url("section", application, "office"),
                     url("section", application, "capital"), url("people", application),
                     url("documents", application), url("review", application)]


def test_each_section_saved_through_its_page_becomes_done(applicant):
    application = start_filing(applicant, "SARL")
    steps = [
        ("Dénomination", lambda: save_section(applicant, application, "names",
                                              SECTION_ANSWERS["names"])),
        ("Activité", lambda: save_section(applicant, application, "activity",
                                          SECTION_ANSWERS["activity"])),
        ("Siège social", lambda: save_section(applicant, application, "office",
                                              SECTION_ANSWERS["office"])),
        ("Personnes", lambda: add_person(applicant, application, party_form_data())),
        # The capital is done once the contributions add up to it: after the people.
        ("Capital et parts", lambda: save_section(applicant, application, "capital",
                                                  SECTION_ANSWERS["capital"])),
        ("Pièces justificatives", lambda: _upload_all(applicant, application)),
    ]
    done = {"Forme juridique"}
    for title, step in steps:
        assert statuses(applicant, application)[title] == "À faire", title
        step()
        done.add(title)
        now = statuses(applicant, application)
        assert {t for t in ALL_SECTIONS if now[t] == "Terminé"} == done, title

    assert statuses(applicant, application)[SIGNING] == "Prêt"
    application.refresh_from_db()
    assert application.company_name == "Éléphant Bleu"
    assert application.alternative_names == ["Lagune Bleue"]
    assert application.normalized_name == "elephant bleu"
    assert (application.activity_code, application.region, application.prefecture) == (
        "46", "maritime", "golfe")
    assert (application.capital, application.share_count, application.share_nominal) == (
        1_000_000, 200, 5_000)
    assert filing.problems(application) == []


def _upload_all(client, application) -> None:
    application.refresh_from_db()
    for line in filing.document_lines(application):
        if not line.requirement.later:
            response = upload_document(client, application, line.requirement.code,
                                       pdf_file(line.requirement.code))
            assert response.status_code == 302


def test_the_saved_message_names_the_section(applicant):
    application = start_filing(applicant, "SARL")
    response = applicant.post(url("section", application, "office"), SECTION_ANSWERS["office"])
    assert "« Siège social » enregistré." in messages_of(response)


def test_an_ei_has_no_capital_section(applicant, entrepreneur):
    application = build(entrepreneur, Plan("EI", [person(KOSSI, "trader")]))

    page = applicant.get(application.get_absolute_url())

    assert "Capital et parts" not in statuses(applicant, application)
    assert url("section", application, "capital") not in page.content.decode()
    assert "6 parties sur 6 terminées" in text(page)
    review = applicant.get(url("review", application))
    assert "Capital social" not in text(review)
    assert url("section", application, "capital") not in review.content.decode()


def test_changing_a_sarl_into_an_ei_drops_its_capital(applicant, entrepreneur):
    application = build(entrepreneur, sarl_plan(), documents=False)

    save_section(applicant, application, "form", {"legal_form": "EI"})

    application.refresh_from_db()
    assert application.legal_form == "EI"
    assert (application.capital, application.share_count, application.share_nominal) == (
        None, None, None)
    assert "Capital et parts" not in statuses(applicant, application)


def test_the_capital_page_of_an_ei_saves_nothing(applicant, entrepreneur):
    application = build(entrepreneur, Plan("EI", [person(KOSSI, "trader")]))

    response = applicant.post(url("section", application, "capital"),
                              SECTION_ANSWERS["capital"])

    assert response.status_code in (302, 404)
    application.refresh_from_db()
    assert application.capital is None
    assert "Capital social" not in text(applicant.get(url("review", application)))


def test_signing_is_not_offered_as_ready_while_documents_are_missing(applicant, entrepreneur):
    application = build(entrepreneur, sarl_plan(), documents=False)
    now = statuses(applicant, application)
    assert now["Pièces justificatives"] == "À faire"
    assert now[SIGNING] == "Pas encore possible"


def test_a_gie_without_capital_can_be_completed(applicant, entrepreneur):
    application = build(entrepreneur, Plan("GIE", [person(KOSSI, "partner", "administrator"),
                                                   person(AFI, "partner")]))
    assert filing.problems(application) == []
    assert statuses(applicant, application)[SIGNING] == "Prêt"


def test_removing_a_person_updates_the_checklist(applicant, entrepreneur):
    application = build(entrepreneur, LEGAL_FORM_CASES["SNC"][0], documents=False)
    kossi, afi = application.parties.all()
    assert f"piece_identite:{afi.pk}" in {line.requirement.code
                                          for line in filing.document_lines(application)}

    response = applicant.post(url("party_remove", application, afi.pk))

    assert response["Location"] == url("people", application)
    assert list(application.parties.all()) == [kossi]
    assert f"piece_identite:{afi.pk}" not in {line.requirement.code
                                              for line in filing.document_lines(application)}
    assert "Associés : une SNC compte au moins 2 associés (1 déclaré)." in text(
        applicant.get(url("people", application)))


def test_a_person_of_another_filing_cannot_be_reached_through_ones_own(
    applicant, entrepreneur, other_entrepreneur
):
    mine = build(entrepreneur, sarl_plan(), documents=False)
    theirs = build(other_entrepreneur, sarl_plan(), documents=False)
    stranger = theirs.parties.get()

    assert applicant.get(url("party_edit", mine, stranger.pk)).status_code == 404
    assert applicant.post(url("party_edit", mine, stranger.pk),
                          party_form_data(last_name="Volé")).status_code == 404
    applicant.post(url("party_remove", mine, stranger.pk))

    assert theirs.parties.get().last_name == "Agbeko"
    assert mine.parties.count() == 1


def test_what_is_saved_stays_when_the_applicant_leaves_and_comes_back(entrepreneur):
    first_visit = Client()
    first_visit.force_login(entrepreneur)
    application = start_filing(first_visit, "SARL")
    save_section(first_visit, application, "names",
                 {**SECTION_ANSWERS["names"], "acronym": "EB"})
    save_section(first_visit, application, "activity", SECTION_ANSWERS["activity"])
    first_visit.logout()

    later = Client()
    later.force_login(entrepreneur)
    now = statuses(later, application)
    assert now["Dénomination"] == now["Activité"] == "Terminé"
    assert now["Siège social"] == "À faire"
    names = tree(later.get(url("section", application, "names")))
    assert names.get_element_by_id("id_name_1").get("value") == "Éléphant Bleu"
    assert names.get_element_by_id("id_name_2").get("value") == "Lagune Bleue"
    assert names.get_element_by_id("id_acronym").get("value") == "EB"
    activity = tree(later.get(url("section", application, "activity")))
    assert activity.xpath('//select[@name="activity_code"]//option[@selected]/@value') == ["46"]
    assert COMPANY_DATA["business_purpose"] in activity.get_element_by_id(
        "id_business_purpose").text_content()

    # Saving one section leaves the others as they were.
    save_section(later, application, "office", SECTION_ANSWERS["office"])
    application.refresh_from_db()
    assert application.company_name == "Éléphant Bleu" and application.acronym == "EB"
    assert application.activity_code == "46"
    assert application.registered_office == COMPANY_DATA["registered_office"]
    assert application.state == ApplicationState.DRAFT


# --- invalid input --------------------------------------------------------------------------


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


# --- check your answers ---------------------------------------------------------------------


def test_check_your_answers_lists_everything_with_a_change_link_per_item(
    applicant, entrepreneur
):
    plan = Plan("SARL", [
        person(KOSSI, "partner", "manager", "beneficial_owner", shares=100, cash=500_000,
               percent=50),
        person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000, percent=50),
    ], capital=1_000_000, share_count=200, share_nominal=5_000,
        names=("Éléphant Bleu", "Lagune Bleue"), extra={"names": {"acronym": "EB"}})
    application = build(entrepreneur, plan)
    kossi, afi = application.parties.all()

    response = applicant.get(url("review", application))

    page = text(response)
    for shown in ("Société à responsabilité limitée (SARL)", "Éléphant Bleu",
                  "Choix 2 : Lagune Bleue", "Sigle : EB",
                  "46 – Commerce de gros, à l'exception des véhicules automobiles",
                  COMPANY_DATA["business_purpose"], "12 rue du Commerce, Lomé",
                  "durée 99 ans", "Kossi AGBEKO", "Afi MENSAH",
                  "associé, gérant, bénéficiaire effectif", "associé, bénéficiaire effectif",
                  "100 parts ou actions", "Statuts signés", "statuts.pdf",
                  f"piece_identite-{kossi.pk}.pdf", "à fournir plus tard"):
        assert shown in page, shown
    assert re.search(r"1\W000\W000\WFCFA · 200 titres de 5\W000\WFCFA", page)
    lines = filing.document_lines(application)
    changes = tree(response).xpath('//dd[@class="change"]/a')
    expected = ([url("section", application, code)
                 for code in ("form", "names", "activity", "office", "capital")]
                + [url("party_edit", application, party.pk) for party in (kossi, afi)]
                + [url("documents", application)] * len(lines))
    assert [link.get("href") for link in changes] == expected
    # Each link says what it changes, for screen readers.
    hidden = [link.xpath('.//span[@class="visually-hidden"]')[0].text_content().strip()
              for link in changes]
    assert hidden[5:7] == ["Kossi AGBEKO", "Afi MENSAH"]
    assert hidden[7:] == [line.requirement.label for line in lines]
    assert NOT_READY not in page
    assert tree(response).xpath('//input[@name="accept"]')


def test_check_your_answers_shows_the_office_area_and_each_persons_identity(
    applicant, entrepreneur
):
    application = build(entrepreneur, sarl_plan())
    page = text(applicant.get(url("review", application)))
    for shown in ("Maritime", "Golfe", "TG-CNI-123456", "14 mars 1985"):
        assert shown in page, shown


RULE_PROBLEMS = [
    (Plan("SARLU", [
        person(KOSSI, "partner", "manager", "beneficial_owner", shares=100, cash=500_000,
               percent=50),
        person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000, percent=50)],
        capital=1_000_000, share_count=200, share_nominal=5_000),
     "Personnes", "Associés : une SARLU n'a qu'un seul associé (2 déclarés)."),
    (Plan("SA", [person(KOSSI, "partner", "president", "beneficial_owner", shares=100,
                        cash=1_000_000, percent=100), AUDIT_FIRM | {"roles": ["auditor"]}],
          capital=1_000_000, share_count=100, share_nominal=10_000),
     "Capital et parts",
     "Capital social : une SA doit avoir un capital d'au moins 10\u00a0000\u00a0000\u00a0FCFA."),
]


@pytest.mark.parametrize(("plan", "section", "message"), RULE_PROBLEMS,
                         ids=["SARLU-two-partners", "SA-small-capital"])
def test_check_your_answers_lists_the_rule_problems_naming_the_field_and_sends_no_code(
    applicant, entrepreneur, plan, section, message
):
    application = build(entrepreneur, plan)
    assert message in [problem.message for problem in validate(filing.facts_for(application))]

    review = applicant.get(url("review", application))

    alert = tree(review).xpath('//div[@role="alert"]')[0].text_content()
    assert NOT_READY in alert
    assert message in alert
    assert not tree(review).xpath('//input[@name="accept"]')
    task_list = applicant.get(application.get_absolute_url())
    assert task_statuses(task_list)[section] == "À faire"
    assert message in text(task_list)

    response = applicant.post(url("review", application), {"accept": "on"})

    assert response.status_code == 200
    assert ("Le dossier est incomplet : corrigez les points signalés avant de le signer."
            in messages_of(response))
    assert not SignatureChallenge.objects.exists()
    assert mail.outbox == []


def test_no_code_is_sent_while_documents_are_missing(applicant, entrepreneur):
    application = build(entrepreneur, sarl_plan(), documents=False)
    assert filing.problems(application) == []

    review = applicant.get(url("review", application))
    alert = tree(review).xpath('//div[@role="alert"]')[0].text_content()
    assert "Pièce manquante : Statuts signés" in alert
    assert "Pièce manquante : Extrait de casier judiciaire" not in alert  # due later

    response = applicant.post(url("review", application), {"accept": "on"})

    assert "Des pièces justificatives manquent : ajoutez-les avant de signer." in (
        messages_of(response))
    assert not SignatureChallenge.objects.exists()
    assert mail.outbox == []
    assert statuses(applicant, application)["Pièces justificatives"] == "À faire"


def test_the_declaration_must_be_accepted(applicant, entrepreneur):
    application = build(entrepreneur, sarl_plan())

    # An unticked box is not sent: a browser posts only the CSRF token.
    response = applicant.post(url("review", application), {"csrfmiddlewaretoken": "x"})

    assert "Cochez la case pour signer la déclaration." in field_error(response, "accept")
    assert not SignatureChallenge.objects.exists()


# --- the legal forms ------------------------------------------------------------------------


def _minor(base: dict) -> dict:
    return {**base, "birth_date": date(date.today().year - 10, 1, 1)}


SHAREHOLDER = ("partner", "president", "beneficial_owner")
LEGAL_FORM_CASES = {
    "SARL": (
        sarl_plan("SARL"),
        Plan("SARL", [person(KOSSI, "partner", "beneficial_owner", shares=100, cash=500_000,
                             percent=50),
                      person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000,
                             percent=50)], 1_000_000, 200, 5_000),
        "Gérance : au moins un gérant, personne physique, est requis.",
    ),
    "SARLU": (sarl_plan("SARLU"), RULE_PROBLEMS[0][0], RULE_PROBLEMS[0][2]),
    "SA": (
        Plan("SA", [person(KOSSI, *SHAREHOLDER, shares=1_000, cash=10_000_000, percent=100),
                    AUDIT_FIRM | {"roles": ["auditor"]}], 10_000_000, 1_000, 10_000),
        RULE_PROBLEMS[1][0], RULE_PROBLEMS[1][2],
    ),
    "SAS": (
        Plan("SAS", [person(KOSSI, *SHAREHOLDER, shares=100, cash=1_000_000, percent=100)],
             1_000_000, 100, 10_000),
        Plan("SAS", [person(KOSSI, "partner", "beneficial_owner", shares=100, cash=1_000_000,
                            percent=100)], 1_000_000, 100, 10_000),
        "Présidence : au moins un président est requis.",
    ),
    "SASU": (
        Plan("SASU", [person(KOSSI, *SHAREHOLDER, shares=100, cash=1_000_000, percent=100)],
             1_000_000, 100, 10_000),
        Plan("SASU", [person(KOSSI, *SHAREHOLDER, shares=50, cash=500_000, percent=50),
                      person(AFI, "partner", "beneficial_owner", shares=50, cash=500_000,
                             percent=50)], 1_000_000, 100, 10_000),
        "Actionnaires : une SASU n'a qu'un seul actionnaire (2 déclarés).",
    ),
    "SNC": (
        Plan("SNC", [person(KOSSI, "partner", "manager", "beneficial_owner", shares=100,
                            cash=500_000, percent=50),
                     person(AFI, "partner", "beneficial_owner", shares=100, cash=500_000,
                            percent=50)], 1_000_000, 200, 5_000),
        Plan("SNC", [person(KOSSI, "partner", "manager", "beneficial_owner", shares=200,
                            cash=1_000_000, percent=100)], 1_000_000, 200, 5_000),
        "Associés : une SNC compte au moins 2 associés (1 déclaré).",
    ),
    "SCS": (
        Plan("SCS", [person(KOSSI, "general_partner", "manager", "beneficial_owner",
                            shares=100, cash=500_000, percent=50),
                     person(AFI, "limited_partner", "beneficial_owner", shares=100,
                            cash=500_000, percent=50)], 1_000_000, 200, 5_000),
        Plan("SCS", [person(KOSSI, "general_partner", "beneficial_owner", shares=100,
                            cash=500_000, percent=50),
                     person(AFI, "limited_partner", "manager", "beneficial_owner", shares=100,
                            cash=500_000, percent=50)], 1_000_000, 200, 5_000),
        "Fonctions : Afi MENSAH ne peut pas être à la fois commanditaire et gérant.",
    ),
    "EI": (
        Plan("EI", [person(KOSSI, "trader")]),
        Plan("EI", [person(_minor(KOSSI), "trader")]),
        "Date de naissance : Kossi AGBEKO a 10 ans ; un commerçant exploitant doit être "
        "majeur (18 ans révolus).",
    ),
    "GIE": (
        # A GIE may have no capital: it answers the capital section with zeros.
        Plan("GIE", [person(KOSSI, "partner", "administrator"), person(AFI, "partner")],
             0, 0, 0),
        Plan("GIE", [person(KOSSI, "partner", "administrator")], 0, 0, 0),
        "Membres : un GIE compte au moins 2 membres (1 déclaré).",
    ),
}


@pytest.mark.parametrize("legal_form", list(LEGAL_FORM_CASES))
def test_a_valid_filing_of_each_legal_form_can_be_signed(applicant, entrepreneur, legal_form):
    plan = LEGAL_FORM_CASES[legal_form][0]
    application = build(entrepreneur, plan)
    assert validate(filing.facts_for(application)) == []

    now = statuses(applicant, application)
    assert set(now.values()) == {"Terminé", "Prêt"}, now
    review = applicant.get(url("review", application))
    assert NOT_READY not in text(review)
    assert tree(review).xpath('//input[@name="accept"]')
    code = request_code(applicant, application)
    assert re.fullmatch(r"\d{6}", code)
    assert SignatureChallenge.objects.filter(application=application,
                                             used_at__isnull=True).count() == 1


@pytest.mark.parametrize("legal_form", list(LEGAL_FORM_CASES))
def test_an_invalid_filing_of_each_legal_form_is_stopped_with_the_rule_broken(
    applicant, entrepreneur, legal_form
):
    _valid, plan, message = LEGAL_FORM_CASES[legal_form]
    application = build(entrepreneur, plan)
    assert [problem.message for problem in validate(filing.facts_for(application))] == [message]

    assert statuses(applicant, application)[SIGNING] == "Pas encore possible"
    review = applicant.get(url("review", application))
    assert message in text(review)
    assert not tree(review).xpath('//input[@name="accept"]')
    response = applicant.post(url("review", application), {"accept": "on"})
    assert response.status_code == 200
    assert not SignatureChallenge.objects.exists()


# --- supporting documents -------------------------------------------------------------------


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def undocumented(entrepreneur):
    return build(entrepreneur, sarl_plan(), documents=False)


def _upload(client, application, requirement, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return upload_document(client, application, requirement,
                           SimpleUploadedFile(name, data, content_type="application/pdf"))


def test_a_png_renamed_pdf_is_refused_in_french_and_nothing_is_stored(
    applicant, undocumented, settings
):
    response = _upload(applicant, undocumented, "statuts", "statuts.pdf", _png())

    assert response.status_code == 200
    assert ("Le fichier « statuts.pdf » n'est pas un document PDF, bien que son nom "
            "l'indique : c'est en réalité une image PNG." in messages_of(response)[0])
    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    assert _files(settings) == []
    assert "Manquante" in text(response)


def test_an_oversize_file_is_refused_and_nothing_is_stored(applicant, undocumented, settings):
    data = pdf_bytes("Statuts " * 40)
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    assert len(data) > 1024

    response = _upload(applicant, undocumented, "statuts", "statuts.pdf", data)

    assert ("Le fichier « statuts.pdf » dépasse la taille maximale autorisée (1 Ko)."
            in messages_of(response))
    assert not SupportingDocument.objects.exists()
    assert _files(settings) == []


def test_an_upload_is_kept_with_the_sha256_of_its_bytes(applicant, undocumented, entrepreneur):
    data = pdf_bytes("Bail commercial, 12 rue du Commerce")

    response = _upload(applicant, undocumented, "justificatif_siege", "bail.pdf", data)

    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.requirement == "justificatif_siege"
    assert document.is_current and document.version == 1
    assert document.uploaded_by == entrepreneur
    stored = document.stored_file
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.content_type == "application/pdf"
    with stored.file.open("rb") as handle:
        assert handle.read() == data
    page = text(applicant.get(url("documents", undocumented)))
    assert "Reçue bail.pdf · version 1" in page
    assert (filing.snapshot(undocumented)["documents"]["justificatif_siege"]["sha256"]
            == hashlib.sha256(data).hexdigest())


def test_a_replacement_keeps_the_old_version(applicant, undocumented):
    first, second = pdf_bytes("Statuts, version 1"), pdf_bytes("Statuts, version 2")
    _upload(applicant, undocumented, "statuts", "statuts.pdf", first)

    response = _upload(applicant, undocumented, "statuts", "statuts-signes.pdf", second)

    assert response.status_code == 302
    old, new = versions(undocumented, "statuts")
    assert (old.version, old.is_current, new.version, new.is_current) == (1, False, 2, True)
    assert new.replaces == old
    assert old.stored_file.sha256 == hashlib.sha256(first).hexdigest()
    with old.stored_file.file.open("rb") as handle:
        assert handle.read() == first
    assert new.stored_file.sha256 == hashlib.sha256(second).hexdigest()
    assert "statuts-signes.pdf · version 2" in text(applicant.get(url("documents",
                                                                       undocumented)))


@pytest.mark.parametrize("requirement", [
    "rapport_commissaire_apports",  # a real kind of document, not asked of this filing
    "piece_identite:999999",  # nobody of that id in the filing
    "statuts_bis", "",
])
def test_a_document_not_in_the_checklist_is_refused(applicant, undocumented, requirement):
    response = _upload(applicant, undocumented, requirement, "piece.pdf", pdf_bytes())

    assert "Cette pièce n'est pas demandée pour ce dossier." in messages_of(response)
    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()


def test_a_post_without_a_file_asks_for_one(applicant, undocumented):
    response = applicant.post(url("documents", undocumented), {"requirement": "statuts"})
    assert "Choisissez un fichier à envoyer." in messages_of(response)
    assert not SupportingDocument.objects.exists()


def test_the_checklist_follows_the_people(applicant, undocumented):
    party = undocumented.parties.get()
    codes = [code for code, _ in _requirement_codes(applicant, undocumented)]
    assert codes == ["statuts", "justificatif_siege", f"piece_identite:{party.pk}",
                     f"declaration_non_interdiction:{party.pk}", f"casier_judiciaire:{party.pk}"]


def _requirement_codes(client, application):
    from ..journeys import requirements_on_page

    return requirements_on_page(client, application)


# --- the draft statutes ---------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_draft_statutes_read_back_with_the_parties_and_the_capital(applicant, entrepreneur):
    application = build(entrepreneur, Plan("SARL", [
        person(KOSSI, "partner", "manager", "beneficial_owner", shares=120, cash=600_000,
               percent=60),
        person(AFI, "partner", "beneficial_owner", shares=80, cash=400_000, percent=40),
    ], capital=1_000_000, share_count=200, share_nominal=5_000), documents=False)
    assert "Télécharger le projet de statuts (DOCX)" in text(
        applicant.get(url("documents", application)))

    response = applicant.get(url("statutes", application))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert f'filename="statuts-{application.reference}.docx"' in response[
        "Content-Disposition"]
    deed = _docx_text(response.content)
    lines = deed.splitlines()
    nbsp = "\u00a0"
    assert "Éléphant Bleu" in deed
    assert f"Le capital social est fixé à la somme de 1{nbsp}000{nbsp}000{nbsp}FCFA." in lines
    assert f"Il est divisé en 200 parts sociales de 5{nbsp}000{nbsp}FCFA chacune" in deed
    assert "Kossi AGBEKO : 120 parts sociales, numérotées de 1 à 120 ;" in lines
    assert "Afi MENSAH : 80 parts sociales, numérotées de 121 à 200 ;" in lines
    assert (f"Kossi AGBEKO apporte à la société la somme de 600{nbsp}000{nbsp}FCFA en "
            "numéraire." in lines)
    assert (f"Afi MENSAH apporte à la société la somme de 400{nbsp}000{nbsp}FCFA en "
            "numéraire." in lines)
    assert "TG-CNI-123456" in deed and "TG-CNI-777888" in deed
    manager = lines.index("Est nommé premier gérant de la société, pour une durée de 4 ans :")
    assert lines[manager + 1].startswith("Kossi AGBEKO")
    assert "1 000 000 FCFA" not in deed  # ordinary spaces would break across lines


def test_the_draft_statutes_name_the_prefecture_without_a_wrong_article(applicant, entrepreneur):
    application = build(entrepreneur, sarl_plan(), documents=False)
    deed = _docx_text(applicant.get(url("statutes", application)).content)
    assert "Préfecture : Golfe" in deed  # no guessed article before the name
    assert "Préfecture de Golfe" not in deed


def test_statutes_are_drafted_only_for_the_forms_that_have_them(applicant, entrepreneur):
    application = build(entrepreneur, LEGAL_FORM_CASES["SA"][0], documents=False)
    assert applicant.get(url("statutes", application)).status_code == 404
    assert "projet de statuts" not in text(applicant.get(url("documents", application)))


def test_statutes_that_cannot_be_drafted_yet_say_why(applicant):
    application = start_filing(applicant, "SARL")

    response = applicant.get(url("statutes", application))

    assert response.status_code == 302
    assert response["Location"] == url("documents", application)
    assert any(message.startswith("Les statuts ne peuvent pas encore être rédigés :")
               for message in messages_of(response))


# --- corrections ----------------------------------------------------------------------------


@pytest.fixture
def returned(entrepreneur, clerks):
    """A complete SARL, signed, then sent back by the first desk for its people and office."""
    application = build(entrepreneur, sarl_plan())
    sign_with_services(application, entrepreneur)
    intake = task_of(case_of(application), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"],
                       comment="Adresse du gérant et du siège incomplètes.",
                       fields=["people", "office"])
    application.refresh_from_db()
    assert application.state == ApplicationState.CORRECTION_REQUESTED
    return application


def test_the_status_page_links_to_the_sections_to_correct(applicant, returned):
    response = applicant.get(returned.get_absolute_url())

    page = text(response)
    assert "L'administration vous demande une correction." in page
    assert "Adresse du gérant et du siège incomplètes." in page
    links = tree(response).xpath('//div[contains(@class, "now")]//ul/li/a')
    assert {(link.text_content().strip(), link.get("href")) for link in links} == {
        ("Personnes", url("people", returned)),
        # the people's documents reopen with them (registry.services.reopened_sections)
        ("Pièces justificatives", url("documents", returned)),
        ("Siège social", url("section", returned, "office")),
    }
    assert url("section", returned, "names") not in response.content.decode()
    assert url("review", returned) in response.content.decode()


def test_under_correction_only_the_named_sections_can_be_changed(applicant, returned):
    party = returned.parties.get()
    documents = SupportingDocument.objects.count()

    for section in ("names", "activity", "capital", "form"):
        assert applicant.get(url("section", returned, section))["Location"] == (
            returned.get_absolute_url())
        data = {**SECTION_ANSWERS.get(section, {}), "name_1": "Nom changé en douce",
                "capital": "5", "legal_form": "SA"}
        response = applicant.post(url("section", returned, section), data)
        assert "Cette partie du dossier ne peut plus être modifiée." in messages_of(response)
    assert SupportingDocument.objects.count() == documents
    returned.refresh_from_db()
    assert (returned.company_name, returned.capital, returned.legal_form) == (
        "Éléphant Bleu", 1_000_000, "SARL")

    save_section(applicant, returned, "office",
                 {**SECTION_ANSWERS["office"], "registered_office": "45 boulevard du 13 Janvier"})
    response = applicant.post(url("party_edit", returned, party.pk),
                              party_form_data(address="Tokoin, rue 12, Lomé"))
    assert response.status_code == 302

    returned.refresh_from_db()
    assert returned.registered_office == "45 boulevard du 13 Janvier"
    assert returned.parties.get().address == "Tokoin, rue 12, Lomé"
    assert returned.state == ApplicationState.CORRECTION_REQUESTED


def test_a_corrected_filing_is_signed_again_and_goes_back_to_the_desk(applicant, returned):
    save_section(applicant, returned, "office",
                 {**SECTION_ANSWERS["office"], "registered_office": "45 boulevard du 13 Janvier"})

    code = request_code(applicant, returned)
    response = applicant.post(url("sign", returned), {"code": code})

    assert response["Location"] == returned.get_absolute_url()
    returned.refresh_from_db()
    assert returned.state == ApplicationState.IN_REVIEW
    assert returned.correction_fields == []
    first, second = returned.signatures.order_by("signed_at", "pk")
    assert first.snapshot["application"]["registered_office"] == "12 rue du Commerce"
    assert second.snapshot["application"]["registered_office"] == "45 boulevard du 13 Janvier"
    case = case_of(returned)
    assert case.state == CaseState.RUNNING
    assert task_of(case, "intake").state == TaskState.READY


def test_a_person_added_under_correction_can_bring_their_documents(applicant, returned):
    add_person(applicant, returned, party_form_data(
        first_name="Afi", last_name="Mensah", id_document_number="TG-CNI-777888",
        roles=["manager"], shares="0", cash_contribution="0", ownership_percent=""))
    afi = returned.parties.get(first_name="Afi")
    for code in (f"piece_identite:{afi.pk}", f"declaration_non_interdiction:{afi.pk}"):
        response = _upload(applicant, returned, code, "afi.pdf", pdf_bytes(code))
        assert response.status_code == 302, messages_of(response)

    code = request_code(applicant, returned)
    assert applicant.post(url("sign", returned), {"code": code}).status_code == 302
    returned.refresh_from_db()
    assert returned.state == ApplicationState.IN_REVIEW


def test_a_capital_reopened_alone_can_be_corrected_and_signed_again(
    applicant, entrepreneur, clerks
):
    application = build(entrepreneur, sarl_plan())
    sign_with_services(application, entrepreneur)
    intake = task_of(case_of(application), "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    engine.return_task(task_id=intake.pk, user=clerks["guichet"], fields=["capital"],
                       comment="Le capital déposé à la banque est de 2 000 000 FCFA.")
    party = application.parties.get()

    save_section(applicant, application, "capital", {
        "capital": "2000000", "share_count": "400", "share_nominal": "5000",
        "duration_years": "99"})
    applicant.post(url("party_edit", application, party.pk),
                   party_form_data(shares="400", cash_contribution="2000000"))

    application.refresh_from_db()
    assert application.capital == 2_000_000
    assert filing.problems(application) == []
    code = request_code(applicant, application)
    assert applicant.post(url("sign", application), {"code": code}).status_code == 302
