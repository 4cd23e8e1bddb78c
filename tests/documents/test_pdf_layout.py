"""The printed page, read back with pypdf: every line stays on the page and clear of the
footer (QR code, seal stamp), long values wrap, every character has a glyph in the embedded
font, and the page is French whatever language the request was in."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from documents import layout
from documents.certificates import iso_date, render_certificate
from documents.layout import SealMark, Verification, fit_font_size, format_fcfa, long_date
from documents.rccm_extract import RegisterEntry, render_rccm_extract

from .helpers import CERTIFICATE_FACTS, EXTRACT_FACTS

VERIFICATION = Verification(code="ABCD-2345-WXYZ",
                            url="https://guichet.example.tg/verifier/ABCD-2345-WXYZ/")
SEAL = SealMark(signer_name="Greffe du Tribunal de commerce de Lomé",
                sealed_at=datetime(2026, 11, 29, 10, 5, tzinfo=UTC))

LONG_NAME = ("Société Coopérative Agricole des Producteurs de Café et de Cacao de la Région "
             "des Plateaux et de la Région Centrale pour la Transformation et l'Exportation "
             "des Produits Agricoles du Togo")  # near the register's 200 characters
LONG_OFFICE = ("Immeuble Les Cocotiers, 3e étage, porte 12, 1234 boulevard du 13 Janvier, "
               "quartier Nyékonakpoè, Lomé, Golfe, Maritime")
# An objet social as OHADA statutes usually word it: about 700 characters.
LONG_PURPOSE = (
    "La société a pour objet, au Togo et dans tous pays : le commerce général ; "
    "l'importation, l'exportation, la distribution et la commercialisation de tous produits "
    "et marchandises, notamment de matériel de bureau, de matériel informatique et de "
    "consommables ; la prestation de services informatiques, la maintenance et "
    "l'installation de réseaux ; la représentation commerciale de toutes marques ; la prise "
    "de participation dans toutes sociétés ; et plus généralement toutes opérations "
    "commerciales, industrielles, financières, mobilières ou immobilières se rattachant "
    "directement ou indirectement à l'objet social ou susceptibles d'en faciliter la "
    "réalisation ou le développement."
)


@dataclass(frozen=True)
class Line:
    x: float
    y: float
    text: str
    font_size: float


def lines_of(pdf: bytes) -> list[Line]:
    """Each piece of text on the first page, where it starts and at what size."""
    lines: list[Line] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = tm[0] or 1
            lines.append(Line(x=tm[4], y=tm[5], text=text.strip(),
                              font_size=font_size * scale))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return lines


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def body_lines(pdf: bytes, footer_texts: tuple[str, ...]) -> list[Line]:
    """The lines of the page's body: everything but the footer's own lines."""
    return [line for line in lines_of(pdf)
            if not any(line.text.startswith(footer) for footer in footer_texts)]


FOOTER_TEXTS = ("Vérifier ce document", "Scannez le code QR", "le code de vérification",
                "ABCD-2345-WXYZ", "Vérification :", "SCEAU ÉLECTRONIQUE", "Greffe du Tribunal",
                "Scellé le", "Signature", "Document de démonstration")


def assert_clear_of_footer_and_on_page(pdf: bytes) -> None:
    for line in body_lines(pdf, FOOTER_TEXTS):
        assert line.y > layout.FOOTER_TOP, f"{line.text!r} runs into the footer at {line.y}"
        assert line.y < layout.PAGE_HEIGHT
        width = pdfmetrics.stringWidth(line.text, layout.FONT_BOLD, line.font_size)
        assert line.x + width <= layout.PAGE_WIDTH, f"{line.text!r} runs off the page"


def assert_no_two_lines_overlap(pdf: bytes) -> None:
    """Two lines drawn at the same height must not share any horizontal span."""
    lines = lines_of(pdf)
    for index, first in enumerate(lines):
        for second in lines[index + 1:]:
            if abs(first.y - second.y) >= 2:
                continue
            first_end = first.x + pdfmetrics.stringWidth(first.text, layout.FONT_BOLD,
                                                         first.font_size)
            second_end = second.x + pdfmetrics.stringWidth(second.text, layout.FONT_BOLD,
                                                           second.font_size)
            overlap = min(first_end, second_end) - max(first.x, second.x)
            assert overlap <= 0, f"{first.text!r} is drawn over {second.text!r}"


# --- Long values ------------------------------------------------------------------------


def test_long_names_and_addresses_wrap_under_their_label_and_stay_clear_of_the_footer():
    facts = replace(CERTIFICATE_FACTS, company_name=LONG_NAME, registered_office=LONG_OFFICE,
                    managers=["Kossi AGBEKO", "Ama DOE-MENSAH", "Yawo KOFFI"])

    pdf = render_certificate(facts, verification=VERIFICATION, seal=SEAL)

    assert_clear_of_footer_and_on_page(pdf)
    assert_no_two_lines_overlap(pdf)
    value_lines = [line for line in lines_of(pdf) if line.x == pytest.approx(layout.VALUE_X)]
    assert max(line.x + pdfmetrics.stringWidth(line.text, layout.FONT_BOLD, 11)
               for line in value_lines) <= layout.RIGHT
    text = " ".join(line.text for line in lines_of(pdf))
    assert "l'Exportation des Produits Agricoles du Togo" in text
    assert "quartier Nyékonakpoè, Lomé, Golfe, Maritime" in text.replace("  ", " ")


def test_the_usual_extract_stays_clear_of_the_footer():
    pdf = render_rccm_extract(EXTRACT_FACTS, verification=VERIFICATION, seal=SEAL)

    assert_clear_of_footer_and_on_page(pdf)
    assert_no_two_lines_overlap(pdf)
    assert "Immatriculation initiale." in page_text(pdf)


def test_an_extract_with_a_usual_length_objet_social_stays_clear_of_the_footer():
    facts = replace(EXTRACT_FACTS, business_purpose=LONG_PURPOSE, nif="1000456789",
                    cnss_number="E-0042-2026",
                    entries=[RegisterEntry(on=date(2026, 11, 29),
                                           text="Immatriculation initiale."),
                             RegisterEntry(on=date(2027, 3, 1),
                                           text="Transfert du siège social.")])

    pdf = render_rccm_extract(facts, verification=VERIFICATION, seal=SEAL)

    assert_clear_of_footer_and_on_page(pdf)
    assert_no_two_lines_overlap(pdf)
    assert "Immatriculation initiale." in page_text(pdf)


def test_an_extract_with_many_entries_keeps_them_above_the_footer_and_counts_the_rest():
    entries = [RegisterEntry(on=date(2027, 1, 1 + n % 28), text=f"Modification n° {n}.")
               for n in range(30)]

    pdf = render_rccm_extract(replace(EXTRACT_FACTS, entries=entries),
                              verification=VERIFICATION, seal=SEAL)

    assert_clear_of_footer_and_on_page(pdf)
    text = page_text(pdf)
    shown = sum(f"Modification n° {n}." in text for n in range(30))
    assert 0 < shown < 30
    assert f"… et {30 - shown} inscription(s) non reproduite(s) sur cet extrait." in text
    # The entries are printed in the order of the register, the first ones first.
    assert all(f"Modification n° {n}." in text for n in range(shown))


def test_a_long_seal_name_is_cut_to_two_lines_inside_the_stamp():
    seal = replace(SEAL, signer_name="Greffe du Tribunal de commerce de Lomé, "
                                     "Registre du Commerce et du Crédit Mobilier, "
                                     "service des formalités électroniques des entreprises")

    pdf = render_certificate(CERTIFICATE_FACTS, verification=VERIFICATION, seal=seal)

    x1, y1, x2, y2 = layout.SEAL_BOX
    stamp = [line for line in lines_of(pdf) if line.x == pytest.approx(x1 + 4 * layout.mm)]
    assert len(stamp) == 5  # title, two lines of name, date, kind of signature
    for line in stamp:
        assert y1 < line.y < y2
        assert line.x + pdfmetrics.stringWidth(line.text, layout.FONT, line.font_size) <= x2


def test_a_very_long_verification_url_shrinks_to_fit_the_line():
    url = ("https://guichet-unique-des-entreprises.investir.gouv.tg/services/registre-du-"
           "commerce/documents/verifier/ABCD-2345-WXYZ/")
    assert pdfmetrics.stringWidth(f"Vérification : {url}", layout.FONT, 8) > (
        layout.RIGHT - layout.LEFT)

    pdf = render_certificate(CERTIFICATE_FACTS, verification=replace(VERIFICATION, url=url))

    [url_line] = [line for line in lines_of(pdf) if line.text.startswith("Vérification :")]
    assert url in url_line.text
    assert url_line.font_size < 8
    assert url_line.x + pdfmetrics.stringWidth(url_line.text, layout.FONT,
                                               url_line.font_size) <= layout.RIGHT


# --- Characters -------------------------------------------------------------------------


def font_has(char: str) -> bool:
    return ord(char) in TTFontFile(str(layout.FONT_FILES[layout.FONT])).charToGlyph


def test_french_letters_ligatures_and_typographic_signs_render():
    name = "Œuvres & Cie « L'Ébène » — Bâtiment, Maçonnerie, Forêt, Noël, Où ?"
    manager = "Françoise N’GUESSAN-ÆBY"

    text = " ".join(page_text(render_certificate(
        replace(CERTIFICATE_FACTS, company_name=name, managers=[manager]))).split())

    assert name in text
    assert manager in text
    assert "\x00" not in text


def test_names_in_ewe_and_kabiye_letters_render():
    facts = replace(CERTIFICATE_FACTS, company_name="Ɖokui Ŋlɔla Ɛʋe SARL",
                    managers=["Kɔku AGBƐ", "Ɣeyiɣi DZƆGBƐ"])

    text = page_text(render_certificate(facts))

    assert "\x00" not in text
    assert "Ɖokui Ŋlɔla Ɛʋe SARL" in text
    assert "Kɔku AGBƐ" in text


def test_every_character_of_an_amount_has_a_glyph_in_the_font():
    # French typography prefers a narrow no-break space, which the font lacks.
    printed = format_fcfa(1_234_567)

    assert all(font_has(char) for char in printed), printed
    assert "\u00a0" in printed


@pytest.mark.parametrize(("amount", "printed"), [
    (0, "0 FCFA"), (500, "500 FCFA"), (1_000, "1 000 FCFA"),
    (1_000_000, "1 000 000 FCFA"), (12_345_678_901, "12 345 678 901 FCFA"),
])
def test_amounts_are_grouped_by_thousands_with_no_break_spaces(amount, printed):
    assert format_fcfa(amount) == printed.replace(" ", "\u00a0")


# --- Facts and language -----------------------------------------------------------------


def test_a_sole_proprietorship_without_capital_prints_no_capital_line():
    facts = replace(CERTIFICATE_FACTS, legal_form="Entreprise individuelle (EI)", capital=None)

    text = page_text(render_certificate(facts))

    assert "Entreprise individuelle (EI)" in text
    assert "Capital social" not in text
    assert "FCFA" not in text


def test_an_extract_without_capital_prints_no_capital_line_either():
    text = page_text(render_rccm_extract(replace(EXTRACT_FACTS, capital=None)))

    assert "Capital social" not in text
    assert "Objet social" in text


def test_a_capital_of_zero_is_still_printed():
    text = page_text(render_certificate(replace(CERTIFICATE_FACTS, capital=0)))

    assert "Capital social" in text
    assert "0 FCFA" in text.replace("\u00a0", " ")


def test_the_page_is_in_french_even_when_the_request_is_in_english():
    with translation.override("en"):
        certificate = page_text(render_certificate(CERTIFICATE_FACTS,
                                                   verification=VERIFICATION, seal=SEAL))
        extract = page_text(render_rccm_extract(EXTRACT_FACTS))

    for expected in ("RÉPUBLIQUE TOGOLAISE", "Dénomination sociale", "29 novembre 2026",
                     "Vérifier ce document", "SCEAU ÉLECTRONIQUE"):
        assert expected in certificate, expected
    assert "Situation au 15 décembre 2026" in extract
    assert "Company name" not in certificate


def test_the_stamp_says_when_a_timestamp_authority_vouches_for_the_time():
    sealed_at = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)

    stamped = page_text(render_certificate(
        CERTIFICATE_FACTS, seal=SealMark(signer_name="Greffe", sealed_at=sealed_at,
                                         timestamped=True)))

    assert "Signature PAdES, horodatée (RFC 3161)" in stamped
    assert "Scellé le 29/11/2026 à 23:30 UTC" in stamped


def test_the_pdf_says_what_it_is_and_who_issued_it():
    reader = PdfReader(io.BytesIO(render_rccm_extract(EXTRACT_FACTS)))

    assert reader.metadata.title == "Extrait RCCM - Société Éléphant Bleu"
    assert reader.metadata.author == "Tribunal de commerce de Lomé"
    assert len(reader.pages) == 1
    assert [float(value) for value in reader.pages[0].mediabox] == pytest.approx(
        [0, 0, layout.PAGE_WIDTH, layout.PAGE_HEIGHT])


def test_the_registration_day_is_the_day_in_lome_and_dates_read_in_french():
    late_evening = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)

    assert iso_date(late_evening) == "2026-12-31"  # Lomé keeps UTC all year
    assert iso_date(None) == ""
    assert iso_date(datetime(2026, 1, 2, 3, 4)) == "2026-01-02"
    with translation.override("fr"):
        assert long_date(late_evening) == "31 décembre 2026"
    assert long_date(None) == ""


def test_a_title_too_wide_is_set_at_the_largest_size_that_fits_but_not_below_the_minimum():
    width = layout.RIGHT - layout.LEFT
    title = "EXTRAIT DU REGISTRE DU COMMERCE ET DU CRÉDIT MOBILIER"

    assert fit_font_size("CERTIFICAT", layout.FONT_BOLD, 18, width) == 18
    fitted = fit_font_size(title, layout.FONT_BOLD, 18, width)
    assert 7 < fitted < 18
    assert pdfmetrics.stringWidth(title, layout.FONT_BOLD, fitted) <= width
    assert pdfmetrics.stringWidth(title, layout.FONT_BOLD, fitted + 0.5) > width
    assert fit_font_size(title * 5, layout.FONT_BOLD, 18, width) == 7
