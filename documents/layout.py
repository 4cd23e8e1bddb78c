"""What every issued document shares on the page: fonts, letterhead, rows of facts, and the
footer with the verification QR code and the seal stamp.

The seal stamp is drawn here, in the page content; the signature field is then placed over
SEAL_BOX, so a viewer that shows signatures points at the stamp (see documents/signing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import reportlab
import segno
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Bitstream Vera ships with ReportLab: embedded, and it prints French accents.
_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "Vera", "VeraBd"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 25 * mm
RIGHT = PAGE_WIDTH - 25 * mm
VALUE_X = 75 * mm
GREEN = Color(0, 0.416, 0.306)

# The seal stamp, bottom right, in PDF points (x1, y1, x2, y2): the signature field's box.
SEAL_BOX = (int(118 * mm), int(24 * mm), int(RIGHT), int(60 * mm))
QR_SIZE = 34 * mm
QR_ORIGIN = (LEFT, 24 * mm)
# Content drawn above this height stays clear of the footer.
FOOTER_TOP = 66 * mm


def register_fonts() -> None:
    """Load the TrueType fonts once per process; ReportLab keeps them registered."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))


@dataclass(frozen=True)
class Verification:
    """How anyone checks the document: its code, shown grouped, and the public page's URL."""

    code: str
    url: str


@dataclass(frozen=True)
class SealMark:
    """What the stamp says: who seals, when, and whether a timestamp authority vouches."""

    signer_name: str
    sealed_at: datetime
    timestamped: bool = False


def new_page(buffer, *, title: str, author: str) -> canvas.Canvas:
    register_fonts()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=FONT)
    pdf.setTitle(title)
    pdf.setAuthor(author)
    pdf.setSubject(title)
    return pdf


def draw_letterhead(pdf: canvas.Canvas, *, court_name: str, title: str) -> None:
    centre = PAGE_WIDTH / 2
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 25 * mm, _("RÉPUBLIQUE TOGOLAISE"))
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 30 * mm, _("Travail - Liberté - Patrie"))
    pdf.setFont(FONT_BOLD, 12)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 42 * mm, court_name)
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(
        centre, PAGE_HEIGHT - 48 * mm, _("Registre du Commerce et du Crédit Mobilier (RCCM)")
    )
    size = fit_font_size(title, FONT_BOLD, 18, RIGHT - LEFT)
    pdf.setFont(FONT_BOLD, size)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 68 * mm, title)


def fit_font_size(text: str, font: str, size: float, width: float, minimum: float = 7) -> float:
    """The largest size up to `size` at which `text` fits in `width`."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_rows(
    pdf: canvas.Canvas, rows: Sequence[tuple[str, str]], *, top: float, step: float = 10 * mm
) -> float:
    """Label and value rows; a long value wraps under itself. Returns the next free height."""
    y = top
    width = RIGHT - VALUE_X
    for label, value in rows:
        pdf.setFont(FONT, 10)
        pdf.drawString(LEFT, y, label)
        lines = simpleSplit(value, FONT_BOLD, 11, width) or [""]
        pdf.setFont(FONT_BOLD, 11)
        for index, line in enumerate(lines):
            pdf.drawString(VALUE_X, y - index * 5 * mm, line)
        y -= step + (len(lines) - 1) * 5 * mm
    return y


def draw_paragraph(
    pdf: canvas.Canvas, text: str, *, top: float, font: str = FONT, size: float = 9
) -> float:
    pdf.setFont(font, size)
    y = top
    for line in simpleSplit(text, font, size, RIGHT - LEFT):
        pdf.drawString(LEFT, y, line)
        y -= size * 1.4
    return y


def format_fcfa(amount: int) -> str:
    # No-break spaces between thousands (1 000 000 FCFA); the embedded font has no U+202F.
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0FCFA"


def company_rows(facts, *, business_purpose: str | None = None) -> list[tuple[str, str]]:
    """The register's facts about a company, as certificates and extracts print them."""
    rows = [
        (_("Numéro RCCM"), facts.rccm_number),
        (_("Dénomination sociale"), facts.company_name),
        (_("Forme juridique"), facts.legal_form),
    ]
    if business_purpose is not None:
        rows.append((_("Objet social"), business_purpose))
    if facts.capital is not None:  # an EI has no share capital, a GIE may have none
        rows.append((_("Capital social"), format_fcfa(facts.capital)))
    rows += [
        (_("Siège social"), facts.registered_office),
        (_("Dirigeant(s)"), ", ".join(facts.managers)),
        (_("Date d'immatriculation"), long_date(facts.registered_at)),
    ]
    if facts.nif:
        rows.append((_("NIF"), facts.nif))
    if facts.cnss_number:
        rows.append((_("N° employeur CNSS"), facts.cnss_number))
    return rows


def long_date(value: datetime | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def draw_footer(
    pdf: canvas.Canvas,
    *,
    verification: Verification | None,
    seal: SealMark | None,
    unsealed_notice: bool,
) -> None:
    if verification is not None:
        _draw_verification(pdf, verification)
    if seal is not None:
        _draw_seal(pdf, seal)
    elif unsealed_notice:
        _draw_unsealed_notice(pdf)


def _draw_verification(pdf: canvas.Canvas, verification: Verification) -> None:
    draw_qr(pdf, verification.url, x=QR_ORIGIN[0], y=QR_ORIGIN[1], size=QR_SIZE)
    x = QR_ORIGIN[0] + QR_SIZE + 4 * mm
    top = QR_ORIGIN[1] + QR_SIZE - 4 * mm
    pdf.setFont(FONT_BOLD, 9)
    pdf.drawString(x, top, _("Vérifier ce document"))
    pdf.setFont(FONT, 8)
    pdf.drawString(x, top - 5 * mm, _("Scannez le code QR ou saisissez"))
    pdf.drawString(x, top - 9 * mm, _("le code de vérification en ligne :"))
    pdf.setFont(FONT_BOLD, 11)
    pdf.drawString(x, top - 16 * mm, verification.code)
    url_line = _("Vérification : %(url)s") % {"url": verification.url}
    pdf.setFont(FONT, fit_font_size(url_line, FONT, 8, RIGHT - LEFT, minimum=5))
    pdf.drawString(LEFT, QR_ORIGIN[1] - 6 * mm, url_line)


def draw_qr(pdf: canvas.Canvas, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (one filled path: sharp at any zoom, no image)."""
    qr = segno.make(data, error="m", micro=False)
    rows = qr.matrix
    module = size / len(rows)
    path = pdf.beginPath()
    for row_index, row in enumerate(rows):
        top = y + size - (row_index + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * module, top, (column - start) * module, module)
                start = None
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


def _draw_seal(pdf: canvas.Canvas, seal: SealMark) -> None:
    x1, y1, x2, y2 = SEAL_BOX
    pdf.saveState()
    pdf.setStrokeColor(GREEN)
    pdf.setLineWidth(1.2)
    pdf.roundRect(x1, y1, x2 - x1, y2 - y1, 3 * mm, stroke=1, fill=0)
    pdf.setFillColor(GREEN)
    inner = x2 - x1 - 8 * mm
    y = y2 - 6 * mm
    pdf.setFont(FONT_BOLD, 9)
    pdf.drawString(x1 + 4 * mm, y, _("SCEAU ÉLECTRONIQUE"))
    pdf.setFillColorRGB(0, 0, 0)
    y -= 4.5 * mm
    pdf.setFont(FONT, 7.5)
    for line in simpleSplit(seal.signer_name, FONT, 7.5, inner)[:2]:
        pdf.drawString(x1 + 4 * mm, y, line)
        y -= 3.6 * mm
    sealed_at = seal.sealed_at.astimezone(UTC)  # the law wants UTC (art. 113)
    sealed = _("Scellé le %(date)s à %(time)s UTC") % {
        "date": sealed_at.strftime("%d/%m/%Y"),
        "time": sealed_at.strftime("%H:%M"),
    }
    pdf.drawString(x1 + 4 * mm, y, sealed)
    y -= 3.6 * mm
    pdf.drawString(
        x1 + 4 * mm, y,
        _("Signature PAdES, horodatée (RFC 3161)") if seal.timestamped
        else _("Signature électronique PAdES"),
    )
    pdf.restoreState()


def _draw_unsealed_notice(pdf: canvas.Canvas) -> None:
    pdf.setFont(FONT_BOLD, 9)
    pdf.drawString(LEFT, 12 * mm, _("Document de démonstration : non scellé électroniquement."))
