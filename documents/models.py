from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import codes
from .layout import format_fcfa
from .storage import sealed_storage

# Law 2017-07, art. 72: electronic documents are kept 20 years, provably unaltered.
RETENTION_YEARS = 20


class RetentionError(Exception):
    """A kept file or issued document may not be deleted or rewritten."""


def _upload_path(instance: StoredFile, filename: str) -> str:
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex}/{filename}"


def retention_end(created_at):
    try:
        return created_at.replace(year=created_at.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return created_at.replace(year=created_at.year + RETENTION_YEARS, day=28)


class StoredFile(models.Model):
    """A file kept for the legal retention period: written once, never overwritten.

    The SHA-256 and size are taken from the bytes when stored, so integrity can be proven.
    Only the retention command may erase the bytes, after 20 years; the row stays, with
    its fingerprint and the erasure recorded.
    """

    # Opened through SealedStorage: encrypted uploads are read in clear (see storage.py).
    file = models.FileField(_("fichier"), upload_to=_upload_path, max_length=300,
                            storage=sealed_storage)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)
    erasure_reason = models.TextField(_("motif de l'effacement"), blank=True)

    # The only columns that change after the file is written: the retention erasure.
    MUTABLE_FIELDS = frozenset({"erased_at", "erasure_reason"})
    # An erasure of personal data (law 2019-014) also takes the name, which may hold one.
    ERASURE_FIELDS = MUTABLE_FIELDS | {"original_name", "file"}
    ERASED_NAME = "document-efface"

    class Meta:
        verbose_name = _("fichier conservé")
        verbose_name_plural = _("fichiers conservés")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        allowed = self.ERASURE_FIELDS if self.erased_at is not None else self.MUTABLE_FIELDS
        if not self._state.adding and (
            update_fields is None or not set(update_fields) <= allowed
        ):
            raise RetentionError("A stored file is written once and never rewritten.")
        super().save(*args, **kwargs)

    @property
    def retained_until(self):
        return retention_end(self.created_at)


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificat d'immatriculation")
    RCCM_EXTRACT = "rccm_extract", _("extrait du registre du commerce (RCCM)")
    RECEIPT = "receipt", _("reçu de paiement")


# What the public verification page shows, in this order: nothing else ever leaves.
PUBLIC_FACT_LABELS = {
    "company_name": _("Dénomination sociale"),
    "legal_form": _("Forme juridique"),
    "rccm_number": _("Numéro RCCM"),
    "registered_office": _("Siège social"),
    "registered_on": _("Date d'immatriculation"),
    "managers": _("Dirigeant(s)"),
    "as_of": _("Situation au"),
    "status": _("Situation de l'entreprise"),
    # Payment receipts (with company_name above).
    "invoice_number": _("Facture n°"),
    "reference": _("Référence du dossier"),
    "amount": _("Montant payé"),
    "paid_on": _("Payé le"),
}
_DATE_FACTS = {"registered_on", "as_of", "paid_on"}
_AMOUNT_FACTS = {"amount"}


class IssuedDocument(models.Model):
    """A sealed document the registry issued, verifiable by anyone with its code."""

    kind = models.CharField(_("type de document"), max_length=20, choices=DocumentKind.choices)
    verification_code = models.CharField(_("code de vérification"), max_length=12, unique=True)
    stored_file = models.OneToOneField(
        StoredFile,
        on_delete=models.PROTECT,
        related_name="issued_document",
        verbose_name=_("fichier PDF"),
    )
    sealed = models.BooleanField(_("scellé électroniquement"), default=True)
    public_facts = models.JSONField(_("informations publiques"), default=dict)
    issued_at = models.DateTimeField(_("émis le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True)
    # What the public verification says of the revocation; the reason above stays internal.
    public_reason = models.TextField(_("mention publique de la révocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révoqué par"),
    )

    class Meta:
        verbose_name = _("document émis")
        verbose_name_plural = _("documents émis")
        ordering = ("-issued_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revocation_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revocation_reason="")),
                name="revocation_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grouped_code}"

    def get_absolute_url(self) -> str:
        return reverse("documents:verify_code", kwargs={"code": self.grouped_code})

    @property
    def grouped_code(self) -> str:
        return codes.grouped(self.verification_code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def public_fact_rows(self) -> list[tuple[str, str]]:
        """(label, text) pairs of the public facts, whitelisted and formatted in French."""
        rows = []
        for key, label in PUBLIC_FACT_LABELS.items():
            value = self.public_facts.get(key)
            if value in (None, "", []):  # an amount of 0 is still shown
                continue
            if key in _DATE_FACTS:
                value = formats.date_format(date.fromisoformat(value), "j F Y")
            elif key in _AMOUNT_FACTS:
                value = format_fcfa(int(value))
            elif isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            rows.append((label, str(value)))
        return rows


# "statuts", "piece_identite:42": a slug, optionally qualified by what it concerns.
validate_requirement = RegexValidator(
    r"\A[a-z0-9][a-z0-9_-]*(:[A-Za-z0-9_-]+)?\Z",
    _("Identifiant de pièce invalide : lettres minuscules, chiffres, « _ » ou « - », "
      "éventuellement suivis de « : » et d'un identifiant."),
)


class SupportingDocument(models.Model):
    """One version of a file an applicant supplied for a requirement of a subject (a filing).

    A replacement is a new version: the earlier one stays, no longer current, linked by
    `replaces`, and its bytes are kept like every stored file. The database allows only
    one current version per subject and requirement.
    """

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type de dossier")
    )
    subject_id = models.PositiveBigIntegerField(_("identifiant du dossier"))
    subject = GenericForeignKey("subject_type", "subject_id")
    requirement = models.CharField(_("pièce demandée"), max_length=100,
                                   validators=[validate_requirement])
    stored_file = models.OneToOneField(
        StoredFile,
        on_delete=models.PROTECT,
        related_name="supporting_document",
        verbose_name=_("fichier"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
        verbose_name=_("remplace"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    is_current = models.BooleanField(_("version en vigueur"), default=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ("requirement", "version")
        constraints = [
            models.UniqueConstraint(
                fields=("subject_type", "subject_id", "requirement"),
                condition=models.Q(is_current=True),
                name="one_current_supporting_document",
            ),
            models.UniqueConstraint(
                fields=("subject_type", "subject_id", "requirement", "version"),
                name="unique_supporting_document_version",
            ),
            models.CheckConstraint(
                condition=models.Q(version=1, replaces__isnull=True)
                | models.Q(version__gt=1, replaces__isnull=False),
                name="supporting_document_replaces_previous_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version}"
