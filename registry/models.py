"""The register's domain: filings (applications), their parties, and registered companies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .legal_forms import LegalForm, PersonKind, Role
from .names import normalize


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    PENDING_PAYMENT = "pending_payment", _("en attente de paiement")
    IN_REVIEW = "in_review", _("en cours d'instruction")
    CORRECTION_REQUESTED = "correction_requested", _("correction demandée")
    APPROVED = "approved", _("approuvé, certificat en préparation")
    REGISTERED = "registered", _("immatriculé")
    REJECTED = "rejected", _("rejeté")
    WITHDRAWN = "withdrawn", _("retiré")


EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.CORRECTION_REQUESTED)
OFFICE_ADDRESS_MAX_LENGTH = 300
CITY_MAX_LENGTH = 100


class Application(FSMModelMixin, models.Model):
    """A company-creation filing, as the applicant sees it."""

    reference = models.CharField(_("référence"), max_length=20, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("demandeur"),
    )
    state = FSMField(
        _("état"),
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        protected=True,
    )
    legal_form = models.CharField(
        _("forme juridique"), max_length=8, choices=LegalForm.choices, default=LegalForm.SARL
    )
    # The first of the proposed names, in order of preference, is the one registered.
    company_name = models.CharField(_("dénomination sociale"), max_length=200, blank=True)
    alternative_names = models.JSONField(_("autres dénominations proposées"), default=list,
                                         blank=True)
    # The comparable form of the name (registry.names.normalize), indexed for the name check.
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    trade_name = models.CharField(_("nom commercial"), max_length=200, blank=True)
    activity_code = models.CharField(_("activité principale (CITI Rév.4)"), max_length=4,
                                     blank=True)
    business_purpose = models.TextField(_("objet social"), blank=True)
    capital = models.PositiveBigIntegerField(_("capital social (FCFA)"), null=True, blank=True)
    share_count = models.PositiveIntegerField(_("nombre de parts ou d'actions"), null=True,
                                              blank=True)
    share_nominal = models.PositiveBigIntegerField(_("valeur nominale (FCFA)"), null=True,
                                                   blank=True)
    duration_years = models.PositiveSmallIntegerField(_("durée (années)"), default=99)
    region = models.CharField(_("région"), max_length=40, blank=True)
    prefecture = models.CharField(_("préfecture"), max_length=40, blank=True)
    registered_office = models.CharField(_("siège social (adresse)"),
                                         max_length=OFFICE_ADDRESS_MAX_LENGTH, blank=True)
    city = models.CharField(_("ville"), max_length=CITY_MAX_LENGTH, default="Lomé")
    correction_message = models.TextField(_("correction demandée"), blank=True)
    correction_fields = models.JSONField(_("champs à corriger"), default=list, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    rccm_number = models.CharField(
        _("numéro RCCM"), max_length=40, unique=True, null=True, blank=True
    )
    nif = models.CharField(_("NIF"), max_length=20, blank=True)
    employer_number = models.CharField(_("numéro employeur CNSS"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    backoffice_template = "registry/_application_summary.html"
    # What that template reads: the applicant, and the people (their documents, the facts).
    backoffice_related = ("owner",)
    backoffice_prefetch = ("parties",)

    class Meta:
        verbose_name = _("dossier d'immatriculation")
        verbose_name_plural = _("dossiers d'immatriculation")
        ordering = ("-created_at",)
        # A desk typing a NIF or employer number is refused if another filing in progress
        # holds it (services.registration.identifier_holder): found by index, not by
        # reading every filing of the country.
        indexes = [
            models.Index(fields=["nif"], name="application_nif",
                         condition=~models.Q(nif="")),
            models.Index(fields=["employer_number"], name="application_employer_number",
                         condition=~models.Q(employer_number="")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} - {self.company_name}"

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize(self.company_name)
        if kwargs.get("update_fields") is not None and "company_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalized_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:application", kwargs={"reference": self.reference})

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def correctable_sections(self) -> list[tuple[str, str]]:
        """What a desk may send back for correction: the filing's sections."""
        from .filing import CORRECTABLE_SECTIONS, SECTION_BY_CODE

        return [(code, str(SECTION_BY_CODE[code].title)) for code in CORRECTABLE_SECTIONS]

    def document_lines(self):
        """The documents checklist with what was uploaded for each line (see filing.py)."""
        from .filing import document_lines

        return document_lines(self)

    def may_edit(self, section: str) -> bool:
        """A draft is editable throughout; under correction, only the sections sent back."""
        if self.state == ApplicationState.DRAFT:
            return True
        return (self.state == ApplicationState.CORRECTION_REQUESTED
                and section in self.correction_fields)

    def workflow_facts(self) -> dict:
        """What the procedure's conditions may test (see the definition's 'facts')."""
        return {"legal_form": self.legal_form}

    workflow_summary_related = ("owner",)  # read with the filing (workflows.procedures)

    def workflow_summary(self) -> dict:
        """What a desk's queue shows of the filing and finds it by (workflows.procedures.
        WorkflowSummary): file number, company name, applicant, register numbers."""
        return {
            "reference": self.reference,
            "title": self.company_name,
            "applicant": self.owner.get_full_name() or self.owner.email,
            "identifiers": [value for value in (
                self.rccm_number, self.nif, self.employer_number, self.acronym,
                self.trade_name, self.owner.email) if value],
        }

    @transition(field=state, source=ApplicationState.DRAFT,
                target=ApplicationState.PENDING_PAYMENT)
    def await_payment(self) -> None:
        """Signed: the fee is owed before any desk works the file."""
        self.submitted_at = timezone.now()

    @transition(field=state, source=ApplicationState.PENDING_PAYMENT,
                target=ApplicationState.IN_REVIEW)
    def submit(self) -> None:
        """The fee is paid (or waived): the desks start."""

    @transition(
        field=state,
        source=ApplicationState.IN_REVIEW,
        target=ApplicationState.CORRECTION_REQUESTED,
    )
    def request_correction(self, *, message: str, fields: list[str]) -> None:
        self.correction_message = message
        self.correction_fields = fields

    @transition(
        field=state,
        source=ApplicationState.CORRECTION_REQUESTED,
        target=ApplicationState.IN_REVIEW,
    )
    def resubmit(self) -> None:
        self.correction_message = ""
        self.correction_fields = []

    @transition(field=state, source=ApplicationState.IN_REVIEW, target=ApplicationState.APPROVED)
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state, source=ApplicationState.APPROVED, target=ApplicationState.REGISTERED
    )
    def register(self) -> None:
        """The certificate is issued: the company is on the register."""

    @transition(
        field=state,
        source=[ApplicationState.IN_REVIEW, ApplicationState.CORRECTION_REQUESTED],
        target=ApplicationState.REJECTED,
    )
    def reject(self, *, reason: str) -> None:
        self.decided_at = timezone.now()
        self.decision_reason = reason

    @transition(
        field=state,
        source=[
            ApplicationState.DRAFT,
            ApplicationState.PENDING_PAYMENT,
            ApplicationState.IN_REVIEW,
            ApplicationState.CORRECTION_REQUESTED,
        ],
        target=ApplicationState.WITHDRAWN,
    )
    def withdraw(self) -> None:
        self.decided_at = timezone.now()


class Party(models.Model):
    """A person in the filing, natural or legal, with the roles they hold."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="parties"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=PersonKind.choices,
                            default=PersonKind.NATURAL)
    roles = models.JSONField(_("qualités"), default=list)
    # A natural person.
    first_name = models.CharField(_("prénoms"), max_length=120, blank=True)
    last_name = models.CharField(_("nom"), max_length=120, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    nationality = models.CharField(_("nationalité"), max_length=80, default="Togolaise",
                                   blank=True)
    id_document_number = models.CharField(_("numéro de la pièce d'identité"), max_length=40,
                                          blank=True)
    # A legal person (a company that is a partner).
    legal_name = models.CharField(_("dénomination de la personne morale"), max_length=200,
                                  blank=True)
    registration_number = models.CharField(_("numéro d'immatriculation (RCCM)"),
                                           max_length=60, blank=True)
    representative = models.CharField(_("représentant"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    # As a partner or shareholder.
    shares = models.PositiveIntegerField(_("nombre de parts ou d'actions"), default=0)
    cash_contribution = models.PositiveBigIntegerField(_("apport en numéraire (FCFA)"),
                                                       default=0)
    in_kind_contribution = models.PositiveBigIntegerField(_("apport en nature (FCFA)"),
                                                          default=0)
    in_kind_description = models.CharField(_("description de l'apport en nature"),
                                           max_length=300, blank=True)
    skills_contribution = models.BooleanField(_("apport en industrie"), default=False)
    ownership_percent = models.DecimalField(_("détention (%)"), max_digits=5,
                                            decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("intervenant")
        verbose_name_plural = _("intervenants")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.kind == PersonKind.LEGAL:
            return self.legal_name
        return f"{self.first_name} {self.last_name.upper()}".strip()

    @property
    def is_manager(self) -> bool:
        """Manages or directs the company (gérant, président, directeur, administrateur)."""
        return bool(set(self.roles) & MANAGING_ROLES)

    @property
    def is_member(self) -> bool:
        """Partner or shareholder (or the trader himself, for an EI)."""
        return bool(set(self.roles) & MEMBER_ROLES)

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]


MANAGING_ROLES = frozenset({Role.MANAGER, Role.PRESIDENT, Role.DIRECTOR, Role.ADMINISTRATOR,
                            Role.TRADER})
MEMBER_ROLES = frozenset({Role.PARTNER, Role.GENERAL_PARTNER, Role.LIMITED_PARTNER,
                          Role.TRADER})


class CompanyStatus(models.TextChoices):
    ACTIVE = "active", _("en activité")
    DISSOLVED = "dissolved", _("dissoute, en liquidation")
    STRUCK_OFF = "struck_off", _("radiée")


class Company(models.Model):
    """A company on the register, created by the registrar's approval."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="company"
    )
    name = models.CharField(_("dénomination sociale"), max_length=200)
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    legal_form = models.CharField(_("forme juridique"), max_length=8, choices=LegalForm.choices)
    rccm_number = models.CharField(_("numéro RCCM"), max_length=40, unique=True)
    capital = models.PositiveBigIntegerField(_("capital social (FCFA)"), null=True, blank=True)
    # The filing's address and city, as registration writes them: "address, city".
    registered_office = models.CharField(
        _("siège social"), max_length=OFFICE_ADDRESS_MAX_LENGTH + 2 + CITY_MAX_LENGTH)
    nif = models.CharField(_("NIF"), max_length=20, blank=True)
    employer_number = models.CharField(_("numéro employeur CNSS"), max_length=20, blank=True)
    registered_at = models.DateTimeField(_("immatriculée le"), default=timezone.now)
    # Copied from the filing at registration: what the public register is searched by.
    region = models.CharField(_("région"), max_length=40, blank=True)
    city = models.CharField(_("ville"), max_length=CITY_MAX_LENGTH, blank=True)
    activity_code = models.CharField(_("activité principale (CITI Rév.4)"), max_length=4,
                                     blank=True)
    status = models.CharField(_("situation"), max_length=12, choices=CompanyStatus.choices,
                              default=CompanyStatus.ACTIVE)
    certificate = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="company",
        verbose_name=_("certificat d'immatriculation"),
    )

    class Meta:
        verbose_name = _("entreprise immatriculée")
        verbose_name_plural = _("entreprises immatriculées")
        ordering = ("-registered_at",)
        # One company per identifier; an EI has no employer number, some have no NIF yet.
        constraints = [
            models.UniqueConstraint(fields=("nif",), condition=~models.Q(nif=""),
                                    name="company_unique_nif"),
            models.UniqueConstraint(fields=("employer_number",),
                                    condition=~models.Q(employer_number=""),
                                    name="company_unique_employer_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rccm_number})"

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize(self.name)
        super().save(*args, **kwargs)


class PublicEventKind(models.TextChoices):
    REGISTERED = "registered", _("immatriculation")
    CERTIFICATE_REVOKED = "certificate_revoked", _("révocation du certificat")
    AMENDED = "amended", _("inscription modificative")
    DISSOLVED = "dissolved", _("dissolution")
    STRUCK_OFF = "struck_off", _("radiation")


class PublicEvent(models.Model):
    """An event of a company's life the register publishes (its public history).

    `summary` is public wording written for everyone: never a personal field."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("entreprise"))
    kind = models.CharField(_("nature"), max_length=24, choices=PublicEventKind.choices)
    occurred_at = models.DateTimeField(_("date"), default=timezone.now)
    summary = models.CharField(_("mention publique"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement publié")
        verbose_name_plural = _("événements publiés")
        ordering = ("-occurred_at", "-pk")
        indexes = [models.Index(fields=("company", "-occurred_at"), name="event_company_date")]

    def __str__(self) -> str:
        return f"{self.company} {self.kind} {self.occurred_at:%Y-%m-%d}"


class CompanyChange(models.Model):
    """One value of the register changed by an inscription (amendment, dissolution,
    radiation): the previous value stays beside the new one, dated, with the filing that
    changed it. The register is never overwritten without this trace.

    Values are JSON: text, numbers, or a list of managers ({"name", "roles"})."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="changes",
                                verbose_name=_("entreprise"))
    field = models.CharField(_("mention modifiée"), max_length=40)
    old_value = models.JSONField(_("ancienne valeur"), null=True, blank=True)
    new_value = models.JSONField(_("nouvelle valeur"), null=True, blank=True)
    effective_at = models.DateTimeField(_("en vigueur le"), default=timezone.now)
    # The filing's number (e.g. "MOD-2026-000042"): the register keeps its own trace, so
    # it depends on no app that files changes.
    filing_reference = models.CharField(_("inscription n°"), max_length=20)
    # Its nature in the register's words (e.g. "Transfert du siège social"), for the extract.
    inscription = models.CharField(_("nature de l'inscription"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("modification du registre")
        verbose_name_plural = _("modifications du registre")
        ordering = ("effective_at", "pk")
        indexes = [models.Index(fields=("company", "field", "-effective_at"),
                                name="change_company_field_date")]

    def __str__(self) -> str:
        return f"{self.company} {self.field} {self.effective_at:%Y-%m-%d}"


class NameWord(models.Model):
    """A word of the register's names and how many registered companies' names hold it:
    the vocabulary the name check weighs words by (registry.similarity). Counted by
    migration 0016, then written whole by registry.vocabulary.refresh_vocabulary every
    night (beat) and after a bulk load. Between two counts it lags the register: a word
    registered since does not yet count as somebody's (a letter replaced in it is taken
    for a typo), and a word that became common still counts as rare."""

    word = models.CharField(max_length=200, primary_key=True)  # a normalised name's word
    companies = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.word}: {self.companies}"


class RccmSequence(models.Model):
    """The last RCCM number given per court, year and letter (see identifiers.py)."""

    court = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    letter = models.CharField(max_length=1)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("court", "year", "letter"), name="unique_rccm_seq")
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.year} {self.letter}: {self.last_number}"


class ProhibitedPerson(models.Model):
    """Someone barred from managing a company (court decision), checked at screening."""

    last_name = models.CharField(_("nom"), max_length=120)
    first_name = models.CharField(_("prénoms"), max_length=120, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    id_document_number = models.CharField(
        _("numéro de la pièce d'identité"), max_length=40, blank=True, db_index=True
    )
    decision = models.CharField(_("décision"), max_length=300)
    until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("personne interdite de gérer")
        verbose_name_plural = _("personnes interdites de gérer")
        ordering = ("last_name", "first_name")

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class SignatureChallenge(models.Model):
    """A one-time code sent to the applicant to confirm the declaration (the signature)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="signature_challenges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    code_hash = models.CharField(max_length=128)
    # The filing as it was when the code was sent: signing confirms exactly that.
    snapshot_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de signature")
        verbose_name_plural = _("codes de signature")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.application.reference} {self.created_at:%Y-%m-%d %H:%M}"


class FilingSignature(models.Model):
    """The applicant's electronic signature of a submission (Loi n°2017-07, art. 77)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("signataire"))
    declaration = models.TextField(_("déclaration"))
    signed_at = models.DateTimeField(_("signé le (UTC)"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    snapshot = models.JSONField(_("dossier signé"))
    snapshot_sha256 = models.CharField(_("empreinte SHA-256 du dossier"), max_length=64)

    class Meta:
        verbose_name = _("signature du dossier")
        verbose_name_plural = _("signatures des dossiers")
        ordering = ("-signed_at",)

    def __str__(self) -> str:
        return f"{self.application.reference} {self.signed_at:%Y-%m-%d %H:%M}"
