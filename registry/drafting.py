"""Writes while the applicant prepares a filing: sections, people, documents, signature.

Every function checks that the filing may still be changed there (a draft; under a
correction request, only the sections sent back), saves as it goes, and leaves the
filing intact on bad input. The signature is the submission: a one-time code sent to
the applicant confirms the declaration over a frozen snapshot of the filing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.uploads import UploadRejected, attach
from workflows import audit

from . import filing
from .legal_forms import LegalForm
from .models import Application, ApplicationState, FilingSignature, Party, SignatureChallenge
from .services import FilingError, _locked, _locked_with_case, application_submit

SECTION_FIELDS = {
    "names": ("company_name", "alternative_names", "acronym", "trade_name"),
    "form": ("legal_form",),
    "activity": ("activity_code", "business_purpose"),
    "office": ("region", "prefecture", "city", "registered_office"),
    "capital": ("capital", "share_count", "share_nominal", "duration_years"),
}
PARTY_FIELDS = (
    "kind", "roles", "first_name", "last_name", "birth_date", "birth_place", "nationality",
    "id_document_number", "legal_name", "registration_number", "representative", "address",
    "shares", "cash_contribution", "in_kind_contribution", "in_kind_description",
    "skills_contribution", "ownership_percent",
)
SIGNATURE_CODE_TTL = timedelta(minutes=10)
SIGNATURE_MAX_ATTEMPTS = 5
SIGNATURE_CODE_INTERVAL = timedelta(seconds=60)  # between two codes for one filing
SIGNATURE_CODES_PER_DAY = 10


def _editable(application: Application, section: str) -> None:
    if not application.may_edit(section):
        raise FilingError(_("Cette partie du dossier ne peut plus être modifiée."))


def _changed(application: Application, user, section: str) -> None:
    # A code sent for the filing as it was can no longer sign it.
    application.signature_challenges.filter(used_at__isnull=True).update(
        used_at=timezone.now())
    audit.record(obj=application, action=f"edit:{section}", from_state=application.state,
                 to_state=application.state, actor=user)


@audit.atomic
def start_application(*, owner, legal_form: str = LegalForm.SARL) -> Application:
    """A new, empty draft: the applicant fills it in section by section."""
    application = Application.objects.create(owner=owner, reference="", legal_form=legal_form)
    application.reference = f"CFE-{timezone.localdate().year}-{application.pk:06d}"
    application.save(update_fields=["reference"])
    audit.record(obj=application, action="create", to_state=application.state, actor=owner)
    return application


@audit.atomic
def save_section(*, application_id: int, user, section: str, data: dict) -> Application:
    """Save one section's fields (already validated by its form)."""
    application = _locked(application_id)
    _editable(application, section)
    for name in SECTION_FIELDS[section]:
        if name in data:
            setattr(application, name, data[name])
    if section == "form" and not filing.has_capital(application):
        application.capital = application.share_count = application.share_nominal = None
    application.save()
    _changed(application, user, section)
    return application


@audit.atomic
def save_party(*, application_id: int, user, data: dict, party_id: int | None = None) -> Party:
    application = _locked(application_id)
    _editable(application, "people")
    party = (application.parties.get(pk=party_id) if party_id is not None
             else Party(application=application))
    for name in PARTY_FIELDS:
        if name in data:
            setattr(party, name, data[name])
    party.save()
    _changed(application, user, "people")
    return party


@audit.atomic
def remove_party(*, application_id: int, user, party_id: int) -> None:
    application = _locked(application_id)
    _editable(application, "people")
    application.parties.filter(pk=party_id).delete()
    _changed(application, user, "people")


def attach_document(*, application_id: int, user, requirement: str, uploaded_file):
    """Keep a supporting document for one line of the checklist (a new version if any)."""
    with transaction.atomic():
        application = _locked(application_id)
        _editable(application, "documents")
        codes = {line.requirement.code for line in filing.document_lines(application)}
        if requirement not in codes:
            raise FilingError(_("Cette pièce n'est pas demandée pour ce dossier."))
        try:
            document = attach(subject=application, requirement=requirement,
                              uploaded_file=uploaded_file, user=user)
        except UploadRejected as rejected:
            raise FilingError(rejected.message) from rejected
        _changed(application, user, "documents")
    return document


def declaration_text(application: Application, user) -> str:
    """What the applicant declares and signs, in the language of the page they sign on."""
    return _(
        "Je soussigné(e) %(name)s déclare sur l'honneur que les informations et les pièces "
        "du dossier %(reference)s (« %(company)s », %(form)s) sont exactes et complètes, et "
        "demande l'immatriculation de l'entreprise au Registre du commerce et du crédit "
        "mobilier. Je reconnais que la confirmation par le code à usage unique qui m'est "
        "adressé vaut signature électronique de ma part, au sens de la loi n°2017-07 du "
        "22 juin 2017 relative aux transactions électroniques."
    ) % {"name": user.get_full_name() or user.email, "reference": application.reference,
         "company": application.company_name, "form": application.get_legal_form_display()}


def _ready_to_sign(application: Application) -> None:
    if application.state not in (ApplicationState.DRAFT, ApplicationState.CORRECTION_REQUESTED):
        raise FilingError(_("Ce dossier a déjà été soumis."))
    parties = list(application.parties.all())
    if filing.problems(application, parties):
        raise FilingError(_("Le dossier est incomplet : corrigez les points signalés avant "
                            "de le signer."))
    if filing.missing_documents(filing.document_lines(application, parties)):
        raise FilingError(_("Des pièces justificatives manquent : ajoutez-les avant de "
                            "signer."))


@audit.atomic
def request_signature_code(*, application_id: int, user) -> SignatureChallenge:
    """Send a one-time code to the applicant; it confirms the declaration over the filing
    exactly as it is now."""
    application = _locked(application_id)
    _ready_to_sign(application)
    now = timezone.now()
    recent = application.signature_challenges.filter(created_at__gt=now - timedelta(days=1))
    last_signature = application.signatures.order_by("-signed_at").first()
    since = now - SIGNATURE_CODE_INTERVAL
    if last_signature and last_signature.signed_at > since:
        since = last_signature.signed_at  # a new round of signing starts afresh
    if recent.filter(created_at__gt=since, used_at__isnull=True).exists():
        raise FilingError(_("Un code vient de vous être envoyé : attendez une minute avant "
                            "d'en demander un autre."))
    if recent.count() >= SIGNATURE_CODES_PER_DAY:
        raise FilingError(_("Trop de codes demandés aujourd'hui pour ce dossier : réessayez "
                            "demain ou présentez-vous au guichet."))
    code = f"{secrets.randbelow(10**6):06d}"
    application.signature_challenges.filter(used_at__isnull=True).update(used_at=now)
    challenge = SignatureChallenge.objects.create(
        application=application, user=user, code_hash=make_password(code),
        snapshot_sha256=filing.snapshot_sha256(filing.snapshot(application)),
        expires_at=now + SIGNATURE_CODE_TTL,
    )
    from .tasks import send_signature_code

    transaction.on_commit(lambda: send_signature_code.delay(challenge.pk, code))
    audit.record(obj=application, action="signature_code_sent", from_state=application.state,
                 to_state=application.state, actor=user)
    return challenge


def confirm_signature(*, application_id: int, user, code: str,
                      ip_address: str | None) -> FilingSignature:
    """Check the code; on success record the signature and submit the filing."""
    with audit.atomic():
        application = _locked(application_id)
        challenge = (application.signature_challenges.select_for_update()
                     .filter(user=user, used_at__isnull=True).first())
        if challenge is None:
            raise FilingError(_("Aucun code en attente : demandez un nouveau code."))
        if challenge.expires_at < timezone.now():
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
            failure = _("Ce code a expiré : demandez un nouveau code.")
        elif not check_password("".join(code.split()), challenge.code_hash):
            challenge.attempts += 1
            if challenge.attempts >= SIGNATURE_MAX_ATTEMPTS:
                challenge.used_at = timezone.now()
            challenge.save(update_fields=["attempts", "used_at"])
            failure = (_("Code incorrect : demandez un nouveau code.")
                       if challenge.used_at else _("Code incorrect : vérifiez-le et "
                                                   "réessayez."))
        else:
            failure = None
    if failure:  # the attempt is recorded (committed) before the refusal
        raise FilingError(failure)
    with audit.atomic():
        application = _locked_with_case(application_id)
        challenge = SignatureChallenge.objects.select_for_update().get(pk=challenge.pk)
        data = filing.snapshot(application)
        digest = filing.snapshot_sha256(data)
        if challenge.used_at or digest != challenge.snapshot_sha256:
            raise FilingError(_("Le dossier a changé depuis l'envoi du code : demandez un "
                                "nouveau code."))
        _ready_to_sign(application)
        challenge.used_at = timezone.now()
        challenge.save(update_fields=["used_at"])
        signature = FilingSignature.objects.create(
            application=application, signer=user,
            declaration=declaration_text(application, user),
            ip_address=ip_address, snapshot=data, snapshot_sha256=digest,
        )
        audit.record(obj=application, action="sign", from_state=application.state,
                     to_state=application.state, actor=user, comment=digest)
        application_submit(application_id=application.pk, user=user)
    return signature


def send_signature_code(*, challenge_id: int, code: str) -> None:
    """E-mail the code (and SMS it when the applicant gave a number); not stored anywhere."""
    from django.core.mail import send_mail
    from django.utils import translation

    from notifications.sms import get_backend

    challenge = SignatureChallenge.objects.select_related("application", "user").get(
        pk=challenge_id)
    user = challenge.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Votre code de signature : %(code)s") % {"code": code}
        body = _(
            "Votre code de signature du dossier %(reference)s est %(code)s. Il est valable "
            "10 minutes. Saisissez-le pour confirmer votre déclaration ; ne le communiquez "
            "à personne."
        ) % {"reference": challenge.application.reference, "code": code}
    send_mail(subject, body, None, [user.email])
    if user.phone:
        get_backend().send(to=user.phone, text=body, reference=f"signature-{challenge.pk}")
