"""The certificate of registration, drawn with ReportLab from facts the registry supplies."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.units import mm

from . import layout
from .layout import SealMark, Verification


@dataclass(frozen=True)
class CertificateFacts:
    court_name: str
    company_name: str
    legal_form: str
    rccm_number: str
    capital: int | None
    registered_office: str
    managers: list[str] = field(default_factory=list)
    registered_at: datetime | None = None
    # Kept for callers that seal after drawing; issue_document decides this itself.
    signed: bool = False
    # Given by the tax office and the social security fund when they have issued them.
    nif: str = ""
    cnss_number: str = ""

    def public_facts(self) -> dict:
        """What the public verification page may show (no personal data but managers)."""
        return {
            "company_name": self.company_name,
            "legal_form": self.legal_form,
            "rccm_number": self.rccm_number,
            "registered_office": self.registered_office,
            "registered_on": iso_date(self.registered_at),
            "managers": list(self.managers),
        }

    def filename(self) -> str:
        return f"certificat-{self.rccm_number}.pdf"


def iso_date(value: datetime | None) -> str:
    """The day in the register's time zone, as YYYY-MM-DD (empty when unknown)."""
    if value is None:
        return ""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).date().isoformat()


def render_certificate(
    facts: CertificateFacts,
    *,
    verification: Verification | None = None,
    seal: SealMark | None = None,
) -> bytes:
    """A one-page A4 certificate in French, with its verification code and seal stamp."""
    buffer = io.BytesIO()
    with override("fr"):
        pdf = layout.new_page(
            buffer,
            title=_("Certificat d'immatriculation - %(name)s") % {"name": facts.company_name},
            author=facts.court_name,
        )
        _draw(pdf, facts)
        layout.draw_footer(pdf, verification=verification, seal=seal,
                           unsealed_notice=not facts.signed)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def _draw(pdf, facts: CertificateFacts) -> None:
    layout.draw_letterhead(pdf, court_name=facts.court_name,
                           title=_("CERTIFICAT D'IMMATRICULATION"))
    rows = layout.company_rows(facts)
    y = layout.draw_rows(pdf, rows, top=layout.PAGE_HEIGHT - 90 * mm)
    layout.draw_paragraph(
        pdf,
        _("Le greffier en chef certifie que l'entreprise ci-dessus est immatriculée "
          "au RCCM."),
        top=max(y - 5 * mm, layout.FOOTER_TOP + 5 * mm),
    )
