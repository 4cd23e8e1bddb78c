"""Check your answers: everything filed with a change link, the rule problems naming their
field, and a valid or invalid filing of each legal form signed or stopped."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from registry import filing
from registry.legal_forms import validate
from registry.models import SignatureChallenge

from ..conftest import COMPANY_DATA
from ..journeys import request_code
from .filings import (
    AFI,
    KOSSI,
    Plan,
    build,
    field_error,
    messages_of,
    person,
    sarl_plan,
    task_statuses,
    text,
    tree,
)
from .guided import LEGAL_FORM_CASES, NOT_READY, RULE_PROBLEMS, SIGNING, statuses, url


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
