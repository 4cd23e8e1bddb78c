"""The draft statutes downloaded from the guided filing: what is filed, in the form filed."""

from __future__ import annotations

import io

from docx import Document

from ..journeys import start_filing
from .filings import AFI, KOSSI, Plan, build, messages_of, person, sarl_plan, text
from .guided import LEGAL_FORM_CASES, url


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


def test_the_draft_statutes_state_the_form_filed_even_with_one_partner(applicant, entrepreneur):
    sarl = build(entrepreneur, sarl_plan("SARL"), documents=False)
    sarlu = build(entrepreneur, sarl_plan("SARLU"), documents=False)

    sarl_deed = _docx_text(applicant.get(url("statutes", sarl)).content)
    sarlu_deed = _docx_text(applicant.get(url("statutes", sarlu)).content)

    assert "Société à responsabilité limitée (SARL) au capital de" in sarl_deed
    assert "SARLU" not in sarl_deed
    assert "(SARLU) au capital de" in sarlu_deed
    assert "associé unique" in sarl_deed and "associé unique" in sarlu_deed


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


def test_what_a_docx_cannot_hold_is_refused_at_the_form_and_the_rest_reaches_the_deed(
        applicant, entrepreneur):
    """End to end: typed into the pages, a control character (which XML 1.0, hence DOCX,
    cannot hold) is refused in French and nothing is saved; typographic characters go
    through to the downloaded statutes intact."""
    from ..journeys import SECTION_ANSWERS, add_person, party_form_data, save_section
    from .filings import field_error

    application = start_filing(applicant, "SARL")
    for section in ("names", "activity", "office", "capital"):
        save_section(applicant, application, section, SECTION_ANSWERS[section])
    add_person(applicant, application, party_form_data())

    refused = applicant.post(url("section", application, "activity"), {
        **SECTION_ANSWERS["activity"],
        "business_purpose": "Commerce général\x0b et négoce\x1f de café."})
    assert refused.status_code == 200
    error = field_error(refused, "business_purpose")
    assert "caractère invisible ou de contrôle" in error and "U+000B" in error
    application.refresh_from_db()
    assert application.business_purpose == SECTION_ANSWERS["activity"]["business_purpose"]

    typographic = "Négoce de café « arabica » et cacao — l’œuvre des coopératives ; 100 % bio."
    save_section(applicant, application, "activity",
                 {**SECTION_ANSWERS["activity"], "business_purpose": typographic})
    save_section(applicant, application, "names",
                 {**SECTION_ANSWERS["names"], "name_1": "L’Œillet & Fils"})
    response = applicant.get(url("statutes", application))
    assert response.status_code == 200
    deed = _docx_text(response.content)
    assert typographic in deed
    assert "L’Œillet & Fils" in deed
