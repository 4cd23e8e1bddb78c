"""A cashier's day closing report: the counter payments of one day at one desk.

An internal document (neither sealed nor verifiable): a table of payments over as many A4
pages as needed, its heading and column titles repeated on each page, the totals at the
end; and the same rows as CSV for the accounts.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from . import layout


class CounterPayment(NamedTuple):
    """One row of the report."""

    time: dt.time | dt.datetime  # a datetime is shown in the register's time zone
    invoice_number: str
    filing_reference: str
    method_label: str
    amount: int  # XOF
    receipt_code: str  # the receipt's verification code, grouped


@dataclass(frozen=True)
class CounterReportFacts:
    """total and count are worked out from the rows when left out, and checked against
    them when given: a closing that does not add up is refused rather than printed."""

    cashier_name: str
    day: dt.date
    desk_name: str
    closed_at: dt.datetime
    rows: Sequence[CounterPayment] = ()  # stored as a tuple of CounterPayment
    total: int | None = None
    count: int | None = None
    # The letterhead's court; settings.REGISTRY_COURT_NAME when left empty.
    court_name: str = ""

    def __post_init__(self) -> None:
        rows = tuple(CounterPayment(*row) for row in self.rows)
        object.__setattr__(self, "rows", rows)
        total = sum(row.amount for row in rows)
        if self.total is None:
            object.__setattr__(self, "total", total)
        elif self.total != total:
            raise ValueError(f"total {self.total} is not the rows' sum {total}")
        if self.count is None:
            object.__setattr__(self, "count", len(rows))
        elif self.count != len(rows):
            raise ValueError(f"count {self.count} is not the number of rows {len(rows)}")

    def filename(self) -> str:
        desk = slugify(self.desk_name)
        return f"cloture-caisse-{self.day.isoformat()}{'-' + desk if desk else ''}.pdf"

    def totals_by_method(self) -> list[tuple[str, int, int]]:
        """(method, count, amount) per payment method, in order of first appearance."""
        totals: dict[str, list[int]] = {}
        for row in self.rows:
            entry = totals.setdefault(row.method_label, [0, 0])
            entry[0] += 1
            entry[1] += row.amount
        return [(method, count, amount) for method, (count, amount) in totals.items()]


def _clock(value: dt.time | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).time()
    return value.strftime("%H:%M")


def _headers() -> list[str]:
    return [_("Heure"), _("Facture"), _("Dossier"), _("Mode de paiement"),
            _("Montant (FCFA)"), _("Code du reçu")]


def counter_report_csv_rows(facts: CounterReportFacts) -> list[list]:
    """The report's rows for a CSV file: column titles first, amounts as integers."""
    with override("fr"):
        header = _headers()
    return [header] + [
        [_clock(row.time), row.invoice_number, row.filing_reference, row.method_label,
         row.amount, row.receipt_code]
        for row in facts.rows
    ]


# Columns: width in mm, and whether the text is right-aligned (amounts).
_COLUMNS = [(12, False), (26, False), (32, False), (38, False), (24, True), (28, False)]
_TABLE_TOP = layout.PAGE_HEIGHT - 62 * mm
_ROW_HEIGHT = 5.5 * mm
_TABLE_SIZE = 7.5
_PAGE_BOTTOM = 22 * mm
# What the totals, method breakdown and signature lines need below the last row (mm),
# besides one line per method.
_CLOSING_HEIGHT = 60 * mm


def render_counter_report(facts: CounterReportFacts) -> bytes:
    """The day closing as an A4 PDF in French (not sealed)."""
    court_name = facts.court_name or settings.REGISTRY_COURT_NAME
    buffer = io.BytesIO()
    with override("fr"):
        pdf = layout.new_page(
            buffer,
            title=_("Clôture de caisse du %(day)s - %(desk)s") % {
                "day": formats.date_format(facts.day, "d/m/Y"), "desk": facts.desk_name},
            author=court_name,
        )
        per_page = int((_TABLE_TOP - _ROW_HEIGHT - _PAGE_BOTTOM) // _ROW_HEIGHT)
        closing = _CLOSING_HEIGHT + len(facts.totals_by_method()) * 5 * mm
        chunks = [facts.rows[i:i + per_page] for i in range(0, len(facts.rows), per_page)]
        chunks = chunks or [[]]
        # The totals go under the last rows when they fit there, else on a page of their own.
        last_y = _TABLE_TOP - _ROW_HEIGHT * (len(chunks[-1]) + 1)
        if last_y - closing < _PAGE_BOTTOM:
            chunks.append([])
        pages = len(chunks)
        for number, chunk in enumerate(chunks, start=1):
            _draw_page_heading(pdf, facts, court_name=court_name, page=number, pages=pages)
            # A page of its own for the totals has no table; the first page always has one.
            y = _draw_table(pdf, chunk) if chunk or number == 1 else _TABLE_TOP + 4 * mm
            if number < pages:
                pdf.setFont(layout.FONT, 8)
                pdf.drawRightString(layout.RIGHT, _PAGE_BOTTOM - 6 * mm,
                                    _("Suite à la page %(page)s.") % {"page": number + 1})
                pdf.showPage()
        _draw_closing(pdf, facts, y=y - 4 * mm)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def _draw_page_heading(pdf: canvas.Canvas, facts: CounterReportFacts, *, court_name: str,
                       page: int, pages: int) -> None:
    centre = layout.PAGE_WIDTH / 2
    top = layout.PAGE_HEIGHT
    pdf.setFont(layout.FONT, 9)
    pdf.drawCentredString(centre, top - 18 * mm, court_name)
    pdf.setFont(layout.FONT_BOLD, 14)
    pdf.drawCentredString(centre, top - 27 * mm, _("CLÔTURE DE CAISSE"))
    pdf.setFont(layout.FONT, 10)
    pdf.drawString(layout.LEFT, top - 38 * mm, _("Journée du %(day)s") % {
        "day": formats.date_format(facts.day, "l j F Y")})
    pdf.drawRightString(layout.RIGHT, top - 38 * mm,
                        _("Guichet : %(desk)s") % {"desk": facts.desk_name})
    pdf.drawString(layout.LEFT, top - 44 * mm,
                   _("Caissier : %(name)s") % {"name": facts.cashier_name})
    pdf.drawRightString(layout.RIGHT, top - 44 * mm,
                        _("Page %(page)s sur %(pages)s") % {"page": page, "pages": pages})
    pdf.setFont(layout.FONT, 7.5)
    pdf.drawCentredString(centre, 12 * mm,
                          _("Document interne, non scellé : il ne vaut pas reçu."))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis when it overflows its column."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_cells(pdf: canvas.Canvas, cells: list[str], y: float, *, font: str,
                shrink: bool = False) -> None:
    """One line of the table; a value too long for its column is cut (or, with `shrink`,
    as the column titles are, set smaller)."""
    x = layout.LEFT
    for text, (width, right) in zip(cells, _COLUMNS, strict=True):
        width *= mm
        size = _TABLE_SIZE
        if shrink:
            size = layout.fit_font_size(text, font, size, width - 2 * mm, minimum=5)
        text = _fit(text, font, size, width - 2 * mm)
        pdf.setFont(font, size)
        if right:
            pdf.drawRightString(x + width - 2 * mm, y, text)
        else:
            pdf.drawString(x, y, text)
        x += width


def _draw_table(pdf: canvas.Canvas, rows: Sequence[CounterPayment]) -> float:
    """The column titles and rows; returns the height of the last row."""
    y = _TABLE_TOP
    _draw_cells(pdf, _headers(), y, font=layout.FONT_BOLD, shrink=True)
    pdf.setLineWidth(0.6)
    pdf.line(layout.LEFT, y - 2 * mm, layout.RIGHT, y - 2 * mm)
    if not rows:  # only on the first page, of a day without payments
        y -= _ROW_HEIGHT
        pdf.setFont(layout.FONT, 9)
        pdf.drawString(layout.LEFT, y, _("Aucun paiement au guichet ce jour."))
    for row in rows:
        y -= _ROW_HEIGHT
        _draw_cells(pdf, [_clock(row.time), row.invoice_number, row.filing_reference,
                          row.method_label, _figures(row.amount), row.receipt_code],
                    y, font=layout.FONT)
    return y


def _figures(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0")


def _draw_closing(pdf: canvas.Canvas, facts: CounterReportFacts, *, y: float) -> None:
    pdf.setLineWidth(0.6)
    pdf.line(layout.LEFT, y, layout.RIGHT, y)
    y -= 7 * mm
    pdf.setFont(layout.FONT_BOLD, 11)
    pdf.drawString(layout.LEFT, y, _("Total encaissé"))
    pdf.drawRightString(layout.RIGHT, y, layout.format_fcfa(facts.total))
    y -= 6 * mm
    pdf.setFont(layout.FONT, 10)
    pdf.drawString(layout.LEFT, y, _("Nombre de paiements"))
    pdf.drawRightString(layout.RIGHT, y, str(facts.count))
    methods = facts.totals_by_method()
    if methods:
        y -= 8 * mm
        pdf.setFont(layout.FONT_BOLD, 9)
        pdf.drawString(layout.LEFT, y, _("Par mode de paiement"))
        pdf.setFont(layout.FONT, 9)
        for method, count, amount in methods:
            y -= 5 * mm
            pdf.drawString(layout.LEFT + 4 * mm, y, _fit(method, layout.FONT, 9, 90 * mm))
            pdf.drawRightString(layout.LEFT + 120 * mm, y, str(count))
            pdf.drawRightString(layout.RIGHT, y, layout.format_fcfa(amount))
    closed_at = timezone.localtime(facts.closed_at) if timezone.is_aware(facts.closed_at) \
        else facts.closed_at
    y -= 10 * mm
    pdf.setFont(layout.FONT, 9)
    pdf.drawString(layout.LEFT, y, _("Caisse clôturée le %(date)s à %(time)s.") % {
        "date": formats.date_format(closed_at, "j F Y"),
        "time": formats.time_format(closed_at, "H:i"),
    })
    y -= 14 * mm
    pdf.drawString(layout.LEFT, y, _("Signature du caissier"))
    pdf.drawRightString(layout.RIGHT, y, _("Visa du responsable"))
