"""Fees, invoices and the payments made against them.

An invoice is what a filing owes; it is settled by one payment (online or at the counter)
or waived by an authorised clerk. Payments keep every attempt, so a declined mobile-money
payment followed by cash at the counter leaves both on record. Provider notifications are
kept as they arrived, once each, so a repeated or replayed one changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

CURRENCY = "XOF"
MAX_AMOUNT = 999_999_999


class Service(models.TextChoices):
    COMPANY_CREATION = "company_creation", _("création d'entreprise")
    COMPANY_AMENDMENT = "company_amendment", _("inscription modificative")
    COMPANY_DISSOLUTION = "company_dissolution", _("dissolution")
    COMPANY_STRIKE_OFF = "company_strike_off", _("radiation")


class FeeSchedule(models.Model):
    """One line of the fee schedule: what a service costs for a legal form, from a date.

    The line in force on a day is the latest one that started on or before it; a new
    decree is a new line, so an invoice's amount can always be explained.
    """

    service = models.CharField(_("prestation"), max_length=40, choices=Service.choices)
    legal_form = models.CharField(_("forme juridique"), max_length=8)
    # A receipt writes the amount in words, up to 999,999,999 (documents.words).
    amount = models.PositiveIntegerField(_("montant (FCFA)"),
                                         validators=[MaxValueValidator(MAX_AMOUNT)])
    effective_from = models.DateField(_("en vigueur à partir du"))
    legal_basis = models.CharField(_("texte de référence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ligne du barème")
        verbose_name_plural = _("barème des frais")
        ordering = ("service", "legal_form", "-effective_from")
        constraints = [
            models.UniqueConstraint(fields=("service", "legal_form", "effective_from"),
                                    name="one_fee_per_form_and_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.legal_form}: {self.amount} {CURRENCY}"


class InvoiceState(models.TextChoices):
    OPEN = "open", _("à payer")
    PAID = "paid", _("payée")
    WAIVED = "waived", _("exonérée")
    CANCELLED = "cancelled", _("annulée")


class FeeOutcome(models.TextChoices):
    """What became of a paid fee when the filing ended without a registration."""

    NONE = "", _("—")
    KEPT = "kept", _("conservés (frais d'instruction)")
    REFUND_DUE = "refund_due", _("à rembourser")
    REFUNDED = "refunded", _("remboursés")


class InvoiceSequence(models.Model):
    """The last invoice number given in a year (numbers run without gaps per year)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("séquence de factures")
        verbose_name_plural = _("séquences de factures")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Invoice(FSMModelMixin, models.Model):
    """What a subject (a filing) owes for a service."""

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="invoices", verbose_name=_("débiteur"))
    service = models.CharField(_("prestation"), max_length=40, choices=Service.choices)
    legal_form = models.CharField(_("forme juridique"), max_length=8)
    description = models.CharField(_("libellé"), max_length=200)
    # Copied from the filing so the cashier and the receipt need not read it again.
    subject_reference = models.CharField(_("dossier"), max_length=20)
    subject_title = models.CharField(_("dénomination"), max_length=200, blank=True)
    amount = models.PositiveIntegerField(_("montant (FCFA)"))
    currency = models.CharField(_("devise"), max_length=3, default=CURRENCY)
    fee = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, null=True, blank=True,
                            related_name="+", verbose_name=_("ligne du barème"))
    state = FSMField(_("état"), choices=InvoiceState.choices, default=InvoiceState.OPEN,
                     protected=True)
    issued_at = models.DateTimeField(_("émise le"), default=timezone.now)
    settled_at = models.DateTimeField(_("réglée le"), null=True, blank=True)
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("exonérée par"))
    waiver_reason = models.TextField(_("motif de l'exonération"), blank=True)
    fee_outcome = models.CharField(_("sort des frais"), max_length=12,
                                   choices=FeeOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ("-issued_at",)
        permissions = [("waive_invoice", _("Peut exonérer une facture"))]
        constraints = [
            # One live invoice per subject and service: signing twice never bills twice.
            models.UniqueConstraint(
                fields=("subject_type", "subject_id", "service"),
                condition=~models.Q(state="cancelled"),
                name="one_live_invoice_per_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="waived") | ~models.Q(waiver_reason=""),
                name="waiver_has_reason",
            ),
        ]
        indexes = [models.Index(fields=("subject_type", "subject_id"),
                                name="invoice_subject")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_settled(self) -> bool:
        return self.state in (InvoiceState.PAID, InvoiceState.WAIVED)

    @transition(field=state, source=InvoiceState.OPEN, target=InvoiceState.PAID)
    def mark_paid(self) -> None:
        self.settled_at = timezone.now()

    @transition(field=state, source=InvoiceState.OPEN, target=InvoiceState.WAIVED)
    def waive(self, *, actor, reason: str) -> None:
        self.settled_at = timezone.now()
        self.waived_by = actor
        self.waiver_reason = reason

    @transition(field=state, source=InvoiceState.OPEN, target=InvoiceState.CANCELLED)
    def cancel(self) -> None:
        """The filing ended before it was paid: nothing is owed any more."""


class Channel(models.TextChoices):
    FEDAPAY = "fedapay", _("Mobile money (Mixx by Yas, Moov) via FedaPay")
    PAYGATE = "paygate", _("Mobile money (T-Money, Flooz) via PayGate")
    COUNTER = "counter", _("Au guichet")


class CounterMethod(models.TextChoices):
    CASH = "cash", _("espèces")
    BANK = "bank", _("versement ou virement bancaire")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("en attente de confirmation")
    SUCCEEDED = "succeeded", _("réussi")
    DECLINED = "declined", _("refusé")
    CANCELLED = "cancelled", _("annulé")
    EXPIRED = "expired", _("expiré")
    FAILED = "failed", _("non abouti")
    # Taken by the provider although the invoice was already settled or cancelled: the
    # money is the payer's, to be refunded (the admin lists them).
    DUPLICATE = "duplicate", _("payé en double, à rembourser")


FINAL_FAILURES = (PaymentState.DECLINED, PaymentState.CANCELLED, PaymentState.EXPIRED,
                  PaymentState.FAILED)


class Payment(FSMModelMixin, models.Model):
    """One attempt to pay an invoice, online or at the counter."""

    reference = models.CharField(_("référence"), max_length=40, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("facture"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    method = models.CharField(_("moyen"), max_length=40, blank=True)
    amount = models.PositiveIntegerField(_("montant (FCFA)"))
    currency = models.CharField(_("devise"), max_length=3, default=CURRENCY)
    state = FSMField(_("état"), choices=PaymentState.choices, default=PaymentState.PENDING,
                     protected=True)
    provider_reference = models.CharField(_("référence du prestataire"), max_length=80,
                                          blank=True)
    redirect_url = models.URLField(_("page de paiement"), max_length=500, blank=True)
    phone_number = models.CharField(_("numéro de téléphone"), max_length=20, blank=True)
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("initié par"))
    # The cashier's own reference for a counter payment (bank slip number...).
    counter_reference = models.CharField(_("référence du versement"), max_length=60,
                                         blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    settled_at = models.DateTimeField(_("réglé le"), null=True, blank=True)
    failure_reason = models.CharField(_("motif"), max_length=200, blank=True)
    receipt = models.OneToOneField("documents.IssuedDocument", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="payment",
                                   verbose_name=_("reçu"))
    closing = models.ForeignKey("CounterClosing", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="payments",
                                verbose_name=_("clôture de caisse"))

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ("-created_at",)
        constraints = [
            # Whatever races, an invoice is paid once.
            models.UniqueConstraint(fields=("invoice",), condition=models.Q(state="succeeded"),
                                    name="one_successful_payment_per_invoice"),
        ]
        indexes = [
            # The reconciliation's scan: online payments still pending, oldest first.
            models.Index(fields=("created_at",), condition=models.Q(state="pending"),
                         name="payment_pending_since"),
            # A cashier's day.
            models.Index(fields=("initiated_by", "settled_at"),
                         condition=models.Q(channel="counter", state="succeeded"),
                         name="payment_counter_day"),
        ]

    def __str__(self) -> str:
        return self.reference

    @transition(field=state, source=[PaymentState.PENDING, *FINAL_FAILURES],
                target=PaymentState.SUCCEEDED)
    def succeed(self, *, provider_reference: str = "", means: str = "") -> None:
        """Confirmed by the provider; also after we had given it up (a late approval: the
        money was taken)."""
        self.failure_reason = ""
        self.settled_at = timezone.now()
        self.provider_reference = (provider_reference or self.provider_reference)[:80]
        self.method = (means or self.method)[:40]

    @transition(field=state, source=[PaymentState.PENDING, *FINAL_FAILURES],
                target=PaymentState.DUPLICATE)
    def succeed_twice(self, *, provider_reference: str = "", means: str = "") -> None:
        self.settled_at = timezone.now()
        self.provider_reference = (provider_reference or self.provider_reference)[:80]
        self.method = (means or self.method)[:40]

    @transition(field=state, source=PaymentState.PENDING, target=RETURN_VALUE(*FINAL_FAILURES))
    def fail(self, *, state: str, reason: str = "") -> str:
        self.settled_at = timezone.now()
        self.failure_reason = reason[:200]
        return state

    @property
    def is_online(self) -> bool:
        return self.channel != Channel.COUNTER


class ProviderEvent(models.Model):
    """A notification a provider sent us, kept once (a repeat finds its row and stops)."""

    provider = models.CharField(_("prestataire"), max_length=12, choices=Channel.choices)
    event_id = models.CharField(_("identifiant"), max_length=120)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="events", verbose_name=_("paiement"))
    payload = models.JSONField(_("contenu"))
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    outcome = models.CharField(_("suite donnée"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification de prestataire")
        verbose_name_plural = _("notifications de prestataires")
        ordering = ("-received_at",)
        constraints = [
            models.UniqueConstraint(fields=("provider", "event_id"), name="event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class CounterClosing(models.Model):
    """A cashier's day, closed: its payments are counted and can no longer change (the
    report, CSV and PDF, is drawn from them whenever it is asked for)."""

    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("caissier"))
    day = models.DateField(_("journée"))
    total = models.PositiveBigIntegerField(_("total (FCFA)"))
    count = models.PositiveIntegerField(_("nombre de paiements"))
    closed_at = models.DateTimeField(_("clôturée le"), default=timezone.now)

    class Meta:
        verbose_name = _("clôture de caisse")
        verbose_name_plural = _("clôtures de caisse")
        ordering = ("-day",)
        constraints = [
            models.UniqueConstraint(fields=("cashier", "day"), name="one_closing_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.cashier} {self.day}"
