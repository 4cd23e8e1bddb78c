"""The guided filing's task list: sections saved as you go, each one done when complete,
the capital section only where the form has capital, what stays when one leaves."""

from __future__ import annotations

import re

from django.test import Client

from registry import filing
from registry.models import ApplicationState

from ..conftest import COMPANY_DATA
from ..journeys import (
    SECTION_ANSWERS,
    add_person,
    party_form_data,
    save_section,
    start_filing,
    upload_document,
)
from .filings import AFI, KOSSI, Plan, build, messages_of, pdf_file, person, sarl_plan, text, tree
from .guided import ALL_SECTIONS, LEGAL_FORM_CASES, SIGNING, statuses, url


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
