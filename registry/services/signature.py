"""The signature is the submission: a one-time code sent to the applicant confirms the
declaration (law 2017-07 on electronic transactions) over a frozen snapshot of the filing."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from workflows import audit

from .. import filing
from ..models import Application, ApplicationState, FilingSignature, SignatureChallenge
from .common import FilingError, locked, locked_with_case
from .submission import application_submit

SIGNATURE_CODE_TTL = timedelta(minutes=10)
SIGNATURE_MAX_ATTEMPTS = 5
SIGNATURE_CODE_INTERVAL = timedelta(seconds=60)  # between two codes for one filing
SIGNATURE_CODES_PER_DAY = 10


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
    application = locked(application_id)
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
    # The code goes out like every message, through notifications, sealed: the in-app copy
    # and the queued messages never hold it in clear.
    notify(event="signature_code", user=user, about=f"registry.signature:{challenge.pk}",
           link=application.get_absolute_url(),
           context={"reference": application.reference}, secrets={"code": code})
    audit.record(obj=application, action="signature_code_sent", from_state=application.state,
                 to_state=application.state, actor=user)
    return challenge


def check_code(challenge, code: str) -> str | None:
    """Check a one-time signature code against its challenge (a filing's or an
    amendment's: code_hash, expires_at, attempts, used_at); the refusal in words, or None
    when the code is right. An expired code, or the last wrong attempt, ends the challenge;
    every attempt is saved, for the caller to commit before it refuses."""
    if challenge.expires_at < timezone.now():
        challenge.used_at = timezone.now()
        challenge.save(update_fields=["used_at"])
        return _("Ce code a expiré : demandez un nouveau code.")
    if not check_password("".join(code.split()), challenge.code_hash):
        challenge.attempts += 1
        if challenge.attempts >= SIGNATURE_MAX_ATTEMPTS:
            challenge.used_at = timezone.now()
        challenge.save(update_fields=["attempts", "used_at"])
        return (_("Code incorrect : demandez un nouveau code.") if challenge.used_at
                else _("Code incorrect : vérifiez-le et réessayez."))
    return None


def confirm_signature(*, application_id: int, user, code: str,
                      ip_address: str | None) -> FilingSignature:
    """Check the code; on success record the signature and submit the filing."""
    with audit.atomic():
        application = locked(application_id)
        challenge = (application.signature_challenges.select_for_update()
                     .filter(user=user, used_at__isnull=True).first())
        if challenge is None:
            raise FilingError(_("Aucun code en attente : demandez un nouveau code."))
        failure = check_code(challenge, code)
    if failure:  # the attempt is recorded (committed) before the refusal
        raise FilingError(failure)
    with audit.atomic():
        application = locked_with_case(application_id)
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
