"""Payments' reads, and who may see what: one place for the views (and services) to ask."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from .models import Channel, CounterClosing, Invoice, InvoiceState, Payment, PaymentState

# The back-office desk whose members keep the counter's till (workflows' desks.yaml).
CASHIER_DESK = "caisse"


def is_cashier(user) -> bool:
    return bool(user.is_authenticated
                and user.desk_memberships.filter(desk__code=CASHIER_DESK).exists())


def may_waive(user) -> bool:
    """Waiving a fee is a permission ("Peut exonérer une facture"), given in the admin."""
    return bool(user.is_authenticated and user.has_perm("payments.waive_invoice"))


def invoices_of(subject) -> QuerySet[Invoice]:
    """Every invoice of a subject (a filing), whatever its state."""
    return Invoice.objects.filter(subject_type=ContentType.objects.get_for_model(subject),
                                  subject_id=subject.pk)


def live_invoices_of(subject) -> QuerySet[Invoice]:
    """The subject's invoices that still count (not cancelled): one per service."""
    return invoices_of(subject).exclude(state=InvoiceState.CANCELLED)


def invoice_of(subject) -> Invoice | None:
    """The subject's live invoice (not cancelled), else its last one, else None."""
    return (live_invoices_of(subject).first()
            or invoices_of(subject).order_by("-issued_at").first())


def invoices_visible_to(user) -> QuerySet[Invoice]:
    """The payer sees their invoices; cashiers and those who may waive see every invoice."""
    if not user.is_authenticated:
        return Invoice.objects.none()
    if is_cashier(user) or may_waive(user):
        return Invoice.objects.all()
    return Invoice.objects.filter(payer=user)


def payments_of(invoice: Invoice) -> QuerySet[Payment]:
    return invoice.payments.select_related("receipt").order_by("-created_at")


def pending_online_payment(invoice: Invoice) -> Payment | None:
    return (invoice.payments.filter(state=PaymentState.PENDING)
            .exclude(channel=Channel.COUNTER).order_by("-created_at").first())


def day_payments(cashier, day: date) -> QuerySet[Payment]:
    """The counter payments a cashier took on a (local) day, in the order taken."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return Payment.objects.filter(
        channel=Channel.COUNTER, state=PaymentState.SUCCEEDED, initiated_by=cashier,
        settled_at__gte=start, settled_at__lt=start + timedelta(days=1),
    ).select_related("invoice", "receipt").order_by("settled_at", "pk")


def closings_of(cashier) -> QuerySet[CounterClosing]:
    return CounterClosing.objects.filter(cashier=cashier).order_by("-day")
