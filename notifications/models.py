"""Messages to users: one Notification per event and person (the in-app list), and one
Delivery per channel it goes out on (e-mail, SMS), recorded so nothing is sent twice or
lost silently."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("destinataire"),
    )
    event = models.CharField(_("événement"), max_length=60)
    # The occurrence it reports (e.g. "registry.application:5"): one notification each.
    about = models.CharField(_("objet"), max_length=160)
    language = models.CharField(_("langue"), max_length=8)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # A document the e-mail carries (a payment's receipt); the in-app copy links to it.
    attachment = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("pièce jointe"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=("recipient", "read_at"))]
        constraints = [
            models.UniqueConstraint(fields=("recipient", "event", "about"),
                                    name="one_notification_per_occurrence")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient}"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("adresse"), max_length=254)
    template = models.CharField(_("modèle"), max_length=120)
    subject = models.CharField(_("objet envoyé"), max_length=200, blank=True)
    text = models.TextField(_("texte envoyé"))
    status = models.CharField(_("statut"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    provider_reference = models.CharField(_("référence du fournisseur"), max_length=120,
                                          blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # Secrets the text holds as markers (a one-time code), encrypted; erased once done.
    sealed_secrets = models.TextField(_("secrets chiffrés"), blank=True, editable=False)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(fields=("notification", "channel"),
                                    name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address} ({self.status})"
