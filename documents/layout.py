"""What every issued document shares on the page: fonts, letterhead, rows of facts, and the
footer with the verification QR code and the seal stamp.

The seal stamp is drawn here, in the page content; the signature field is then placed over
SEAL_BOX, so a viewer that shows signatures points at the stamp (see documents/signing.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import segno
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.pdfgen import canvas

# DejaVu Sans (vendored in documents/fonts with its licence): Bitstream Vera's metrics, plus
# the letters of Ewe and Kabiyè (ɖ ɛ ƒ ɣ ŋ ɔ ʋ ɩ ʊ) and combining tone marks.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONT_FILES = {FONT: FONT_DIR / "DejaVuSans.ttf", FONT_BOLD: FONT_DIR / "DejaVuSans-Bold.ttf"}

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
# The lowest baseline of the first page's body (room left for the "continued" note), and
# of a continuation page's (above its page number).
BODY_BOTTOM = FOOTER_TOP + 6 * mm
CONTINUATION_BOTTOM = 22 * mm
# From one line of a wrapped value to the next.
ROW_LINE = 5 * mm


def register_fonts() -> None:
    """Load the TrueType fonts once per process; ReportLab keeps them registered."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, path in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))


@functools.cache
def _printable_codepoints() -> frozenset[int]:
    """The characters both embedded fonts have a glyph for, in the Basic Multilingual Plane:
    ReportLab writes the text layer (ToUnicode) of a character beyond U+FFFF wrongly, so an
    emoji such as U+1F600 would show but not copy, search or read back."""
    regular, bold = (TTFontFile(str(path)).charToGlyph for path in FONT_FILES.values())
    return frozenset(code for code in regular.keys() & bold.keys() if code <= 0xFFFF)


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` the documents cannot print (no glyph in the embedded font),
    each once, in order; line breaks and tabs count as printable (they are laid out)."""
    printable = _printable_codepoints()
    missing: list[str] = []
    for char in text:
        if char not in "\n\r\t" and ord(char) not in printable and char not in missing:
            missing.append(char)
    return missing


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


class Flow:
    """Where the next line of a document's body goes, page after page.

    The first page's body stops above the footer (QR code and seal stamp, where the
    signature field points); a body that does not fit goes on over continuation pages,
    each headed with the document's title, never over the footer and never cut short.
    """

    def __init__(self, pdf: canvas.Canvas, *, top: float, continued_title: str,
                 first_page_footer: Callable[[], None]) -> None:
        self.pdf = pdf
        self.y = top
        self.page = 1
        self.continued_title = continued_title
        self._first_page_footer = first_page_footer

    @property
    def bottom(self) -> float:
        return BODY_BOTTOM if self.page == 1 else CONTINUATION_BOTTOM

    def place(self) -> float:
        """The height to draw the next line at, on a new page when this one is full."""
        if self.y < self.bottom:
            self.new_page()
        return self.y

    def room_for(self, height: float) -> bool:
        return self.y - height >= self.bottom

    def new_page(self) -> None:
        pdf = self.pdf
        pdf.setFont(FONT, 8)
        note_y = FOOTER_TOP + 1.5 * mm if self.page == 1 else CONTINUATION_BOTTOM - 5 * mm
        pdf.drawRightString(RIGHT, note_y,
                            _("Suite à la page %(page)s.") % {"page": self.page + 1})
        if self.page == 1:
            self._first_page_footer()
        pdf.showPage()
        self.page += 1
        heading = f"{self.continued_title} ({_('suite')})"
        pdf.setFont(FONT_BOLD, fit_font_size(heading, FONT_BOLD, 11, RIGHT - LEFT))
        pdf.drawString(LEFT, PAGE_HEIGHT - 20 * mm, heading)
        pdf.setFont(FONT, 8)
        pdf.drawCentredString(PAGE_WIDTH / 2, 12 * mm,
                              _("Page %(page)s") % {"page": self.page})
        self.y = PAGE_HEIGHT - 32 * mm

    def finish(self) -> None:
        """Close the last page (the first page's footer is drawn if it was not yet)."""
        if self.page == 1:
            self._first_page_footer()
        self.pdf.showPage()


def draw_rows(flow: Flow, rows: Sequence[tuple[str, str]], *, step: float = 10 * mm) -> None:
    """Label and value rows; a long value wraps under itself, onto the next page if need be."""
    pdf = flow.pdf
    width = RIGHT - VALUE_X
    for label, value in rows:
        lines = simpleSplit(value, FONT_BOLD, 11, width) or [""]
        y = flow.place()
        pdf.setFont(FONT, 10)
        pdf.drawString(LEFT, y, label)
        for index, line in enumerate(lines):
            if index:
                flow.y -= ROW_LINE
                y = flow.place()
            pdf.setFont(FONT_BOLD, 11)
            pdf.drawString(VALUE_X, y, line)
        flow.y -= step


def draw_paragraph(flow: Flow, text: str, *, font: str = FONT, size: float = 9) -> None:
    """Text across the page's width, wrapped, onto the next page if need be."""
    pdf = flow.pdf
    for line in simpleSplit(text, font, size, RIGHT - LEFT):
        y = flow.place()
        pdf.setFont(font, size)
        pdf.drawString(LEFT, y, line)
        flow.y -= size * 1.4


def format_fcfa(amount: int) -> str:
    # No-break spaces between thousands (1 000 000 FCFA), as the register has always printed.
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0FCFA"


def identity_rows(facts) -> list[tuple[str, str]]:
    """Who the company is: number, name and form, as certificates and extracts print them."""
    return [
        (_("Numéro RCCM"), facts.rccm_number),
        (_("Dénomination sociale"), facts.company_name),
        (_("Forme juridique"), facts.legal_form),
    ]


def company_rows(facts) -> list[tuple[str, str]]:
    """The register's facts about a company, as certificates and extracts print them."""
    return identity_rows(facts) + situation_rows(facts)


def situation_rows(facts) -> list[tuple[str, str]]:
    """Capital, seat, managers, date and identifiers, printed after the company's identity."""
    rows = []
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
