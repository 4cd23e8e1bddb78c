"""The certificate PDF: French text with accents, an embedded font, the register's facts."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

from pypdf import PdfReader

from documents.certificates import CertificateFacts, format_fcfa, render_certificate
from documents.storage import store_bytes

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
