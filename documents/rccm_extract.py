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

    def public_facts(self) -> dict:
        """What the public verification page may show (no personal data but managers)."""
        return {
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
    """A one-page A4 extract in French; the seal and the code make it an original."""
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
        rows = layout.company_rows(facts, business_purpose=facts.business_purpose)
        y = layout.draw_rows(pdf, rows, top=layout.PAGE_HEIGHT - 88 * mm, step=8 * mm)
        if facts.entries:
            pdf.setFont(layout.FONT_BOLD, 10)
            pdf.drawString(layout.LEFT, y, _("Inscriptions"))
            y -= 6 * mm
            for index, entry in enumerate(facts.entries):
                if y < layout.FOOTER_TOP + 16 * mm:
                    # One page: say plainly that the history goes on, never drop it silently.
                    y = layout.draw_paragraph(pdf, _(
                        "… et %(count)s inscription(s) non reproduite(s) sur cet extrait."
                    ) % {"count": len(facts.entries) - index}, top=y)
                    break
                y = layout.draw_paragraph(
                    pdf, f"{formats.date_format(entry.on, 'd/m/Y')} : {entry.text}", top=y
                )
        layout.draw_paragraph(
            pdf,
            _("Extrait certifié conforme aux inscriptions portées au registre à la date "
              "indiquée."),
            top=max(y - 4 * mm, layout.FOOTER_TOP + 4 * mm),
        )
        layout.draw_footer(pdf, verification=verification, seal=seal, unsealed_notice=True)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
