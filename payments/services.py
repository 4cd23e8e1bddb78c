"""Payments' writes: billing, online payments and their notifications, the counter,
waivers, reconciliation, receipts and the cashier's day.

Row locks are taken cashier (the counter's till), then invoice, then payment; a subject
(a filing, its case) after its invoice (see lock_invoice_of). No lock is held across a
provider's HTTP call: a payment is recorded (committed) before the provider is asked, and
the answer is
applied in a new transaction that checks the state again, so a repeated, late or
concurrent answer changes nothing it should not.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import issuing
from documents.models import DocumentKind, IssuedDocument
from documents.receipts import ReceiptFacts
from notifications.services import notify
from outbox import services as outbox
from workflows import audit

from .fees import FeeNotSet, fee_line
from .models import (
    CURRENCY,
    FINAL_FAILURES,
    Channel,
    CounterClosing,
    CounterMethod,
    FeeOutcome,
    Invoice,
    InvoiceSequence,
    InvoiceState,
    Payment,
    PaymentState,
    ProviderEvent,
)
from .providers import get_provider
from .providers.base import (
    IgnoredNotification,
    Notification,
    Outcome,
    PaymentRequest,
    ProviderError,
    ProviderStatus,
)
from .selectors import day_payments, is_cashier, live_invoices_of, may_waive
from .signals import invoice_settled

log = logging.getLogger(__name__)

_FAILURES = {
    Outcome.DECLINED: PaymentState.DECLINED,
    Outcome.CANCELLED: PaymentState.CANCELLED,
    Outcome.EXPIRED: PaymentState.EXPIRED,
}


PENDING_OUTCOME = "unchanged: pending"
# A payment opened this recently and still pending is shown again rather than duplicated.
REUSE_PENDING_FOR = timedelta(minutes=15)


class PaymentError(Exception):
    """A request the invoice or payment does not allow; the message is for the user."""


class NotificationRefused(Exception):
    """A well-signed notification whose facts do not match the payment (amount, currency)."""


# Billing ---------------------------------------------------------------------------------

def _next_number(year: int) -> str:
    InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year)], ignore_conflicts=True)
    sequence = InvoiceSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"FAC-{year}-{sequence.last_number:07d}"


@audit.requires_transaction
def bill(*, subject, payer, service: str, legal_form: str, reference: str, title: str,
         description: str) -> Invoice:
    """The subject's invoice for a service: the live one if it has one, else a new one.

    A zero fee settles at once. The amount is the schedule's line in force today.
    """
    existing = (live_invoices_of(subject).select_for_update()
                .filter(service=service).first())
    if existing is not None:
        return existing
    try:
        line = fee_line(service, legal_form)
    except FeeNotSet as missing:
        raise PaymentError(str(missing)) from missing
    invoice = Invoice.objects.create(
        number=_next_number(timezone.localdate().year),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk, payer=payer, service=service, legal_form=legal_form,
        description=description[:200], subject_reference=reference,
        subject_title=title[:200], amount=line.amount, fee=line,
    )
    audit.record(obj=invoice, action="issue", to_state=invoice.state, actor=payer,
                 comment=f"{invoice.amount} {CURRENCY}")
    if invoice.amount == 0:
        _transition(invoice, "mark_paid", actor=payer, comment=_("Prestation gratuite"))
        invoice_settled.send(sender=Invoice, invoice=invoice, actor=payer)
    return invoice


_transition = audit.transition  # an invoice's or a payment's, saved and audited


def _locked_invoice(invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice_id)


def _settle(invoice: Invoice, payment: Payment, *, actor) -> None:
    """Mark the payment and its invoice paid, then tell whoever waits for it."""
    _transition(invoice, "mark_paid", actor=actor, comment=payment.reference)
    invoice_settled.send(sender=Invoice, invoice=invoice, actor=actor)
    from .tasks import issue_receipt

    outbox.enqueue(issue_receipt, payment.pk)


# Online payments -------------------------------------------------------------------------

def _new_reference() -> str:
    return f"PAY-{timezone.now():%y%m%d}-{secrets.token_hex(5).upper()}"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def start_online_payment(*, invoice_id: int, user, channel: str, phone_number: str = "",
                         network: str = "") -> Payment:
    """Open a payment with a provider; returns it with the page to send the payer to.

    The payment row is committed before the provider is called, so a crash in between
    leaves a pending payment the reconciliation will settle, never a lost one.
    """
    if channel not in (Channel.FEDAPAY, Channel.PAYGATE):
        raise PaymentError(_("Ce moyen de paiement n'est pas proposé."))
    with audit.atomic():
        invoice = _locked_invoice(invoice_id)
        if invoice.state != InvoiceState.OPEN:
            raise PaymentError(_("Cette facture est déjà réglée ou annulée."))
        # A second click while the first payment is still open at the provider: the same
        # payment, never a second request (a second USSD push, a second debit).
        recent = (invoice.payments.filter(
            state=PaymentState.PENDING, channel=channel, method=network,
            created_at__gte=timezone.now() - REUSE_PENDING_FOR)
            .exclude(provider_reference="").order_by("-created_at").first())
        if recent is not None:
            return recent
        payment = Payment.objects.create(
            reference=_new_reference(), invoice=invoice, channel=channel, method=network,
            amount=invoice.amount, phone_number=phone_number, initiated_by=user,
        )
        audit.record(obj=payment, action="start", to_state=payment.state, actor=user,
                     comment=channel)
    request = PaymentRequest(
        reference=payment.reference, amount=payment.amount,
        description=f"{invoice.description} - {invoice.number}",
        callback_url=_absolute(reverse("payments:notification", args=[channel])),
        return_url=_absolute(reverse("payments:returned", args=[payment.reference])),
        customer_email=user.email, customer_name=user.get_full_name(),
        phone_number=phone_number, network=network,
    )
    try:
        checkout = get_provider(channel).start(request)
    except ProviderError as error:
        log.warning("payment %s: provider %s refused to start: %s", payment.reference,
                    channel, error)
        with audit.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            if payment.state == PaymentState.PENDING:
                _transition(payment, "fail", actor=user, comment=str(error)[:200],
                            state=PaymentState.FAILED, reason=str(error))
        raise PaymentError(_("Le service de paiement ne répond pas pour le moment : "
                             "réessayez dans quelques minutes ou payez au guichet.")) from error
    Payment.objects.filter(pk=payment.pk).update(
        provider_reference=checkout.provider_reference[:80],
        redirect_url=_safe_payer_url(channel, checkout.redirect_url))
    payment.refresh_from_db()
    return payment


def _safe_payer_url(channel: str, url: str) -> str:
    """The provider's page, only if it is https or on the configured provider's own host
    (the local simulators): it becomes a link on our pages."""
    parts = urlsplit(url)
    configured = urlsplit(settings.PAYMENT_PROVIDERS[channel].get("BASE_URL", ""))
    if len(url) <= 500 and (parts.scheme == "https" or (
            parts.scheme == "http" and parts.netloc == configured.netloc)):
        return url
    log.warning("payment page of %s refused: %r", channel, url[:200])
    return ""


def apply_status(*, payment_id: int, status: ProviderStatus, actor=None,
                 source: str = "") -> str:
    """Apply what the provider says of a payment; returns what was done (for the log).

    Only a pending payment moves: a repeat, or a late "pending" after "paid", changes
    nothing. A success whose amount or currency differs from ours is not believed.
    """
    with audit.atomic():
        invoice_id = Payment.objects.values_list("invoice_id", flat=True).get(pk=payment_id)
        invoice = _locked_invoice(invoice_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        late_success = (payment.state in FINAL_FAILURES
                        and status.outcome == Outcome.SUCCEEDED)
        if payment.state != PaymentState.PENDING and not late_success:
            # A repeat, or a late "pending" or failure after the outcome: nothing moves.
            return f"unchanged: already {payment.state}"
        if status.outcome == Outcome.PENDING:
            return PENDING_OUTCOME
        if status.outcome in _FAILURES:
            _transition(payment, "fail", actor=actor, comment=source,
                        state=_FAILURES[status.outcome], reason=status.outcome.value)
            return f"payment {payment.state}"
        if status.amount != payment.amount or (status.currency or CURRENCY) != CURRENCY:
            # Not believed, and not asked about again: a person looks at it (the admin
            # lists failed payments with their reason).
            log.warning("payment %s: provider says %s %s, we expect %s %s (%s)",
                        payment.reference, status.amount, status.currency, payment.amount,
                        CURRENCY, source)
            if payment.state == PaymentState.PENDING:
                _transition(payment, "fail", actor=actor,
                            comment=f"{status.amount} {status.currency} ({source})",
                            state=PaymentState.FAILED,
                            reason=f"montant annoncé {status.amount} {status.currency} : "
                                   f"à vérifier")
            return "refused: amount or currency differs"
        if invoice.state != InvoiceState.OPEN:
            # Paid twice (two attempts, or cash then mobile money), or paid after the
            # filing ended: the money was taken, so it is kept on record for a refund.
            _transition(payment, "succeed_twice", actor=actor, comment=invoice.state,
                        provider_reference=status.provider_reference, means=status.method)
            return "duplicate: refund due"
        _transition(payment, "succeed", actor=actor, comment=source,
                    provider_reference=status.provider_reference, means=status.method)
        _settle(invoice, payment, actor=actor)
        return "paid"


def refresh_payment(*, payment_id: int) -> Payment:
    """Ask the provider about a pending online payment and apply its answer.

    A payment the provider still cannot tell about after PAYMENTS_ABANDON_AFTER_HOURS (the
    payer never opened its page) is closed as expired: the invoice stays payable.
    """
    payment = Payment.objects.get(pk=payment_id)
    if payment.state == PaymentState.PENDING and payment.is_online:
        abandoned = payment.created_at < timezone.now() - timedelta(
            hours=settings.PAYMENTS_ABANDON_AFTER_HOURS)
        try:
            status = get_provider(payment.channel).status(
                reference=payment.reference, provider_reference=payment.provider_reference)
        except ProviderError as error:
            log.info("payment %s: status not available: %s", payment.reference, error)
            status, source = None, f"abandoned: {error}"
        else:
            source = "status"
        if status is None or (abandoned and status.outcome == Outcome.PENDING):
            if not abandoned:
                return payment
            # Given up on our side (a late approval still counts: see apply_status).
            status = ProviderStatus(reference=payment.reference, outcome=Outcome.EXPIRED)
            source = source if source != "status" else "abandoned: still pending"
        apply_status(payment_id=payment.pk, status=status, source=source[:200])
        payment.refresh_from_db()
    return payment


def receive_notification(*, channel: str, body: bytes, headers: dict[str, str]) -> str:
    """A provider's webhook or callback: verify, keep once, queue its processing.

    Raises InvalidNotification (forged, malformed) or NotificationRefused (a signed one
    whose amount is not the payment's): the caller answers 400 and nothing changed.
    """
    notification: Notification = get_provider(channel).parse_notification(
        body=body, headers=headers)
    payment = Payment.objects.filter(channel=channel,
                                     reference=notification.reference).first()
    if payment is None:
        raise IgnoredNotification(f"not one of our payments: {notification.reference!r}")
    claimed = notification.status
    if notification.trusted and claimed.outcome == Outcome.SUCCEEDED and (
            claimed.amount != payment.amount or (claimed.currency or CURRENCY) != CURRENCY):
        raise NotificationRefused(
            f"{payment.reference}: {claimed.amount} {claimed.currency} != {payment.amount}")
    try:
        with audit.atomic():
            event = ProviderEvent.objects.create(
                provider=channel, event_id=notification.event_id[:120], payment=payment,
                payload={"trusted": notification.trusted, "outcome": claimed.outcome.value,
                         "amount": claimed.amount, "currency": claimed.currency,
                         "provider_reference": claimed.provider_reference,
                         "method": claimed.method, "occurred_at": notification.occurred_at},
            )
            from .tasks import process_provider_event

            outbox.enqueue(process_provider_event, event.pk)
    except IntegrityError:
        if not notification.trusted and _recheck(channel, notification.event_id[:120]):
            return "queued again"
        return "duplicate"  # the same notification, already kept: nothing to do
    return "queued"


def _recheck(channel: str, event_id: str) -> bool:
    """An unsigned notification seen before, when the provider still said "pending": ask
    the provider again (a repeat of a signed one, or of a settled one, changes nothing)."""
    with audit.atomic():
        reopened = ProviderEvent.objects.filter(
            provider=channel, event_id=event_id, processed_at__isnull=False,
            outcome=PENDING_OUTCOME).update(processed_at=None, outcome="")
        if reopened:
            from .tasks import process_provider_event

            event = ProviderEvent.objects.get(provider=channel, event_id=event_id)
            outbox.enqueue(process_provider_event, event.pk)
    return bool(reopened)


def process_event(*, event_id: int) -> str:
    """Act on a kept notification: a signed one as it says, an unsigned one only once the
    provider's status API confirms it."""
    event = ProviderEvent.objects.select_related("payment").get(pk=event_id)
    if event.processed_at is not None:
        return event.outcome
    payment = event.payment
    payload = event.payload
    if payload.get("trusted"):
        status = ProviderStatus(
            reference=payment.reference, outcome=Outcome(payload["outcome"]),
            amount=payload.get("amount"), currency=payload.get("currency") or CURRENCY,
            provider_reference=payload.get("provider_reference") or "",
            method=payload.get("method") or "")
        outcome = apply_status(payment_id=payment.pk, status=status,
                               source=f"{event.provider}:{event.event_id}")
    else:
        # Raises ProviderError when the provider cannot be reached: the task retries.
        status = get_provider(payment.channel).status(
            reference=payment.reference, provider_reference=payment.provider_reference)
        outcome = apply_status(payment_id=payment.pk, status=status,
                               source=f"{event.provider}:{event.event_id} (confirmed)")
    ProviderEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), outcome=outcome[:200])
    return outcome


# Reconciliation --------------------------------------------------------------------------

def reconcile_pending(*, older_than: timedelta | None = None, limit: int = 200) -> dict:
    """Ask the providers about online payments pending for too long and settle them."""
    older_than = older_than or timedelta(minutes=settings.PAYMENTS_RECONCILE_AFTER_MINUTES)
    stale = (Payment.objects.filter(state=PaymentState.PENDING,
                                    created_at__lt=timezone.now() - older_than)
             .exclude(channel=Channel.COUNTER).order_by("created_at")
             .values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for payment_id in list(stale):
        payment = refresh_payment(payment_id=payment_id)
        counts[payment.state] = counts.get(payment.state, 0) + 1
    return counts


@dataclass(frozen=True)
class Mismatch:
    reference: str
    invoice: str
    ours: str
    theirs: str
    our_amount: int
    their_amount: int | None


def reconciliation_report(*, day: date) -> list[Mismatch]:
    """Every online payment started on `day` whose state or amount differs at the provider."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    payments = (Payment.objects.filter(created_at__gte=start,
                                       created_at__lt=start + timedelta(days=1))
                .exclude(channel=Channel.COUNTER).select_related("invoice")
                .order_by("created_at"))
    expected = {
        PaymentState.PENDING: Outcome.PENDING, PaymentState.SUCCEEDED: Outcome.SUCCEEDED,
        PaymentState.DUPLICATE: Outcome.SUCCEEDED, PaymentState.DECLINED: Outcome.DECLINED,
        PaymentState.CANCELLED: Outcome.CANCELLED, PaymentState.EXPIRED: Outcome.EXPIRED,
    }
    mismatches = []
    for payment in payments.iterator(chunk_size=500):
        try:
            theirs = get_provider(payment.channel).status(
                reference=payment.reference, provider_reference=payment.provider_reference)
        except ProviderError as error:
            if payment.state == PaymentState.FAILED:
                continue  # never reached the provider: nothing to compare
            mismatches.append(Mismatch(payment.reference, payment.invoice.number,
                                       payment.state, f"error: {error}", payment.amount, None))
            continue
        ours = expected.get(payment.state)
        paid = theirs.outcome == Outcome.SUCCEEDED
        if ours != theirs.outcome or (paid and theirs.amount != payment.amount):
            mismatches.append(Mismatch(payment.reference, payment.invoice.number,
                                       payment.state, theirs.outcome.value, payment.amount,
                                       theirs.amount))
    return mismatches


# The counter -----------------------------------------------------------------------------

def record_counter_payment(*, invoice_number: str, cashier, method: str, amount: int,
                           counter_reference: str = "") -> Payment:
    """A cashier records the cash or bank payment of an invoice, in full; audited."""
    if not is_cashier(cashier):
        raise PaymentError(_("Seuls les agents de la caisse encaissent les paiements."))
    if method not in CounterMethod.values:
        raise PaymentError(_("Choisissez espèces ou versement bancaire."))
    today = timezone.localdate()
    with audit.atomic():
        _lock_till(cashier)
        invoice = (Invoice.objects.select_for_update()
                   .filter(number=invoice_number.strip().upper()).first())
        if invoice is None:
            raise PaymentError(_("Aucune facture ne porte ce numéro."))
        if invoice.state != InvoiceState.OPEN:
            raise PaymentError(_("La facture %(number)s est déjà %(state)s.")
                               % {"number": invoice.number,
                                  "state": invoice.get_state_display()})
        if amount != invoice.amount:
            raise PaymentError(_("Le montant doit être celui de la facture : %(amount)s FCFA.")
                               % {"amount": f"{invoice.amount:,}".replace(",", "\u202f")})
        if CounterClosing.objects.filter(cashier=cashier, day=today).exists():
            raise PaymentError(_("Votre caisse du jour est clôturée : aucun encaissement "
                                 "n'est plus possible aujourd'hui."))
        payment = Payment.objects.create(
            reference=_new_reference(), invoice=invoice, channel=Channel.COUNTER,
            method=method, amount=amount, initiated_by=cashier,
            counter_reference=counter_reference.strip()[:60],
        )
        _transition(payment, "succeed", actor=cashier,
                    comment=f"{amount} {CURRENCY} {method} {payment.counter_reference}".strip())
        _settle(invoice, payment, actor=cashier)
    return payment


def waive_invoice(*, invoice_id: int, actor, reason: str) -> Invoice:
    """An authorised clerk waives the fee, with the reason; audited."""
    if not may_waive(actor):
        raise PaymentError(_("Vous n'êtes pas habilité à exonérer une facture."))
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Indiquez le motif de l'exonération."))
    with audit.atomic():
        invoice = _locked_invoice(invoice_id)
        if invoice.state != InvoiceState.OPEN:
            raise PaymentError(_("Cette facture est déjà réglée ou annulée."))
        from_state = invoice.state
        invoice.waive(actor=actor, reason=reason)
        invoice.save()
        audit.record(obj=invoice, action="waive", from_state=from_state,
                     to_state=invoice.state, actor=actor, comment=reason)
        invoice_settled.send(sender=Invoice, invoice=invoice, actor=actor)
    return invoice


@audit.requires_transaction
def lock_invoice_of(subject) -> Invoice | None:
    """Lock the subject's live invoice, first: a settlement locks the invoice before the
    subject (start of its case), so whoever also locks the subject takes the invoice
    before it, never after (no deadlock)."""
    return live_invoices_of(subject).select_for_update().first()


@audit.requires_transaction
def subject_ended(*, subject, actor) -> Invoice | None:
    """The subject ended without the service (rejected, withdrawn): an unpaid invoice is
    cancelled; a paid fee is kept or refunded, as PAYMENTS_FEE_ON_END says, on record."""
    invoice = live_invoices_of(subject).select_for_update().first()
    if invoice is None:
        return None
    if invoice.state == InvoiceState.OPEN:
        _transition(invoice, "cancel", actor=actor)
    elif invoice.state == InvoiceState.PAID and not invoice.fee_outcome:
        invoice.fee_outcome = (FeeOutcome.REFUND_DUE
                               if settings.PAYMENTS_FEE_ON_END == "refunded"
                               else FeeOutcome.KEPT)
        invoice.save(update_fields=["fee_outcome"])
        audit.record(obj=invoice, action="fee_outcome", from_state=invoice.state,
                     to_state=invoice.state, actor=actor, comment=invoice.fee_outcome)
    return invoice


# Receipts and the cashier's day ----------------------------------------------------------

def method_label(payment: Payment) -> str:
    if payment.channel == Channel.COUNTER:
        return _("Au guichet : %(method)s") % {
            "method": CounterMethod(payment.method).label if payment.method else ""}
    operator = payment.method or ""
    return _("Mobile money %(operator)s (%(provider)s)") % {
        "operator": operator, "provider": payment.get_channel_display()}


def issue_receipt(*, payment_id: int) -> IssuedDocument | None:
    """Seal the receipt of a successful payment (once) and tell the payer."""
    payment = Payment.objects.select_related("invoice", "invoice__payer",
                                             "initiated_by").get(pk=payment_id)
    if payment.state != PaymentState.SUCCEEDED or payment.receipt_id:
        return payment.receipt
    invoice = payment.invoice
    facts = ReceiptFacts(
        invoice_number=invoice.number, amount=payment.amount, currency=payment.currency,
        paid_at=payment.settled_at, method_label=method_label(payment),
        provider_reference=payment.provider_reference or payment.counter_reference
        or payment.reference,
        payer_name=invoice.payer.get_full_name() or invoice.payer.email,
        filing_reference=invoice.subject_reference, company_name=invoice.subject_title,
        purpose=invoice.description,
        cashier_name=(payment.initiated_by.get_full_name()
                      if payment.channel == Channel.COUNTER else ""),
    )
    sealed = issuing.seal_document(kind=DocumentKind.RECEIPT, facts=facts)
    try:
        with audit.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.receipt_id:
                issuing.discard_document(sealed)
                return locked.receipt
            document = issuing.keep_document(sealed)
            locked.receipt = document
            locked.save(update_fields=["receipt"])
            audit.record(obj=locked, action="receipt", from_state=locked.state,
                         to_state=locked.state, comment=document.verification_code)
            notify(event="payment_received", user=invoice.payer,
                   about=f"payments.payment:{payment.pk}",
                   link=reverse("payments:invoice", args=[invoice.number]),
                   attachment=document.stored_file,
                   context={"invoice_number": invoice.number, "amount": payment.amount,
                            "reference": invoice.subject_reference,
                            "company_name": invoice.subject_title,
                            "verification_code": document.grouped_code})
    except BaseException:
        issuing.discard_document(sealed)
        raise
    return document


def _lock_till(cashier) -> None:
    """One cashier's till at a time: a payment and the day's closing never interleave (a
    payment committed after the closing counted would sit outside it). Locks are taken
    cashier, then invoice, then payment."""
    list(get_user_model().objects.select_for_update().filter(pk=cashier.pk)
         .values_list("pk", flat=True))


def close_counter_day(*, cashier, day: date | None = None) -> CounterClosing:
    """Close the cashier's day: its counter payments are counted and frozen."""
    if not is_cashier(cashier):
        raise PaymentError(_("Seuls les agents de la caisse clôturent une caisse."))
    day = day or timezone.localdate()
    with audit.atomic():
        _lock_till(cashier)
        payments = list(day_payments(cashier, day).select_for_update(of=("self",)))
        try:
            with transaction.atomic():
                closing = CounterClosing.objects.create(
                    cashier=cashier, day=day, total=sum(p.amount for p in payments),
                    count=len(payments))
        except IntegrityError as taken:
            raise PaymentError(_("Cette journée est déjà clôturée.")) from taken
        Payment.objects.filter(pk__in=[p.pk for p in payments]).update(closing=closing)
        audit.record(obj=closing, action="close", actor=cashier,
                     comment=f"{closing.count} / {closing.total} {CURRENCY}")
    return closing

