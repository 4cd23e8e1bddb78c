"""The counter's forms: finding an invoice, recording a payment, waiving a fee."""

from __future__ import annotations

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from .models import CounterMethod, Invoice

# The largest amount a PositiveIntegerField holds on PostgreSQL.
MAX_AMOUNT = 2_147_483_647


def normalise_invoice_number(value: str) -> str:
    """An invoice number as typed or read aloud ("fac-2026 - 0000012") as it is stored."""
    return "".join(value.split()).upper()


class InvoiceLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Numéro de facture"), max_length=40,
        help_text=_("Par exemple FAC-2026-0000012, tel qu'il figure sur la facture."),
        error_messages={"required": _("Saisissez le numéro de la facture.")},
    )

    def clean_number(self) -> str:
        number = normalise_invoice_number(self.cleaned_data["number"])
        if not number:
            raise forms.ValidationError(_("Saisissez le numéro de la facture."))
        return number


class CounterPaymentForm(forms.Form):
    """A cash or bank payment of an invoice, in full; a bank payment names its slip."""

    method = forms.ChoiceField(
        label=_("Moyen de paiement"), choices=CounterMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez espèces ou versement bancaire."),
                        "invalid_choice": _("Choisissez espèces ou versement bancaire.")},
    )
    amount = forms.IntegerField(
        label=_("Montant encaissé (FCFA)"), min_value=1, max_value=MAX_AMOUNT,
        error_messages={
            "required": _("Saisissez le montant encaissé."),
            "invalid": _("Saisissez le montant en francs CFA, en chiffres, sans décimales."),
            "min_value": _("Le montant doit être supérieur à zéro."),
            "max_value": _("Ce montant est trop élevé."),
        },
    )
    reference = forms.CharField(
        label=_("Référence du bordereau ou du reçu de caisse"), max_length=60, required=False,
        help_text=_("Obligatoire pour un versement ou un virement bancaire."),
    )

    def __init__(self, *args, invoice: Invoice, **kwargs):
        kwargs.setdefault("initial", {"amount": invoice.amount})
        super().__init__(*args, **kwargs)
        self.invoice = invoice

    def clean_amount(self) -> int:
        # Checked again by the service; said here so the cashier corrects it before the
        # confirmation page, not after.
        amount = self.cleaned_data["amount"]
        if amount != self.invoice.amount:
            raise forms.ValidationError(
                _("Le montant doit être celui de la facture : %(amount)s FCFA."),
                params={"amount": intcomma(self.invoice.amount)}, code="amount_differs")
        return amount

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("method") == CounterMethod.BANK and not cleaned.get("reference"):
            self.add_error("reference", _("Indiquez la référence du bordereau bancaire."))
        return cleaned


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'exonération"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le texte ou la décision qui exonère ce dossier ; il est conservé au "
                    "journal d'audit."),
        error_messages={"required": _("Indiquez le motif de l'exonération."),
                        "max_length": _("Le motif tient en 1 000 caractères au plus.")},
    )
