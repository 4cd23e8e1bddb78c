"""Records of the rights people hold over their personal data (law 2019-014): correction
requests, and every look a staff member takes at a person's data or documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("à traiter")
    DONE = "done", _("traitée")
    REFUSED = "refused", _("refusée")


class CorrectionRequest(models.Model):
    """A person asks for their data to be corrected (rectification, art. 53); staff answer
    it from the administration site."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="correction_requests", verbose_name=_("demandeur"),
    )
    filing_reference = models.CharField(_("dossier concerné"), max_length=20, blank=True)
    message = models.TextField(_("correction demandée"))
    status = models.CharField(_("statut"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.OPEN)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("traitée par"),
    )
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    response = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("demande de rectification")
        verbose_name_plural = _("demandes de rectification")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("status", "created_at"))]

    def __str__(self) -> str:
        return f"{self.requester} {self.created_at:%Y-%m-%d}"


class StaffAccess(models.Model):
    """A staff member opened a page showing a person's data or documents (who, when,
    which view, which filing or document): written by StaffAccessLogMiddleware."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("agent"),
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    view_name = models.CharField(_("page"), max_length=100)
    method = models.CharField(_("méthode"), max_length=10)
    path = models.CharField(_("adresse"), max_length=500)
    filing_reference = models.CharField(_("dossier"), max_length=40, blank=True)
    document_id = models.PositiveBigIntegerField(_("pièce"), null=True, blank=True)
    # Whose data it was (the filing's applicant), when the page names a filing.
    data_subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("personne concernée"),
    )
    arguments = models.JSONField(_("paramètres"), default=dict, blank=True)

    class Meta:
        verbose_name = _("accès d'un agent aux données")
        verbose_name_plural = _("accès des agents aux données")
        ordering = ("-at", "-pk")
        indexes = [
            models.Index(fields=("staff", "at")),
            models.Index(fields=("data_subject", "at")),
            models.Index(fields=("filing_reference", "at")),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.view_name} {self.at:%Y-%m-%d %H:%M}"
