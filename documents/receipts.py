"""The payment receipt: sealed and verifiable like the certificate, for one paid invoice."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.units import mm

from . import layout
from .certificates import iso_date
from .layout import SealMark, Verification
from .words import MAX_NUMBER, fcfa_in_words

CURRENCY = "XOF"


@dataclass(frozen=True)
class ReceiptFacts:
    invoice_number: str
    amount: int  # in XOF (FCFA), which has no minor unit
    paid_at: datetime  # aware
    method_label: str  # "Mobile money — Flooz", "Espèces au guichet"
    # The provider's transaction id, or the cashier's receipt number at the counter.
    provider_reference: str
    payer_name: str
    filing_reference: str
    company_name: str
    purpose: str  # "Frais de création d'entreprise — SARL"
    cashier_name: str = ""  # counter payments only
    currency: str = CURRENCY
    # The letterhead's court; settings.REGISTRY_COURT_NAME when left empty.
    court_name: str = ""

    def __post_init__(self) -> None:
        if self.currency != CURRENCY:
            raise ValueError(f"receipts are in {CURRENCY}, not {self.currency}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("the amount is a whole number of FCFA")
        if not 0 <= self.amount <= MAX_NUMBER:
            raise ValueError(f"amount out of range: {self.amount}")
        if timezone.is_naive(self.paid_at):
            raise ValueError("paid_at must be an aware datetime")

    def public_facts(self) -> dict:
        """What the public verification page may show: no payer, cashier nor provider ids."""
        return {
            "invoice_number": self.invoice_number,
            "amount": self.amount,
            "paid_on": iso_date(self.paid_at),
            "company_name": self.company_name,
            "reference": self.filing_reference,
        }

    def filename(self) -> str:
        return f"recu-{self.invoice_number}.pdf"


def render_receipt(
    facts: ReceiptFacts,
    *,
    verification: Verification | None = None,
    seal: SealMark | None = None,
) -> bytes:
    """An A4 receipt in French: what was paid, by whom and how, the amount in figures and
    in words, and the verification code and seal stamp that make it an original."""
    court_name = facts.court_name or settings.REGISTRY_COURT_NAME
    buffer = io.BytesIO()
    with override("fr"):
        pdf = layout.new_page(
            buffer,
            title=_("Reçu de paiement - facture %(invoice)s") % {"invoice": facts.invoice_number},
            author=court_name,
        )
        layout.draw_letterhead(pdf, court_name=court_name, title=_("REÇU DE PAIEMENT"))
        flow = layout.Flow(
            pdf, top=layout.PAGE_HEIGHT - 85 * mm,
            continued_title=_("Reçu de paiement %(invoice)s") % {"invoice": facts.invoice_number},
            first_page_footer=lambda: layout.draw_footer(
                pdf, verification=verification, seal=seal, unsealed_notice=True),
        )
        layout.draw_rows(flow, receipt_rows(facts), step=8 * mm)
        flow.y -= 2 * mm
        layout.draw_rows(flow, [(_("Montant payé"), layout.format_fcfa(facts.amount))],
                         step=7 * mm)
        layout.draw_paragraph(
            flow,
            _("Arrêté le présent reçu à la somme de %(words)s.")
            % {"words": fcfa_in_words(facts.amount)},
            font=layout.FONT_BOLD, size=10,
        )
        flow.y -= 4 * mm
        layout.draw_paragraph(
            flow,
            _("Ce reçu atteste le paiement ci-dessus. Il ne vaut ni certificat "
              "d'immatriculation ni extrait du registre."),
        )
        flow.finish()
        pdf.save()
    return buffer.getvalue()


def receipt_rows(facts: ReceiptFacts) -> list[tuple[str, str]]:
    """The receipt's facts as (label, value) rows; call under the language to print in."""
    paid_at = timezone.localtime(facts.paid_at)
    rows = [
        (_("Facture n°"), facts.invoice_number),
        (_("Objet"), facts.purpose),
        (_("Dossier"), facts.filing_reference),
        (_("Entreprise"), facts.company_name),
        (_("Payé par"), facts.payer_name),
        (_("Date du paiement"), _("%(date)s à %(time)s") % {
            "date": formats.date_format(paid_at, "j F Y"),
            "time": formats.time_format(paid_at, "H:i"),
        }),
        (_("Mode de paiement"), facts.method_label),
        (_("Référence de l'opération"), facts.provider_reference),
    ]
    if facts.cashier_name:
        rows.append((_("Caissier"), facts.cashier_name))
    return rows
