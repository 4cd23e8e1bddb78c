"""The certificate PDF: French text with accents, an embedded font, the register's facts."""

from __future__ import annotations

import hashlib
import io
import shutil
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from documents.certificates import CertificateFacts, render_certificate
from documents.layout import SealMark, Verification, format_fcfa
from documents.storage import store_bytes

from .helpers import decode_qr_codes

FACTS = CertificateFacts(
    court_name="Tribunal de commerce de Lomé",
    company_name="Société Éléphant Bleu",
    legal_form="Société à responsabilité limitée (SARL)",
    rccm_number="TG-LOM-2026-B-00042",
    capital=1_000_000,
    registered_office="12 rue du Commerce, Lomé",
    managers=["Kossi AGBEKO"],
    registered_at=datetime(2026, 11, 29, 10, 0, tzinfo=UTC),
)


def test_the_certificate_carries_the_facts_in_french_with_accents():
    reader = PdfReader(io.BytesIO(render_certificate(FACTS)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("CERTIFICAT D'IMMATRICULATION", "TG-LOM-2026-B-00042",
                     "Société Éléphant Bleu", "Tribunal de commerce de Lomé", "Kossi AGBEKO",
                     "29 novembre 2026", "RÉPUBLIQUE TOGOLAISE"):
        assert expected in text, expected
    # pypdf reads the no-break spaces back as plain spaces
    assert "1 000 000 FCFA" in text.replace("\u00a0", " ")
    assert "\x00" not in text  # no glyph missing from the embedded font


def test_the_font_is_embedded():
    reader = PdfReader(io.BytesIO(render_certificate(FACTS)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        assert "/FontDescriptor" in font, font.get("/BaseFont")
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_an_unsigned_certificate_says_it_is_not_sealed():
    text = PdfReader(io.BytesIO(render_certificate(FACTS))).pages[0].extract_text()
    assert "non scellé" in text


def test_amounts_read_the_french_way():
    assert format_fcfa(25_000) == "25\u00a0000\u00a0FCFA"


def test_a_stored_file_keeps_the_fingerprint_of_its_bytes(db, settings):
    data = render_certificate(FACTS)
    stored = store_bytes(data=data, filename="certificat.pdf", content_type="application/pdf")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    with stored.file.open("rb") as handle:
        assert handle.read() == data
    again = store_bytes(data=data, filename="certificat.pdf", content_type="application/pdf")
    assert again.file.name != stored.file.name


def test_nif_and_social_security_number_are_printed_when_issued():
    facts = replace(FACTS, nif="1000456789", cnss_number="E-0042-2026")
    text = PdfReader(io.BytesIO(render_certificate(facts))).pages[0].extract_text()
    assert "NIF" in text and "1000456789" in text
    assert "N° employeur CNSS" in text and "E-0042-2026" in text


def test_nif_and_social_security_lines_are_left_out_until_issued():
    text = PdfReader(io.BytesIO(render_certificate(FACTS))).pages[0].extract_text()
    assert "NIF" not in text
    assert "CNSS" not in text


def test_the_verification_code_and_url_are_printed():
    verification = Verification(code="ABCD-2345-WXYZ",
                                url="https://guichet.example.tg/verifier/ABCD-2345-WXYZ/")
    pdf = render_certificate(FACTS, verification=verification)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ABCD-2345-WXYZ" in text
    assert "https://guichet.example.tg/verifier/ABCD-2345-WXYZ/" in text


def test_the_printed_qr_code_decodes_to_the_verification_url(tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) renders the page")
    url = "https://guichet.example.tg/verifier/ABCD-2345-WXYZ/"
    pdf = render_certificate(FACTS, verification=Verification(code="ABCD-2345-WXYZ", url=url))
    assert decode_qr_codes(pdf, tmp_path) == [url]


def test_a_sealed_certificate_shows_the_stamp_in_utc():
    seal = SealMark(signer_name="Greffe du Tribunal de commerce de Lomé",
                    sealed_at=datetime(2026, 11, 29, 10, 5, tzinfo=UTC))
    text = PdfReader(io.BytesIO(render_certificate(FACTS, seal=seal))).pages[0].extract_text()
    assert "SCEAU ÉLECTRONIQUE" in text
    assert "Scellé le 29/11/2026 à 10:05 UTC" in text
    assert "non scellé" not in text
