"""Draft statutes: read back with python-docx, the facts, the form's vocabulary and the
signature blocks are there, the form is the one the filing chose, and facts that do not add
up are refused (under the filing's own rules where the legal form has one)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import docx
import pytest

from registry.legal_forms import Role
from registry.statutes import (
    StatutesFacts,
    StatutesOffice,
    StatutesOfficer,
    StatutesPartner,
    long_date,
    render_statutes,
)

NBSP = "\u00a0"
ONE_MILLION = f"1{NBSP}000{NBSP}000{NBSP}FCFA"

OFFICE = StatutesOffice(address="12 rue du Commerce", city="Lomé",
                        prefecture="Préfecture du Golfe", region="Région Maritime")
KOSSI = StatutesPartner(
    full_name="Kossi AGBEKO", birth_date=date(1985, 3, 14), birth_place="Lomé",
    nationality="Togolaise", id_document="TG-CNI-123456", address="Bè, Lomé",
    shares=60, cash_contribution=600_000,
)
AFI = StatutesPartner(
    full_name="Afi MENSAH-ÉKUÉ", birth_date=date(1990, 7, 1), birth_place="Kpalimé",
    nationality="Togolaise", id_document="TG-CNI-654321", address="Tokoin, Lomé",
    shares=40, cash_contribution=150_000, in_kind_contribution=250_000,
    in_kind_description="un véhicule utilitaire Toyota Hiace immatriculé TG-1234-AB",
)
EMERAUDE = StatutesPartner(
    full_name="Groupe Émeraude SA", nationality="Togolaise",
    id_document="TG-LOM-2019-B-01234", address="Boulevard du 13 Janvier, Lomé",
    is_legal_person=True, representative="Ablavi KOUDAWO, sa directrice générale",
    shares=40, cash_contribution=400_000,
)
SOLE_KOSSI = replace(KOSSI, shares=100, cash_contribution=1_000_000)


def facts(legal_form: str, partners, officers, **changes) -> StatutesFacts:
    values = dict(
        legal_form=legal_form,
        company_name="Société Éléphant Bleu",
        acronym="SEB",
        business_purpose="Import-export de matériel de bureau ;\n- conseil en équipement",
        registered_office=OFFICE,
        capital=1_000_000,
        share_count=100,
        share_nominal=10_000,
        partners=partners,
        officers=officers,
        city_of_signature="Lomé",
        date=date(2026, 3, 14),
    )
    values.update(changes)
    return StatutesFacts(**values)


GERANT = StatutesOfficer(full_name="Kossi AGBEKO", role=Role.MANAGER, address="Bè, Lomé")
OUTSIDE_GERANT = StatutesOfficer(full_name="Yawa DOGBÉ", role=Role.MANAGER,
                                 address="Adidogomé")
PRESIDENT = StatutesOfficer(full_name="Kossi AGBEKO", role=Role.PRESIDENT, address="Bè, Lomé")
DIRECTOR = StatutesOfficer(full_name="Esso TCHALLA", role=Role.DIRECTOR, address="Kara")

FORMS = {
    "SARL": facts("SARL", [KOSSI, AFI], [GERANT, OUTSIDE_GERANT]),
    "SARLU": facts("SARLU", [SOLE_KOSSI], [GERANT]),
    "SAS": facts("SAS", [KOSSI, EMERAUDE], [PRESIDENT, DIRECTOR]),
    "SASU": facts("SASU", [SOLE_KOSSI], [PRESIDENT]),
}


class Statutes:
    """What a reader of the DOCX file sees: its paragraphs, its signature table."""

    def __init__(self, data: bytes) -> None:
        self.document = docx.Document(io.BytesIO(data))
        self.paragraphs = [paragraph.text for paragraph in self.document.paragraphs]
        self.cells = [cell.text for table in self.document.tables
                      for row in table.rows for cell in row.cells]
        self.text = "\n".join(self.paragraphs + self.cells)

    def paragraph_with(self, *fragments: str) -> str:
        found = [text for text in self.paragraphs if all(part in text for part in fragments)]
        assert found, f"no paragraph contains all of {fragments}"
        return found[0]

    def headings(self, style: str) -> list[str]:
        return [paragraph.text for paragraph in self.document.paragraphs
                if paragraph.style.name == style]

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.text, flags=re.IGNORECASE))


def read(statutes_facts: StatutesFacts) -> Statutes:
    return Statutes(render_statutes(statutes_facts))


@pytest.mark.parametrize("form", FORMS)
def test_the_statutes_carry_the_name_title_form_and_capital(form):
    statutes = read(FORMS[form])

    assert statutes.headings("Title") == ["STATUTS"]
    assert statutes.paragraphs[0] == "Société Éléphant Bleu"
    assert "La société a pour dénomination sociale : « Société Éléphant Bleu »." \
        in statutes.paragraphs
    assert f"({form}) au capital de {ONE_MILLION}" in statutes.text
    assert f"Le capital social est fixé à la somme de {ONE_MILLION}." in statutes.paragraphs
    assert f"Total des apports : {ONE_MILLION}" in statutes.paragraphs
    assert "12 rue du Commerce, Lomé, Préfecture du Golfe, Région Maritime, Togo" \
        in statutes.text
    assert statutes.count(r"tribunal de commerce du lieu du siège social") == 1
    assert statutes.count(r"Registre du commerce et du crédit mobilier \(RCCM\)") == 1


@pytest.mark.parametrize(("form", "titles", "other_titles"), [
    ("SARL", "parts sociales", r"\bactions?\b"),
    ("SARLU", "parts sociales", r"\bactions?\b"),
    ("SAS", "actions", r"\bparts? sociales?\b"),
    ("SASU", "actions", r"\bparts? sociales?\b"),
])
def test_the_capital_is_divided_in_the_forms_own_titles(form, titles, other_titles):
    statutes = read(FORMS[form])

    assert (f"Il est divisé en 100 {titles} de 10{NBSP}000{NBSP}FCFA chacune, "
            "numérotées de 1 à 100") in statutes.text
    assert statutes.count(other_titles) == 0


def test_each_partner_gets_their_numbered_parts_sociales():
    statutes = read(FORMS["SARL"])

    assert "Kossi AGBEKO : 60 parts sociales, numérotées de 1 à 60 ;" in statutes.paragraphs
    assert "Afi MENSAH-ÉKUÉ : 40 parts sociales, numérotées de 61 à 100 ;" \
        in statutes.paragraphs
    assert "Total : 100 parts sociales." in statutes.paragraphs


def test_each_partner_gets_their_numbered_actions():
    statutes = read(FORMS["SAS"])

    assert "Kossi AGBEKO : 60 actions, numérotées de 1 à 60 ;" in statutes.paragraphs
    assert "Groupe Émeraude SA : 40 actions, numérotées de 61 à 100 ;" in statutes.paragraphs


@pytest.mark.parametrize("form", ["SARLU", "SASU"])
def test_a_sole_partner_gets_every_title(form):
    statutes = read(FORMS[form])

    assert statutes.paragraph_with("attribuées en totalité à l'associé unique, Kossi AGBEKO")


def test_a_thousand_titles_are_written_with_no_break_spaces():
    many = facts("SAS", [replace(KOSSI, shares=600, cash_contribution=600_000),
                         replace(EMERAUDE, shares=400)],
                 [PRESIDENT], share_count=1000, share_nominal=1000)

    statutes = read(many)

    assert f"divisé en 1{NBSP}000 actions de 1{NBSP}000{NBSP}FCFA chacune, " \
           f"numérotées de 1 à 1{NBSP}000" in statutes.text
    assert f"Groupe Émeraude SA : 400 actions, numérotées de 601 à 1{NBSP}000 ;" \
        in statutes.paragraphs


@pytest.mark.parametrize("form", FORMS)
def test_every_partner_is_named_and_described_as_a_contributor(form):
    statutes_facts = FORMS[form]
    statutes = read(statutes_facts)

    for partner in statutes_facts.partners:
        assert statutes.paragraph_with(partner.full_name, partner.id_document)
        assert statutes.paragraph_with(partner.full_name, "apporte à la société")


def test_a_legal_person_partner_is_identified_with_its_representative():
    statutes = read(FORMS["SAS"])

    assert statutes.paragraph_with(
        "Groupe Émeraude SA, de nationalité togolaise, immatriculée sous le numéro "
        "TG-LOM-2019-B-01234", "représentée par Ablavi KOUDAWO, sa directrice générale")


@pytest.mark.parametrize(("form", "manager", "absent"), [
    ("SARL", r"\bgérants?\b", r"\bprésident"),
    ("SARLU", r"\bgérants?\b", r"\bprésident"),
    ("SAS", r"\bprésident\b", r"\bgéran(t|ts|ce)\b"),
    ("SASU", r"\bprésident\b", r"\bgéran(t|ts|ce)\b"),
])
def test_the_managers_are_gerants_or_a_president(form, manager, absent):
    statutes = read(FORMS[form])

    assert statutes.count(manager) >= 5
    assert statutes.count(absent) == 0


def test_the_named_gerants_are_appointed():
    statutes = read(FORMS["SARL"])

    assert statutes.headings("Heading 1").count("TITRE III – GÉRANCE") == 1
    assert "Sont nommés premiers gérants de la société, pour une durée de 4 ans :" \
        in statutes.paragraphs
    assert "Kossi AGBEKO, demeurant à Bè, Lomé." in statutes.paragraphs
    assert "Yawa DOGBÉ, demeurant à Adidogomé." in statutes.paragraphs


def test_the_named_president_and_director_are_appointed():
    statutes = read(facts("SAS", [KOSSI, EMERAUDE], [PRESIDENT, DIRECTOR],
                          officer_term_years=None))

    assert "Est nommé premier président de la société, pour une durée illimitée :" \
        in statutes.paragraphs
    assert "Est nommé directeur général de la société, pour une durée illimitée :" \
        in statutes.paragraphs
    assert "Esso TCHALLA, demeurant à Kara." in statutes.paragraphs


@pytest.mark.parametrize(("form", "sole"), [
    ("SARL", False), ("SARLU", True), ("SAS", False), ("SASU", True),
])
def test_a_sole_partner_decides_where_partners_meet(form, sole):
    statutes = read(FORMS[form])

    if sole:
        assert statutes.count(r"associé unique") >= 10
        assert statutes.count(r"assemblée") == 0
        assert statutes.count(r"\bles soussignés\b") == 0
        assert "TITRE IV – DÉCISIONS DE L'ASSOCIÉ UNIQUE" in statutes.headings("Heading 1")
    else:
        assert statutes.count(r"associé unique") == 0
        assert statutes.count(r"assemblée") >= 2
        assert "TITRE IV – DÉCISIONS COLLECTIVES DES ASSOCIÉS" \
            in statutes.headings("Heading 1")


def test_a_sarl_transfer_to_outsiders_needs_the_partners_approval():
    statutes = read(FORMS["SARL"])

    assert statutes.paragraph_with("tiers étrangers à la société",
                                   "trois quarts des parts sociales", "agrément")


def test_a_sas_transfer_to_outsiders_needs_the_approval_clause():
    statutes = read(FORMS["SAS"])

    assert statutes.paragraph_with("Toute cession d'actions à un tiers étranger",
                                   "agrément préalable")
    assert "Toute cession effectuée en violation de la présente clause est nulle." \
        in statutes.paragraphs


@pytest.mark.parametrize("form", FORMS)
def test_the_deed_has_every_part_the_act_expects(form):
    statutes = read(FORMS[form])
    articles = statutes.headings("Heading 2")

    titles = [article.split(" – ", 1)[1] for article in articles]
    for expected in ("Forme", "Objet", "Dénomination", "Siège social", "Durée", "Apports",
                     "Capital social", "Exercice social", "Comptes annuels",
                     "Affectation et répartition des résultats", "Dissolution",
                     "Liquidation", "Contestations", "Formalités – Publicité"):
        assert expected in titles
    numbers = [int(re.match(r"Article (\d+) – ", article).group(1)) for article in articles]
    assert numbers == list(range(1, len(articles) + 1))
    assert "Import-export de matériel de bureau ;" in statutes.paragraphs
    assert "conseil en équipement" in statutes.paragraphs


@pytest.mark.parametrize("form", FORMS)
def test_every_partner_has_a_signature_block(form):
    statutes_facts = FORMS[form]
    statutes = read(statutes_facts)

    originals = len(statutes_facts.partners) + 2
    assert statutes.paragraph_with(
        f"Fait à Lomé, le 14 mars 2026, en {originals} exemplaires originaux")
    blocks = [cell for cell in statutes.cells if cell.strip()]
    for partner in statutes_facts.partners:
        block = next(cell for cell in blocks if cell.startswith(partner.full_name))
        assert "Associé" in block
        assert "« Lu et approuvé »" in block
        assert "Signature :" in block


def test_an_officer_who_is_not_a_partner_signs_to_accept():
    statutes = read(FORMS["SARL"])

    blocks = [cell for cell in statutes.cells if cell.strip()]
    kossi = next(cell for cell in blocks if cell.startswith("Kossi AGBEKO"))
    yawa = next(cell for cell in blocks if cell.startswith("Yawa DOGBÉ"))
    assert "Bon pour acceptation des fonctions de gérant" in kossi
    assert "Bon pour acceptation des fonctions de gérant" in yawa
    assert "Associé" not in yawa
    assert len(blocks) == 3


def test_a_legal_person_signs_through_its_representative():
    statutes = read(FORMS["SAS"])

    block = next(cell for cell in statutes.cells if cell.startswith("Groupe Émeraude SA"))
    assert "représentée par Ablavi KOUDAWO, sa directrice générale" in block


def test_an_in_kind_contribution_appears_with_its_description_and_value():
    statutes = read(FORMS["SARL"])

    contribution = statutes.paragraph_with("Afi MENSAH-ÉKUÉ apporte à la société")
    assert f"la somme de 150{NBSP}000{NBSP}FCFA en numéraire" in contribution
    assert ("en nature, un véhicule utilitaire Toyota Hiace immatriculé TG-1234-AB, pour une "
            f"valeur de 250{NBSP}000{NBSP}FCFA") in contribution
    assert f"soit un apport total de 400{NBSP}000{NBSP}FCFA" in contribution
    assert (f"soit 750{NBSP}000{NBSP}FCFA d'apports en numéraire et "
            f"250{NBSP}000{NBSP}FCFA d'apports en nature.") in statutes.paragraphs
    assert statutes.paragraph_with("commissaire aux apports")


def test_cash_only_statutes_say_nothing_of_contributions_in_kind():
    statutes = read(FORMS["SASU"])

    assert statutes.count("en nature") == 0
    assert statutes.paragraph_with(f"Les apports en numéraire, soit {ONE_MILLION}",
                                   "auprès d'un notaire ou d'un établissement de crédit")


def test_the_bank_holding_the_funds_is_named_when_known():
    statutes = read(replace(FORMS["SASU"], funds_depositary="la banque Orabank Togo"))

    assert statutes.paragraph_with("déposés, pour le compte de la société en formation, "
                                   "auprès de la banque Orabank Togo")


def test_a_sarl_with_one_partner_stays_a_sarl_whose_sole_partner_decides():
    statutes = read(facts("SARL", [SOLE_KOSSI], [GERANT]))

    assert "Société à responsabilité limitée (SARL) au capital de" in statutes.text
    assert "SARLU" not in statutes.text and "unipersonnelle" not in statutes.text
    assert statutes.paragraph_with("une société à responsabilité limitée (SARL) régie par")
    assert statutes.count("assemblée") == 0
    assert statutes.count("associé unique") >= 10


def test_a_sas_with_one_partner_stays_a_sas_whose_sole_partner_decides():
    statutes = read(facts("SAS", [SOLE_KOSSI], [PRESIDENT]))

    assert "Société par actions simplifiée (SAS) au capital de" in statutes.text
    assert "SASU" not in statutes.text and "unipersonnelle" not in statutes.text
    assert "TITRE IV – DÉCISIONS DE L'ASSOCIÉ UNIQUE" in statutes.headings("Heading 1")
    assert statutes.count("associé unique") >= 10


@pytest.mark.parametrize("form", FORMS)
def test_the_deed_states_the_form_the_filing_chose(form):
    statutes = read(FORMS[form])

    assert f"({form}) au capital de" in statutes.text
    assert statutes.count(rf"\(({'|'.join(set(FORMS) - {form})})\)") == 0


def test_a_sole_legal_person_partner_takes_over_on_dissolution():
    sole_company = replace(EMERAUDE, shares=100, cash_contribution=1_000_000)

    statutes = read(facts("SASU", [sole_company], [PRESIDENT]))

    assert statutes.paragraph_with("transmission universelle du patrimoine")
    assert "transmission universelle" not in read(FORMS["SASU"]).text


def test_accents_and_french_dates_survive():
    statutes = read(facts("SARL", [KOSSI, AFI], [GERANT], date=date(2026, 5, 1)))

    assert statutes.paragraph_with("Fait à Lomé, le 1er mai 2026")
    assert statutes.paragraph_with("Afi MENSAH-ÉKUÉ, né(e) le 1er juillet 1990 à Kpalimé, "
                                   "de nationalité togolaise")
    assert "TITRE II – APPORTS – CAPITAL SOCIAL – PARTS SOCIALES" \
        in statutes.headings("Heading 1")
    assert "Société Éléphant Bleu" in statutes.document.core_properties.title
    assert statutes.document.core_properties.language == "fr-FR"
    footer = statutes.document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Statuts de Société Éléphant Bleu – page")


def test_the_page_is_a4():
    section = read(FORMS["SARL"]).document.sections[0]

    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297


def test_long_dates_use_the_french_first():
    assert long_date(date(2026, 1, 1)) == "1er janvier 2026"
    assert long_date(date(2026, 8, 15)) == "15 août 2026"


def test_the_statutes_are_french_even_for_an_english_speaking_user():
    from django.utils.translation import override

    with override("en"):
        statutes = read(FORMS["SARL"])

    assert "Les soussignés :" in statutes.paragraphs


def test_control_characters_in_the_facts_do_not_break_the_file():
    statutes = read(replace(FORMS["SARL"], business_purpose="Négoce\x0b général"))

    assert "Négoce général" in statutes.paragraphs


# The legal-form rules speak with the filing's messages (registry.legal_forms); the rest is
# what the deed itself needs.
@pytest.mark.parametrize(("statutes_facts", "message"), [
    (replace(FORMS["SARL"], legal_form="SA"), "Forme juridique non prise en charge"),
    (replace(FORMS["SARL"], legal_form="GIE"), "Forme juridique non prise en charge"),
    (replace(FORMS["SARL"], partners=[replace(KOSSI, shares=61, cash_contribution=610_000),
                                      AFI]),
     "la somme des parts des associés (101) ne correspond pas au nombre de parts (100)"),
    (replace(FORMS["SARL"], share_count=99), f"99 parts de 10{NBSP}000{NBSP}FCFA font"),
    (replace(FORMS["SARL"], share_nominal=5_000), f"100 parts de 5{NBSP}000{NBSP}FCFA font"),
    (replace(FORMS["SARL"], partners=[replace(KOSSI, cash_contribution=500_000), AFI]),
     f"ne correspondent pas au capital de {ONE_MILLION}"),
    (replace(FORMS["SARL"], partners=[replace(KOSSI, cash_contribution=500_000),
                                      replace(AFI, cash_contribution=250_000)]),
     "ne correspondent pas à la valeur nominale de ses titres"),
    (facts("SARLU", [KOSSI, AFI], [GERANT]), "une SARLU n'a qu'un seul associé"),
    (facts("SASU", [KOSSI, EMERAUDE], [PRESIDENT]), "une SASU n'a qu'un seul actionnaire"),
    (replace(FORMS["SARL"], partners=[]), "au moins un associé"),
    (replace(FORMS["SARL"], partners=[replace(KOSSI, shares=0, cash_contribution=0),
                                      replace(AFI, shares=100, cash_contribution=750_000)]),
     "Kossi AGBEKO ne détient aucune part"),
    (replace(FORMS["SARL"], partners=[KOSSI, replace(AFI, in_kind_description="")]),
     "doit être décrit"),
    (replace(FORMS["SAS"], officers=[DIRECTOR]), "au moins un président est requis"),
    (replace(FORMS["SAS"], officers=[PRESIDENT, replace(PRESIDENT, full_name="Esso TCHALLA")]),
     "une SAS n'a qu'un président"),
    (replace(FORMS["SAS"], officers=[PRESIDENT, GERANT]), "un président, et un seul"),
    (replace(FORMS["SARL"], officers=[PRESIDENT]), "un ou plusieurs gérants"),
    (replace(FORMS["SARL"], officers=[]), "au moins un gérant, personne physique, est requis"),
    (replace(FORMS["SARL"], officers=[replace(GERANT, role="administrateur")]),
     "Fonction de dirigeant inconnue"),
    (replace(FORMS["SARL"], officers=[replace(GERANT, role="gerant")]),
     "Fonction de dirigeant inconnue"),
    (replace(FORMS["SARL"], duration_years=100), "entre 1 et 99 ans"),
    (replace(FORMS["SAS"], partners=[KOSSI, replace(EMERAUDE, representative="")]),
     "indiquez la personne qui la représente"),
    (replace(FORMS["SARL"], company_name="  "), "la dénomination sociale"),
])
def test_inconsistent_facts_are_refused_in_french(statutes_facts, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        render_statutes(statutes_facts)


def test_the_facts_are_frozen_all_the_way_down():
    statutes_facts = facts("SARL", [KOSSI, AFI], [GERANT])

    assert isinstance(statutes_facts.partners, tuple)
    assert statutes_facts.filename() == "statuts-societe-elephant-bleu.docx"
    with pytest.raises(AttributeError):
        statutes_facts.capital = 2_000_000
