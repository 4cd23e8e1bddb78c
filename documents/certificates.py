"""The certificate of registration, drawn with ReportLab from facts the registry supplies."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Bitstream Vera ships with ReportLab: embedded, and it prints French accents.
_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "Vera", "VeraBd"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))


@dataclass(frozen=True)
class CertificateFacts:
    court_name: str
    company_name: str
    legal_form: str
    rccm_number: str
    capital: int
    registered_office: str
    managers: list[str] = field(default_factory=list)
    registered_at: datetime | None = None
    signed: bool = False


def format_fcfa(amount: int) -> str:
    # No-break spaces between thousands (1 000 000 FCFA); the embedded font has no U+202F.
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0FCFA"


def render_certificate(facts: CertificateFacts) -> bytes:
    """A one-page A4 certificate in French."""
    _register_fonts()
    buffer = io.BytesIO()
    with override("fr"):
        _draw(canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT), facts)
    return buffer.getvalue()


def _draw(pdf: canvas.Canvas, facts: CertificateFacts) -> None:
    width, height = A4
    pdf.setTitle(_("Certificat d'immatriculation - %(name)s") % {"name": facts.company_name})
    pdf.setAuthor(facts.court_name)
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawCentredString(width / 2, height - 25 * mm, _("RÉPUBLIQUE TOGOLAISE"))
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(width / 2, height - 30 * mm, _("Travail - Liberté - Patrie"))
    pdf.setFont(FONT_BOLD, 12)
    pdf.drawCentredString(width / 2, height - 42 * mm, facts.court_name)
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(
        width / 2, height - 48 * mm, _("Registre du Commerce et du Crédit Mobilier (RCCM)")
    )
    pdf.setFont(FONT_BOLD, 18)
    pdf.drawCentredString(width / 2, height - 68 * mm, _("CERTIFICAT D'IMMATRICULATION"))

    registered_on = (
        formats.date_format(facts.registered_at, "j F Y") if facts.registered_at else ""
    )
    rows = [
        (_("Numéro RCCM"), facts.rccm_number),
        (_("Dénomination sociale"), facts.company_name),
        (_("Forme juridique"), facts.legal_form),
        (_("Capital social"), format_fcfa(facts.capital)),
        (_("Siège social"), facts.registered_office),
        (_("Dirigeant(s)"), ", ".join(facts.managers)),
        (_("Date d'immatriculation"), registered_on),
    ]
    y = height - 90 * mm
    for label, value in rows:
        pdf.setFont(FONT, 10)
        pdf.drawString(25 * mm, y, label)
        pdf.setFont(FONT_BOLD, 11)
        pdf.drawString(75 * mm, y, value)
        y -= 10 * mm

    pdf.setFont(FONT, 9)
    pdf.drawString(
        25 * mm,
        y - 10 * mm,
        _("Le greffier en chef certifie que l'entreprise ci-dessus est immatriculée "
          "au RCCM."),
    )
    if not facts.signed:
        pdf.setFont(FONT_BOLD, 9)
        pdf.drawString(
            25 * mm,
            30 * mm,
            _("Document de démonstration : non scellé électroniquement."),
        )
    pdf.showPage()
    pdf.save()
