"""The RCCM extract: the company's entry in the register as it stands on a given date."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.units import mm

from . import layout
from .certificates import iso_date
from .layout import SealMark, Verification


@dataclass(frozen=True)
class RegisterEntry:
    """One inscription in the register (registration, amendment, filing of a deed)."""

    on: date
    text: str


@dataclass(frozen=True)
class RccmExtractFacts:
    court_name: str
    company_name: str
    legal_form: str
    rccm_number: str
    capital: int | None
    registered_office: str
    business_purpose: str
    as_of: date
    managers: list[str] = field(default_factory=list)
    registered_at: datetime | None = None
    nif: str = ""
    cnss_number: str = ""
    entries: list[RegisterEntry] = field(default_factory=list)
    # The company's situation when it is no longer simply active ("Radiée le ..."): the
    # extract and its public verification say it.
    status: str = ""

    def public_facts(self) -> dict:
        """What the public verification page may show (no personal data but managers)."""
        return {
            **({"status": self.status} if self.status else {}),
            "company_name": self.company_name,
            "legal_form": self.legal_form,
            "rccm_number": self.rccm_number,
            "registered_office": self.registered_office,
            "registered_on": iso_date(self.registered_at),
            "managers": list(self.managers),
            "as_of": self.as_of.isoformat(),
        }

    def filename(self) -> str:
        return f"extrait-rccm-{self.rccm_number}-{self.as_of.isoformat()}.pdf"


def render_rccm_extract(
    facts: RccmExtractFacts,
    *,
    verification: Verification | None = None,
    seal: SealMark | None = None,
) -> bytes:
    """An A4 extract in French; the seal and the code (first page) make it an original. A
    long objet social goes on over continuation pages, never under the footer."""
    buffer = io.BytesIO()
    with override("fr"):
        pdf = layout.new_page(
            buffer,
            title=_("Extrait RCCM - %(name)s") % {"name": facts.company_name},
            author=facts.court_name,
        )
        layout.draw_letterhead(pdf, court_name=facts.court_name,
                               title=_("EXTRAIT DU REGISTRE DU COMMERCE"))
        pdf.setFont(layout.FONT, 10)
        pdf.drawCentredString(
            layout.PAGE_WIDTH / 2, layout.PAGE_HEIGHT - 75 * mm,
            _("Situation au %(date)s") % {"date": formats.date_format(facts.as_of, "j F Y")},
        )
        flow = layout.Flow(
            pdf, top=layout.PAGE_HEIGHT - 88 * mm,
            continued_title=_("Extrait RCCM %(rccm)s") % {"rccm": facts.rccm_number},
            first_page_footer=lambda: layout.draw_footer(
                pdf, verification=verification, seal=seal, unsealed_notice=True),
        )
        layout.draw_rows(flow, layout.identity_rows(facts), step=8 * mm)
        _draw_business_purpose(flow, facts.business_purpose)
        situation = layout.situation_rows(facts)
        if facts.status:
            situation.append((_("Situation"), facts.status))
        layout.draw_rows(flow, situation, step=8 * mm)
        _draw_entries(flow, facts.entries)
        flow.y -= 4 * mm
        layout.draw_paragraph(
            flow,
            _("Extrait certifié conforme aux inscriptions portées au registre à la date "
              "indiquée."),
        )
        flow.finish()
        pdf.save()
    return buffer.getvalue()


def _draw_business_purpose(flow: layout.Flow, text: str) -> None:
    """The objet social across the page's width (it often runs to several hundred
    characters), under its label."""
    y = flow.place()
    flow.pdf.setFont(layout.FONT, 10)
    flow.pdf.drawString(layout.LEFT, y, _("Objet social"))
    flow.y -= layout.ROW_LINE
    for paragraph in text.splitlines() or [""]:
        layout.draw_paragraph(flow, paragraph, font=layout.FONT_BOLD, size=9)
    flow.y -= 8 * mm - 9 * 1.4


def _draw_entries(flow: layout.Flow, entries: list[RegisterEntry]) -> None:
    """The register's inscriptions, first ones first, on the page they start on; those that
    do not fit are counted, never dropped silently."""
    if not entries:
        return
    y = flow.place()
    flow.pdf.setFont(layout.FONT_BOLD, 10)
    flow.pdf.drawString(layout.LEFT, y, _("Inscriptions"))
    flow.y -= 6 * mm
    for index, entry in enumerate(entries):
        if not flow.room_for(10 * mm):
            layout.draw_paragraph(flow, _(
                "… et %(count)s inscription(s) non reproduite(s) sur cet extrait."
            ) % {"count": len(entries) - index})
            return
        layout.draw_paragraph(
            flow, f"{formats.date_format(entry.on, 'd/m/Y')} : {entry.text}")
