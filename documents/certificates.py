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
    """An A4 certificate in French, with its verification code and seal stamp on the first
    page; very long facts go on over a continuation page rather than under the footer."""
    buffer = io.BytesIO()
    with override("fr"):
        pdf = layout.new_page(
            buffer,
            title=_("Certificat d'immatriculation - %(name)s") % {"name": facts.company_name},
            author=facts.court_name,
        )
        layout.draw_letterhead(pdf, court_name=facts.court_name,
                               title=_("CERTIFICAT D'IMMATRICULATION"))
        flow = layout.Flow(
            pdf, top=layout.PAGE_HEIGHT - 90 * mm,
            continued_title=_("Certificat d'immatriculation %(rccm)s")
            % {"rccm": facts.rccm_number},
            first_page_footer=lambda: layout.draw_footer(
                pdf, verification=verification, seal=seal, unsealed_notice=not facts.signed),
        )
        layout.draw_rows(flow, layout.company_rows(facts))
        flow.y -= 5 * mm
        layout.draw_paragraph(
            flow,
            _("Le greffier en chef certifie que l'entreprise ci-dessus est immatriculée "
              "au RCCM."),
        )
        flow.finish()
        pdf.save()
    return buffer.getvalue()
