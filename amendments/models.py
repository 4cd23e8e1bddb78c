"""A registered company's filings after registration: amendments (inscriptions
modificatives), dissolution and radiation; who may file them; their signatures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from workflows.procedures import ApplicantsSubject

from .changes import CHANGE_TYPES


class AmendmentState(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PENDING_PAYMENT = "pending_payment", _("en attente de paiement")
    IN_REVIEW = "in_review", _("en cours d'instruction")
    RETURNED = "returned", _("correction demandée")
    APPROVED = "approved", _("inscrite au registre")
    REJECTED = "rejected", _("rejetée")
    WITHDRAWN = "withdrawn", _("retirée")


# A filing is "in flight" until it is decided: one at a time per company (see services).
OPEN_STATES = (AmendmentState.DRAFT, AmendmentState.PENDING_PAYMENT, AmendmentState.IN_REVIEW,
               AmendmentState.RETURNED)
EDITABLE_STATES = (AmendmentState.DRAFT, AmendmentState.RETURNED)
CORRECTABLE_SECTIONS = {"changes": _("Modifications déclarées"),
                        "documents": _("Pièces justificatives")}


class Amendment(ApplicantsSubject, FSMModelMixin, models.Model):
    """A filing about a registered company: what changes, signed, paid, then instructed by
    the desks of its change type's procedure."""

    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True,
                                 blank=True)
    company = models.ForeignKey("registry.Company", on_delete=models.PROTECT,
                                related_name="amendments", verbose_name=_("entreprise"))
    change_type = models.CharField(_("nature de la modification"), max_length=20,
                                   choices=[(code, change.label)
                                            for code, change in CHANGE_TYPES.items()])
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="amendments", verbose_name=_("déclarant"))
    state = FSMField(_("état"), choices=AmendmentState.choices, default=AmendmentState.DRAFT,
                     protected=True)
    # The register's values when the filing started, and the new ones declared.
    register_before = models.JSONField(_("situation au registre"), default=dict)
    changes = models.JSONField(_("modifications déclarées"), default=dict, blank=True)
    correction_message = models.TextField(_("correction demandée"), blank=True)
    correction_fields = models.JSONField(_("parties à corriger"), default=list, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    extract = models.OneToOneField("documents.IssuedDocument", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="amendment",
                                   verbose_name=_("extrait RCCM à jour"))

    backoffice_template = "amendments/_backoffice.html"

    class Meta:
        verbose_name = _("inscription modificative")
        verbose_name_plural = _("inscriptions modificatives")
        ordering = ("-created_at",)
        constraints = [
            # The rule "one filing in flight per company", kept by the database too.
            models.UniqueConstraint(fields=("company",),
                                    condition=models.Q(state__in=OPEN_STATES),
                                    name="one_open_amendment_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} - {self.get_change_type_display()}"

    def get_absolute_url(self) -> str:
        return reverse("amendments:detail", kwargs={"reference": self.reference})

    @property
    def kind(self):
        return CHANGE_TYPES[self.change_type]

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def may_edit(self, section: str) -> bool:
        if self.state == AmendmentState.DRAFT:
            return True
        return self.state == AmendmentState.RETURNED and section in self.correction_fields

    def acts_for_applicant(self, user) -> bool:
        """The company's owner and the accounts it authorised never decide on its filings
        (workflows.procedures.ApplicantsSubject), whoever of them signed."""
        from .access import may_file_for

        return may_file_for(user, self.company)

    def change_rows(self) -> list[dict]:
        """What is declared, beside what the register said when the filing started."""
        from registry.register import FIELD_LABELS, describe

        rows = []
        for field, new in self.changes.items():
            old = self.register_before.get(field)
            label = FIELD_LABELS.get(field, field)
            rows.append({"field": label, "old": describe(field, old),
                         "new": describe(field, new)})
        return rows

    def document_lines(self) -> list[tuple]:
        """(requirement, its current document or None): what the desks check."""
        from .services import document_lines

        return document_lines(self)

    # --- what the engine reads (workflows.procedures.WorkflowSubject) ---------------------

    def workflow_facts(self) -> dict:
        return {"legal_form": self.company.legal_form}

    def correctable_sections(self) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in CORRECTABLE_SECTIONS.items()]

    workflow_summary_related = ("company", "filer")  # read with the filing (workflows)

    def workflow_summary(self) -> dict:
        return {
            "reference": self.reference or "",
            "title": f"{self.company.name} : {self.get_change_type_display()}",
            "applicant": self.filer.get_full_name() or self.filer.email,
            "identifiers": [value for value in (self.company.rccm_number, self.company.nif,
                                                self.filer.email) if value],
        }

    # --- transitions ------------------------------------------------------------------------

    @transition(field=state, source=AmendmentState.DRAFT, target=AmendmentState.PENDING_PAYMENT)
    def await_payment(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=state, source=AmendmentState.PENDING_PAYMENT,
                target=AmendmentState.IN_REVIEW)
    def submit(self) -> None:
        """The fee is settled: the desks start."""

    @transition(field=state, source=AmendmentState.IN_REVIEW, target=AmendmentState.RETURNED)
    def request_correction(self, *, message: str, fields: list[str]) -> None:
        self.correction_message = message
        self.correction_fields = fields

    @transition(field=state, source=AmendmentState.RETURNED, target=AmendmentState.IN_REVIEW)
    def resubmit(self) -> None:
        self.correction_message = ""
        self.correction_fields = []

    @transition(field=state, source=AmendmentState.IN_REVIEW, target=AmendmentState.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(field=state, source=[AmendmentState.IN_REVIEW, AmendmentState.RETURNED],
                target=AmendmentState.REJECTED)
    def reject(self, *, reason: str) -> None:
        self.decided_at = timezone.now()
        self.decision_reason = reason

    @transition(field=state, source=list(OPEN_STATES), target=AmendmentState.WITHDRAWN)
    def withdraw(self) -> None:
        self.decided_at = timezone.now()


class AmendmentSignature(models.Model):
    """A one-time code sent to the filer (a challenge) and, once confirmed, the signature
    of the declaration over the filing exactly as it was (Loi n°2017-07, art. 77)."""

    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT,
                                  related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("signataire"))
    code_hash = models.CharField(max_length=128)
    snapshot_sha256 = models.CharField(_("empreinte SHA-256 du dossier"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signé le (UTC)"), null=True, blank=True)
    declaration = models.TextField(_("déclaration"), blank=True)
    snapshot = models.JSONField(_("dossier signé"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature d'une inscription modificative")
        verbose_name_plural = _("signatures des inscriptions modificatives")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.amendment.reference} {self.created_at:%Y-%m-%d %H:%M}"


class AuthorisedFiler(models.Model):
    """A user the company's owner allows to file for the company (a manager, an agent)."""

    company = models.ForeignKey("registry.Company", on_delete=models.CASCADE,
                                related_name="authorised_filers",
                                verbose_name=_("entreprise"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="filing_mandates", verbose_name=_("mandataire"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("autorisé par"))
    granted_at = models.DateTimeField(_("autorisé le"), default=timezone.now)

    class Meta:
        verbose_name = _("mandataire autorisé")
        verbose_name_plural = _("mandataires autorisés")
        constraints = [models.UniqueConstraint(fields=("company", "user"),
                                               name="one_mandate_per_user_and_company")]

    def __str__(self) -> str:
        return f"{self.user} → {self.company}"
