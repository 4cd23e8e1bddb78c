"""Partners of the register (tax office, social security, banks...), their API tokens, the
log of their calls, and the notifications (webhooks) the register sends them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    TAX_OFFICE = "tax_office", _("administration fiscale")
    SOCIAL_SECURITY = "social_security", _("sécurité sociale (CNSS)")
    BANK = "bank", _("banque")
    OTHER = "other", _("autre")


class Scope(models.TextChoices):
    """What a token may do; each API view names the scope it needs."""

    COMPANIES_READ = "companies:read", _("lire le registre des entreprises")
    REGISTRATIONS_READ = "registrations:read", _("suivre les nouvelles immatriculations")
    DESK_ACT = "desk:act", _("traiter les tâches de son guichet")


class Partner(models.Model):
    """An organisation that calls the API. One acting for a desk (the tax office for
    "impots") does so through its service account, a member of that desk, so the engine's
    membership checks and audit trail treat it as any desk member."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=20, choices=PartnerKind.choices,
                            default=PartnerKind.OTHER)
    desk = models.ForeignKey(
        "workflows.Desk", on_delete=models.PROTECT, null=True, blank=True,
        related_name="partners", verbose_name=_("guichet représenté"),
        help_text=_("Le guichet dont ce partenaire traite les tâches par l'API (facultatif)."),
    )
    active = models.BooleanField(_("actif"), default=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="api_partner", verbose_name=_("compte de service"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class PartnerToken(models.Model):
    """An API key: `<prefix>.<secret>`. Only the secret's SHA-256 is stored; the secret is
    shown once, when the token is created."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens",
                                verbose_name=_("partenaire"))
    label = models.CharField(_("libellé"), max_length=100, blank=True)
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("empreinte SHA-256 du secret"), max_length=64,
                                   editable=False)
    scopes = models.JSONField(_("droits"), default=list)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True,
                                        editable=False)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.partner} · {self.prefix}"

    def set_new_secret(self) -> str:
        """Give the token a fresh prefix and secret; the full key, to show once."""
        self.prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        self.secret_hash = _hash_secret(secret)
        return f"{self.prefix}.{secret}"

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, _hash_secret(secret))

    def refusal(self, now=None) -> str:
        """Why the token may not be used now ("" when it may)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return str(_("Ce jeton a été révoqué."))
        if self.expires_at is not None and self.expires_at <= now:
            return str(_("Ce jeton a expiré."))
        if not self.partner.active:
            return str(_("Ce partenaire est désactivé."))
        return ""

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiCall(models.Model):
    """One call to the API, answered or refused (401, 403, 429 included)."""

    token = models.ForeignKey(PartnerToken, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="calls", verbose_name=_("jeton"))
    method = models.CharField(_("méthode"), max_length=10)
    path = models.CharField(_("chemin"), max_length=300)
    status = models.PositiveSmallIntegerField(_("statut HTTP"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"))
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("appel à l'API")
        verbose_name_plural = _("journal des appels à l'API")
        ordering = ("-at",)
        indexes = [
            models.Index(fields=("at",), name="apicall_at"),
            models.Index(fields=("token", "at"), name="apicall_token_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class WebhookEvent(models.TextChoices):
    COMPANY_REGISTERED = "company.registered", _("entreprise immatriculée")


def _webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """Where the register notifies a partner of events, signed with `secret`."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE,
                                related_name="subscriptions", verbose_name=_("partenaire"))
    url = models.URLField(_("adresse de réception"), max_length=500)
    secret = models.CharField(
        _("secret de signature"), max_length=100, default=_webhook_secret,
        help_text=_("Transmis au partenaire : il vérifie l'en-tête X-Guichet-Signature."))
    events = models.JSONField(_("événements"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("abonnement aux notifications")
        verbose_name_plural = _("abonnements aux notifications")
        ordering = ("partner", "url")

    def __str__(self) -> str:
        return f"{self.partner} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("en cours")
    SENT = "sent", _("envoyée")
    FAILED = "failed", _("en échec")


class WebhookDelivery(models.Model):
    """One notification to one subscription; retried until sent or given up on."""

    event_id = models.UUIDField(_("identifiant de l'événement"), default=uuid.uuid4,
                                unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries",
                                     verbose_name=_("abonnement"))
    event = models.CharField(_("événement"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("contenu"))
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    status = models.CharField(_("état"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification envoyée")
        verbose_name_plural = _("notifications envoyées")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("status", "created_at"), name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url} ({self.get_status_display()})"
