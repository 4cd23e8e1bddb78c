"""Every accepted input survives to the end: the longest and least ordinary values each
filing form accepts (accents, apostrophes, the letters and tones of Ewe and Kabiyè, emoji
where accepted, the largest capital and share count) are typed into the forms, saved by the
drafting services, signed, taken through every desk to registration on the database in use
(PostgreSQL in CI), and read back from the register, the certificate, the RCCM extract,
the draft statutes and the notifications."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from documents.layout import format_fcfa
from notifications.models import Delivery, Notification
from registry import filing
from registry.forms import (
    BUSINESS_PURPOSE_MAX_LENGTH,
    POSITIVE_BIGINT_MAX,
    POSITIVE_INTEGER_MAX,
    ActivityForm,
    CapitalForm,
    NamesForm,
    OfficeForm,
    PartyForm,
)
from registry.models import Application, ApplicationState, Company, Party
from registry.services import drafting
from registry.services.registration import issue_rccm_extract
from registry.statutes import render_statutes

from ..registry.filings import attach_all, sign_with_services
from ..registry.procedure.helpers import case_of, complete

# Ewe and Kabiyè words with their tones (combining marks where no precomposed letter exists).
WORDS = ("Aɖaŋu", "Agbɛ", "Ɖokui", "Ŋlɔla", "Ɛʋe", "Kɔ́kú", "Ǹyɔ̃nu", "Ƒiaƒe", "Ɣeyiɣi",
         "Kabiyè", "Ɩsɩ́", "Ʊrʊ", "d'Agbodrafo", "l’Éléphant", "Nyékonakpoè", "Œuvres", "Aného")


def filled(length: int, *, seed: tuple[str, ...] = WORDS, extra: str = "") -> str:
    """Words of WORDS (and `extra`) up to exactly `length` characters, NFC."""
    text = extra
    index = 0
    while len(text) < length:
        text = f"{text} {seed[index % len(seed)]}".strip()
        index += 1
    text = unicodedata.normalize("NFC", text[:length]).rstrip()
    return text + "x" * (length - len(text))


NAME_1 = filled(200, extra="Société « Ɖokui Ŋlɔla » & Fils —")
NAME_2 = filled(200, extra="Deuxième")
NAME_3 = filled(200, extra="Troisième")
ACRONYM = filled(40, extra="ƉŊƐ-É")
TRADE_NAME = filled(200, extra="Enseigne l'Ɛʋe")
PURPOSE = filled(BUSINESS_PURPOSE_MAX_LENGTH,
                 extra="La société a pour objet, au Togo et partout ☀ ☎ ✓ :\nle commerce ;\n")
CITY = filled(100, extra="Lomé")
OFFICE = filled(300, extra="Immeuble « Ŋkeke », 3e étage, bd du 13-Janvier,")
# The largest share count the form accepts, and the largest nominal whose product the
# capital column still holds.
SHARE_COUNT = POSITIVE_INTEGER_MAX
SHARE_NOMINAL = POSITIVE_BIGINT_MAX // POSITIVE_INTEGER_MAX
CAPITAL = SHARE_COUNT * SHARE_NOMINAL
FOUNDER = {
    "kind": "natural", "roles": ["partner", "manager", "beneficial_owner"],
    "first_name": filled(120, extra="Kɔ́kú Ɛ́yram"), "last_name": filled(120, extra="AGBƐ-ŊUƉƆ"),
    "birth_date": "1900-01-01", "birth_place": filled(120, extra="Aného 🌴"),
    "nationality": filled(80, extra="Togolaise"),
    "id_document_number": "TG-CNI-" + "9" * 23, "address": filled(300, extra="Bè 🏠, Lomé"),
    "shares": str(SHARE_COUNT), "cash_contribution": str(CAPITAL - 1),
    "in_kind_contribution": "1", "in_kind_description": filled(300, extra="Un vélo 🚲"),
    "ownership_percent": "100.00",
}
CO_MANAGER = {
    "kind": "natural", "roles": ["manager"],
    "first_name": filled(120, extra="Ama’ N’Guessan"), "last_name": filled(120, extra="DZƆGBƐ"),
    "birth_date": "1999-12-31", "birth_place": filled(120, extra="Kara"),
    "nationality": "Ivoirienne", "id_document_number": "CI-" + "0" * 27,
    "address": filled(300, extra="Kara"), "shares": "0", "cash_contribution": "0",
    "in_kind_contribution": "0", "ownership_percent": "",
}


def pdf_text(pdf: bytes) -> str:
    """The body's text over every page, words separated by single spaces (wrapped lines
    joined): the first page's footer and the continuation pages' headings left out."""
    body = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        text = page.extract_text()
        text = re.split(r"\s*Suite à la page \d+\.", text)[0]
        if number > 1:
            lines = text.splitlines()
            text = "\n".join(line for line in lines[1:] if line.strip() != f"Page {number}")
        body.append(text)
    return folded(" ".join(body))


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def docx_text(data: bytes) -> str:
    return folded(" ".join(p.text for p in Document(io.BytesIO(data)).paragraphs))


def valid(form):
    assert form.is_valid(), form.errors.as_data()
    return form


def file_through_the_forms(owner) -> Application:
    """Each section as its page would: the form validates, the drafting service saves."""
    application = drafting.start_application(owner=owner, legal_form="SARL")
    names = valid(NamesForm.for_application(application, {
        "name_1": NAME_1, "name_2": NAME_2, "name_3": NAME_3, "acronym": ACRONYM,
        "trade_name": TRADE_NAME}))
    sections = {
        "names": names.section_data(),
        "activity": valid(ActivityForm({"activity_code": "46", "business_purpose": PURPOSE},
                                       instance=application)).cleaned_data,
        "office": valid(OfficeForm({"region": "maritime", "prefecture": "golfe", "city": CITY,
                                    "registered_office": OFFICE},
                                   instance=application)).cleaned_data,
        "capital": valid(CapitalForm({"capital": str(CAPITAL), "share_count": str(SHARE_COUNT),
                                      "share_nominal": str(SHARE_NOMINAL),
                                      "duration_years": "99"},
                                     instance=application)).cleaned_data,
    }
    for section, data in sections.items():
        drafting.save_section(application_id=application.pk, user=owner, section=section,
                              data=data)
    for party in (FOUNDER, CO_MANAGER):
        form = valid(PartyForm(party, legal_form="SARL"))
        drafting.save_party(application_id=application.pk, user=owner, data=form.cleaned_data)
    attach_all(application, owner)
    application.refresh_from_db()
    return application


@pytest.fixture
def registered(entrepreneur, clerks) -> Application:
    entrepreneur.phone = "+228 90 00 00 00"
    entrepreneur.notify_by_sms = True
    entrepreneur.save()
    application = file_through_the_forms(entrepreneur)
    assert filing.problems(application, list(application.parties.all())) == []
    sign_with_services(application, entrepreneur)
    complete(case_of(application), clerks, certificate=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.REGISTERED
    return application


def test_the_values_are_the_longest_and_least_ordinary_the_forms_accept():
    assert len(NAME_1) == 200 and len(ACRONYM) == 40 and len(CITY) == 100
    assert len(OFFICE) == 300 and len(PURPOSE) == BUSINESS_PURPOSE_MAX_LENGTH
    assert all(letter in NAME_1 + FOUNDER["last_name"] + PURPOSE
               for letter in "ɖɛƒɣŋɔʋ")
    assert CAPITAL > 9 * 10**18 and CAPITAL <= POSITIVE_BIGINT_MAX
    too_long = NamesForm({"name_1": NAME_1 + "x"})
    assert not too_long.is_valid() and "name_1" in too_long.errors


def test_the_register_holds_every_value_whole(registered):
    application = Application.objects.get(pk=registered.pk)
    assert application.company_name == NAME_1
    assert application.alternative_names == [NAME_2, NAME_3]
    assert (application.acronym, application.trade_name) == (ACRONYM, TRADE_NAME)
    assert application.business_purpose == PURPOSE
    assert (application.capital, application.share_count, application.share_nominal) == (
        CAPITAL, SHARE_COUNT, SHARE_NOMINAL)
    company = Company.objects.get(application=application)
    assert company.name == NAME_1
    assert company.registered_office == f"{OFFICE}, {CITY}"
    assert company.capital == CAPITAL
    founder = Party.objects.filter(application=application).order_by("pk").first()
    for field in ("first_name", "last_name", "birth_place", "nationality",
                  "id_document_number", "address", "in_kind_description"):
        assert getattr(founder, field) == FOUNDER[field]
    assert founder.birth_date == date(1900, 1, 1)
    assert founder.shares == SHARE_COUNT
    assert founder.cash_contribution == CAPITAL - 1


def test_the_certificate_prints_every_value(registered):
    company = registered.company
    with company.certificate.stored_file.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert folded(NAME_1) in text
    assert folded(f"{OFFICE}, {CITY}") in text
    assert folded(format_fcfa(CAPITAL)) in text
    for party in (FOUNDER, CO_MANAGER):
        assert folded(f"{party['first_name']} {party['last_name'].upper()}") in text
    assert "\x00" not in text


def test_the_rccm_extract_prints_the_whole_objet_social(registered):
    document = issue_rccm_extract(company=registered.company)
    with document.stored_file.file.open("rb") as handle:
        pdf = handle.read()
    text = pdf_text(pdf)
    assert folded(PURPOSE) in text
    assert folded(NAME_1) in text
    assert "Immatriculation au RCCM sous le numéro" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2  # went on over a second page


def test_the_statutes_print_every_value(registered):
    text = docx_text(render_statutes(filing.statutes_facts(registered)))
    for value in (NAME_1, ACRONYM, TRADE_NAME, OFFICE, CITY, FOUNDER["birth_place"],
                  FOUNDER["address"], FOUNDER["in_kind_description"],
                  FOUNDER["id_document_number"]):
        assert folded(value) in text, value[:40]
    assert folded(FOUNDER["nationality"]).casefold() in text.casefold()
    for line in PURPOSE.splitlines():
        assert folded(line) in text


def test_the_notifications_carry_the_name_within_their_columns(registered):
    registered_notice = Notification.objects.get(recipient=registered.owner,
                                                 event="company_registered")
    assert len(registered_notice.title) <= 200
    assert registered_notice.title.startswith("« " + NAME_1[:100])
    assert registered.company.rccm_number in registered_notice.title
    assert NAME_1 in registered_notice.body
    sms = Delivery.objects.get(notification=registered_notice, channel="sms")
    assert NAME_1 in sms.text
