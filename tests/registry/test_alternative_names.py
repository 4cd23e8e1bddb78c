"""The 2nd and 3rd choices of name: checked like the first by the engine (reported, the
first choice decides) and on the applicant's page (one check per field), each check naming
the registered company the name resembles."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from django.urls import reverse

from registry import checks
from registry import services as registry_services
from registry.models import Application, Company
from tests.fees import submit_and_pay
from workflows.services import CheckFailed

from ..conftest import COMPANY_DATA, FOUNDER_DATA
from ..journeys import save_section, start_filing
from .filings import tree


@pytest.fixture
def elephant(make_user):
    owner = make_user("elephant@example.tg")
    application = registry_services.application_create(
        owner=owner, data=dict(COMPANY_DATA, company_name="ELEPHANT-BLEU"),
        founder=dict(FOUNDER_DATA))
    return Company.objects.create(
        application=application, name="ELEPHANT-BLEU", legal_form="SARL",
        rccm_number="TG-LOM-2025-B-00042", capital=1_000_000,
        registered_office="3 avenue de la Libération, Lomé")


@pytest.fixture
def filed(make_user):
    def make(*names: str) -> Application:
        owner = make_user("demandeur@example.tg")
        draft = registry_services.application_create(
            owner=owner, data=dict(COMPANY_DATA, company_name=names[0]),
            founder=dict(FOUNDER_DATA))
        Application.objects.filter(pk=draft.pk).update(alternative_names=list(names[1:]))
        return submit_and_pay(application_id=draft.pk, user=owner)

    return make


def run(application):
    return checks.name_check(case=SimpleNamespace(subject_id=application.pk), task=None)


def labels(evidence) -> list[str]:
    return [row["label"] for row in evidence]


def test_every_choice_is_checked_and_the_first_taken_goes_to_a_clerk(elephant, filed):
    filing = filed("Société Éléphant Bleu", "Éléphant Bleue", "Boulangerie du Golfe")

    with pytest.raises(CheckFailed) as failure:
        run(filing)

    message = str(failure.value)
    assert message.startswith("Dénomination déjà immatriculée : « ELEPHANT-BLEU »")
    assert ("Autres choix : 2e choix « Éléphant Bleue » proche d'un autre nom ; "
            "3e choix « Boulangerie du Golfe » disponible.") in message
    evidence = failure.value.evidence
    rows = {row["label"]: row["value"] for row in evidence}
    assert rows["Dénomination contrôlée"] == "Société Éléphant Bleu"
    assert rows["Dénomination contrôlée (2e choix)"] == (
        "Éléphant Bleue : proche d'un autre nom")
    assert rows["Dénomination contrôlée (3e choix)"] == "Boulangerie du Golfe : disponible"
    assert rows["2e choix — Nom proche : « ELEPHANT-BLEU » (registre, TG-LOM-2025-B-00042)"] \
        == "similarité 81 %"
    assert rows["3e choix — Noms proches"] == "aucun"
    assert labels(evidence).index("Dénomination contrôlée (2e choix)") < labels(
        evidence).index("Dénomination contrôlée (3e choix)")


def test_an_available_first_choice_passes_whatever_the_alternatives(elephant, filed):
    filing = filed("Boulangerie du Golfe", "Éléphant Bleu")

    result = run(filing)

    assert str(result) == "Dénomination disponible."
    rows = {row["label"]: row["value"] for row in result.evidence}
    assert rows["Dénomination contrôlée (2e choix)"] == "Éléphant Bleu : déjà prise"


def test_without_alternatives_the_evidence_is_the_first_name_only(elephant, filed):
    with pytest.raises(CheckFailed) as failure:
        run(filed("Éléphant Bleue"))
    assert "Autres choix" not in str(failure.value)
    assert not any("choix" in label for label in labels(failure.value.evidence))


@pytest.mark.parametrize("field", ["name_1", "name_2", "name_3"])
def test_each_name_field_says_which_company_it_resembles(applicant, elephant, field):
    response = applicant.get(reverse("registry:name_check"),
                             {"champ": field, field: "Éléphant Bleue"})

    body = response.content.decode()
    assert ("ressemble à « ELEPHANT-BLEU » (immatriculée, TG-LOM-2025-B-00042) : "
            "très proche") in body


def test_a_pending_filing_resembled_is_said_without_its_name(applicant, filed):
    filed("Éléphant Bleu")

    response = applicant.get(reverse("registry:name_check"),
                             {"champ": "name_2", "name_2": "Éléphant Bleue"})

    body = response.content.decode()
    assert "ressemble à une dénomination demandée par un dossier en cours" in body
    assert "Éléphant Bleu »" not in body and "name-similar" in body


def test_the_names_page_checks_each_name_with_unique_ids(applicant):
    application = start_filing(applicant, "SARL")
    save_section(applicant, application, "names",
                 {"name_1": "Kara Transports", "name_2": "Kara Logistique", "name_3": ""})

    page = applicant.get(reverse("registry:section", args=[application.reference, "names"]))

    document = tree(page)
    ids = document.xpath("//@id")
    assert [i for i, count in Counter(ids).items() if count > 1] == []
    for field in ("name_1", "name_2", "name_3"):
        [slot] = document.xpath(f'//div[@id="name-check-{field}"]')
        assert f"champ={field}" in slot.get("hx-get")
        assert slot.get("hx-include") == f"#id_{field}"
        assert f"from:#id_{field}" in slot.get("hx-trigger")


def test_names_sharing_only_common_words_are_not_close(make_user):
    from registry.similarity import NameStatus, check_name, trigram_similarity

    owner = make_user("groupe@example.tg")
    application = registry_services.application_create(
        owner=owner, data=dict(COMPANY_DATA, company_name="Groupe Services Togo Kpalimé"),
        founder=dict(FOUNDER_DATA))
    Company.objects.create(application=application, name="Groupe Services Togo Kpalimé",
                           legal_form="SARL", rccm_number="TG-LOM-2025-B-00077",
                           capital=1_000_000, registered_office="Lomé")
    # The whole names are close on their common words alone...
    assert trigram_similarity("groupe services togo kara", "groupe services togo kpalime") > 0.65
    # ...their distinctive words are not; a typo in the distinctive word still is.
    assert check_name("Groupe Services Togo Kara").status == NameStatus.AVAILABLE
    assert check_name("Groupe Services Togo Kpalimée").status == NameStatus.SIMILAR
