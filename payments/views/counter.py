"""The counter, in the back office: cashiers find an invoice, record its cash or bank
payment, and close their day; clerks allowed to waive a fee do it from the same page.

Every write is taken in two steps that need no JavaScript: the form posts, the answer is
a confirmation page saying what will be recorded; only its second POST (confirm=1) calls
the service. Bad input writes nothing.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from documents.counter_report import (
    CounterPayment,
    CounterReportFacts,
    counter_report_csv_rows,
    render_counter_report,
)
from workflows.access import staff_required
from workflows.models import Desk
from workflows.selectors import is_supervisor_of

from .. import selectors, services
from ..forms import CounterPaymentForm, InvoiceLookupForm, WaiverForm, normalise_invoice_number
from ..models import CounterClosing, Invoice, InvoiceState, Payment, PaymentState

CLOSINGS_SHOWN = 60


def cashier_required(view):
    """Members of the cashier desk, with a second factor (403 for other staff)."""
    return staff_required(view, selectors.is_cashier)


def counter_staff_required(view):
    """Cashiers, and clerks allowed to waive a fee (they find and waive invoices)."""
    return staff_required(view,
                           lambda user: selectors.is_cashier(user) or selectors.may_waive(user))


def waiver_required(view):
    return staff_required(view, selectors.may_waive)


def _invoice(request, number: str) -> Invoice:
    return get_object_or_404(selectors.invoices_visible_to(request.user).select_related("payer"),
                             number=normalise_invoice_number(number))


def _labelled(payments) -> list[Payment]:
    """The payments, each with the label of how it was paid, for the tables."""
    payments = list(payments)
    for payment in payments:
        payment.method_label = services.method_label(payment)
    return payments


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


# Finding an invoice, and the day at a glance ------------------------------------------------

@counter_staff_required
def counter(request):
    form = InvoiceLookupForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"]
        if selectors.invoices_visible_to(request.user).filter(number=number).exists():
            return redirect("payments:counter_invoice", number=number)
        form.add_error("number", _("Aucune facture ne porte le numéro %(number)s : vérifiez-le "
                                   "sur le document du demandeur.") % {"number": number})
    context = {"form": form, "is_cashier": selectors.is_cashier(request.user)}
    if context["is_cashier"]:
        today = timezone.localdate()
        context |= {
            "today": today,
            "takings": selectors.day_payments(request.user, today)
            .aggregate(count=Count("pk"), total=Sum("amount")),
            "closing": selectors.closings_of(request.user).filter(day=today).first(),
        }
    return render(request, "payments/counter.html", context)


# One invoice: paying it, waiving it ---------------------------------------------------------

def _invoice_page(request, invoice: Invoice, *, payment_form=None, waiver_form=None,
                  status: int = 200):
    user = request.user
    is_open = invoice.state == InvoiceState.OPEN
    cashier = selectors.is_cashier(user)
    day_closed = cashier and selectors.closings_of(user).filter(
        day=timezone.localdate()).exists()
    payments = _labelled(selectors.payments_of(invoice))
    if is_open and cashier and not day_closed and payment_form is None:
        payment_form = CounterPaymentForm(invoice=invoice)
    if is_open and selectors.may_waive(user) and waiver_form is None:
        waiver_form = WaiverForm()
    return render(request, "payments/counter_invoice.html", {
        "invoice": invoice,
        "payments": payments,
        "paid_with": next((p for p in payments if p.state == PaymentState.SUCCEEDED), None),
        "payment_form": payment_form if is_open and cashier and not day_closed else None,
        "waiver_form": waiver_form if is_open else None,
        "day_closed": day_closed,
    }, status=status)


@require_http_methods(["GET", "POST"])
@counter_staff_required
def counter_invoice(request, number: str):
    invoice = _invoice(request, number)
    if request.method == "GET":
        return _invoice_page(request, invoice)
    if not selectors.is_cashier(request.user):
        raise PermissionDenied  # the waiver's clerks see the invoice, not the till
    if invoice.state != InvoiceState.OPEN:
        return _settled_already(request, invoice)
    form = CounterPaymentForm(request.POST, invoice=invoice)
    if not form.is_valid():
        return _invoice_page(request, invoice, payment_form=form, status=400)
    if not _confirmed(request):
        return render(request, "payments/counter_confirm.html", {
            "invoice": invoice,
            "data": form.cleaned_data,
            "method_label": dict(form.fields["method"].choices)[form.cleaned_data["method"]],
        })
    try:
        payment = services.record_counter_payment(
            invoice_number=invoice.number, cashier=request.user,
            method=form.cleaned_data["method"], amount=form.cleaned_data["amount"],
            counter_reference=form.cleaned_data["reference"])
    except services.PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:counter_invoice", number=invoice.number)
    messages.success(request, _("Paiement %(reference)s enregistré : la facture %(number)s "
                                "est payée.") % {"reference": payment.reference,
                                                 "number": invoice.number})
    return redirect("payments:counter_invoice", number=invoice.number)


def _settled_already(request, invoice: Invoice):
    """Nothing to pay or waive: said before any confirmation page (the service refuses too)."""
    messages.error(request, _("La facture %(number)s est déjà %(state)s : il n'y a plus rien "
                              "à encaisser ni à exonérer.")
                   % {"number": invoice.number, "state": invoice.get_state_display()})
    return redirect("payments:counter_invoice", number=invoice.number)


@require_POST
@waiver_required
def waive(request, number: str):
    invoice = _invoice(request, number)
    if invoice.state != InvoiceState.OPEN:
        return _settled_already(request, invoice)
    form = WaiverForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, invoice, waiver_form=form, status=400)
    if not _confirmed(request):
        return render(request, "payments/counter_waive_confirm.html",
                      {"invoice": invoice, "reason": form.cleaned_data["reason"]})
    try:
        services.waive_invoice(invoice_id=invoice.pk, actor=request.user,
                               reason=form.cleaned_data["reason"])
    except services.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La facture %(number)s est exonérée : le dossier "
                                    "%(reference)s part à l'instruction.")
                         % {"number": invoice.number, "reference": invoice.subject_reference})
    return redirect("payments:counter_invoice", number=invoice.number)


# The cashier's day and its closing ----------------------------------------------------------

@require_http_methods(["GET", "POST"])
@cashier_required
def counter_day(request):
    today = timezone.localdate()
    payments = selectors.day_payments(request.user, today)
    if request.method == "POST":
        if not _confirmed(request):
            return render(request, "payments/counter_close_confirm.html", {
                "today": today,
                "takings": payments.aggregate(count=Count("pk"), total=Sum("amount")),
            })
        try:
            closing = services.close_counter_day(cashier=request.user, day=today)
        except services.PaymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, ngettext(
                "Caisse clôturée : %(count)s paiement, %(total)s FCFA au total.",
                "Caisse clôturée : %(count)s paiements, %(total)s FCFA au total.",
                closing.count) % {"count": closing.count, "total": intcomma(closing.total)})
        return redirect("payments:counter_day")
    rows = _labelled(payments)
    return render(request, "payments/counter_day.html", {
        "today": today,
        "payments": rows,
        "total": sum(payment.amount for payment in rows),
        "closing": selectors.closings_of(request.user).filter(day=today).first(),
    })


@cashier_required
def closings(request):
    return render(request, "payments/closings.html", {
        "closings": selectors.closings_of(request.user)[:CLOSINGS_SHOWN],
        "shown": CLOSINGS_SHOWN,
    })


def _cashier_desk() -> Desk:
    return Desk.objects.get(code=selectors.CASHIER_DESK)


def _closing_report(request, closing_id: int) -> CounterReportFacts:
    """The report of a closing, for the cashier who closed it or a supervisor of the
    cashier desk; 404 for anyone else (a closing's existence is not theirs to know)."""
    closing = get_object_or_404(CounterClosing.objects.select_related("cashier"),
                                pk=closing_id)
    desk = _cashier_desk()
    if closing.cashier_id != request.user.pk and not is_supervisor_of(request.user, desk):
        raise Http404
    payments = (closing.payments.select_related("invoice", "receipt")
                .order_by("settled_at", "pk"))
    rows = [CounterPayment(
        time=payment.settled_at, invoice_number=payment.invoice.number,
        filing_reference=payment.invoice.subject_reference,
        method_label=services.method_label(payment), amount=payment.amount,
        receipt_code=payment.receipt.grouped_code if payment.receipt else "",
    ) for payment in payments]
    return CounterReportFacts(
        cashier_name=closing.cashier.get_full_name() or closing.cashier.email,
        day=closing.day, desk_name=desk.name, closed_at=closing.closed_at, rows=rows,
        total=closing.total, count=closing.count)


@cashier_required
def closing_csv(request, closing_id: int):
    facts = _closing_report(request, closing_id)
    filename = facts.filename().removesuffix(".pdf") + ".csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte order mark and semicolons: what spreadsheets set to French read as columns.
    response.write("\ufeff")
    csv.writer(response, delimiter=";").writerows(counter_report_csv_rows(facts))
    return response


@cashier_required
def closing_pdf(request, closing_id: int):
    facts = _closing_report(request, closing_id)
    response = HttpResponse(render_counter_report(facts), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{facts.filename()}"'
    return response
