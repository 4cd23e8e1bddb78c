"""The payer's pages: the invoice and how to pay it, the way back from a provider, the
receipt. Who sees what is payments.selectors.invoices_visible_to (the payer; cashiers and
clerks allowed to waive): anyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..models import Channel, InvoiceState, Payment, PaymentState
from ..providers import online_providers

NETWORKS = {"paygate": (("TMONEY", "T-Money (Mixx by Yas)"), ("FLOOZ", "Flooz (Moov Africa)"))}


class OnlinePaymentForm(forms.Form):
    """The payer's choice of provider (only those configured), and for PayGate the
    network and, optionally, the number to push the payment request to."""

    channel = forms.ChoiceField(label=_lazy("Moyen de paiement"), widget=forms.RadioSelect)
    network = forms.ChoiceField(label=_lazy("Réseau"), required=False,
                                choices=[("", "—"), *NETWORKS["paygate"]])
    phone_number = forms.CharField(
        label=_lazy("Numéro mobile money (facultatif)"), required=False, max_length=20,
        help_text=_lazy("8 chiffres, par exemple 90 12 34 56 ; laissé vide, vous le "
                        "saisirez sur la page de l'opérateur."))

    def __init__(self, *args, channels: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(code, Channel(code).label) for code in channels]

    def clean_phone_number(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["phone_number"] if ch.isdigit())
        if digits.startswith("228") and len(digits) == 11:
            digits = digits[3:]
        if digits and len(digits) != 8:
            raise forms.ValidationError(_lazy("Le numéro doit compter 8 chiffres "
                                              "(sans l'indicatif 228)."))
        return digits

    def clean(self) -> dict:
        data = super().clean()
        if data.get("channel") == Channel.PAYGATE and not data.get("network"):
            self.add_error("network", _lazy("Choisissez T-Money ou Flooz."))
        if data.get("channel") != Channel.PAYGATE:
            data["network"] = ""
        return data


def _invoice(request, number: str):
    return get_object_or_404(selectors.invoices_visible_to(request.user),
                             number=number.strip().upper())


@require_GET
@login_required
def invoice(request, number: str):
    invoice = _invoice(request, number)
    payments = list(selectors.payments_of(invoice))
    pending = next((p for p in payments if p.state == PaymentState.PENDING and p.is_online),
                   None)
    is_payer = invoice.payer_id == request.user.pk
    return render(request, "payments/invoice.html", {
        "invoice": invoice,
        "payments": payments,
        "pending": pending,
        "is_payer": is_payer,
        "form": OnlinePaymentForm(channels=online_providers())
        if is_payer and invoice.state == InvoiceState.OPEN else None,
        "subject_url": invoice.subject.get_absolute_url() if is_payer else "",
    })


@require_POST
@login_required
def pay(request, number: str):
    """Open an online payment and send the payer on to the provider's page."""
    invoice = _invoice(request, number)
    if invoice.payer_id != request.user.pk:
        raise Http404
    form = OnlinePaymentForm(request.POST, channels=online_providers())
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("payments:invoice", number=invoice.number)
    try:
        payment = services.start_online_payment(
            invoice_id=invoice.pk, user=request.user, channel=form.cleaned_data["channel"],
            phone_number=form.cleaned_data["phone_number"],
            network=form.cleaned_data["network"])
    except services.PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:invoice", number=invoice.number)
    if not payment.redirect_url:
        messages.info(request, _("Confirmez le paiement sur votre téléphone (code secret "
                                 "mobile money), puis revenez sur cette page."))
    return redirect("payments:invoice", number=invoice.number)


@require_GET
@login_required
def returned(request, reference: str):
    """The payer comes back from the provider's page: ask the provider, say where it is."""
    payment = get_object_or_404(
        Payment.objects.filter(invoice__in=selectors.invoices_visible_to(request.user)),
        reference=reference)
    payment = services.refresh_payment(payment_id=payment.pk)
    if payment.state == PaymentState.SUCCEEDED:
        messages.success(request, _("Paiement reçu : votre dossier est transmis aux services. "
                                    "Votre reçu est disponible ci-dessous."))
    elif payment.state == PaymentState.PENDING:
        messages.info(request, _("Votre paiement est en attente de confirmation par "
                                 "l'opérateur : cette page se mettra à jour dès qu'il sera "
                                 "confirmé."))
    elif payment.state == PaymentState.DUPLICATE:
        messages.warning(request, _("Cette facture était déjà réglée : ce second paiement "
                                    "vous sera remboursé."))
    else:
        messages.error(request, _("Le paiement n'a pas abouti (%(state)s). Aucun montant "
                                  "n'a été prélevé : vous pouvez réessayer ou payer au "
                                  "guichet.") % {"state": payment.get_state_display()})
    return redirect("payments:invoice", number=payment.invoice.number)


@require_GET
@login_required
def receipt(request, reference: str):
    """The sealed receipt of a payment, for whoever may see its invoice."""
    payment = get_object_or_404(
        Payment.objects.filter(invoice__in=selectors.invoices_visible_to(request.user))
        .select_related("receipt__stored_file"),
        reference=reference)
    if payment.receipt is None:
        raise Http404
    stored = payment.receipt.stored_file
    return FileResponse(stored.file.open("rb"), as_attachment=True,
                        filename=stored.original_name, content_type="application/pdf")
