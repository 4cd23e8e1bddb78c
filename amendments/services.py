"""The writes of a filing after registration: start, declare, attach, sign, pay, and what
the desks' decisions do to it; the registrar's approval applies it to the register.

Lock order, as everywhere: the invoice, then the case, then the filing, then the company.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from documents.models import SupportingDocument
from documents.uploads import UploadRejected, discard_upload, keep_upload, prepare_upload
from notifications.services import notify
from outbox import services as outbox
from payments import services as payments
from registry.models import Company, CompanyChange, CompanyStatus, PublicEvent, PublicEventKind
from registry.names import normalize
from registry.services import revoke_certificate
from registry.services.registration import revocation_reason_text
from registry.services.signature import (
    SIGNATURE_CODE_INTERVAL,
    SIGNATURE_CODE_TTL,
    check_code,
)
from workflows import audit
from workflows import selectors as engine_selectors
from workflows import services as engine

from . import access
from .changes import CHANGE_TYPES, ChangeKind
from .models import OPEN_STATES, Amendment, AmendmentSignature, AmendmentState
from .register import register_values


class AmendmentError(Exception):
    """A request the filing's state (or the company's) does not allow; the message is for
    the user."""


# --- helpers ------------------------------------------------------------------------------


_transition = audit.transition  # the filing's, saved and audited


def _locked(amendment_id: int) -> Amendment:
    return (Amendment.objects.select_for_update(of=("self",), no_key=True)
            .select_related("company").get(pk=amendment_id))


def _locked_with_case(amendment_id: int) -> Amendment:
    """The case first, then the filing: the order the desks' decisions take."""
    engine.lock_case_of(ContentType.objects.get_for_model(Amendment), amendment_id)
    return _locked(amendment_id)


def _tell_filer(amendment: Amendment, event: str, *, occurrence: str = "", **context) -> None:
    notify(event=event, user=amendment.filer,
           about=f"amendments.amendment:{amendment.pk}:{occurrence or event}",
           link=amendment.get_absolute_url(),
           context={"reference": amendment.reference, "company_name": amendment.company.name,
                    **context})


def in_flight(company: Company) -> Amendment | None:
    """The company's filing not yet decided, if any (there is at most one)."""
    return company.amendments.filter(state__in=OPEN_STATES).first()


def in_flight_message(amendment: Amendment) -> str:
    return _("Une demande est déjà en cours pour cette entreprise (%(reference)s, "
             "%(kind)s) : une seule demande à la fois. Attendez sa décision ou retirez-la "
             "avant d'en commencer une autre.") % {
        "reference": amendment.reference, "kind": amendment.get_change_type_display()}


# --- the filer's side ---------------------------------------------------------------------


@audit.atomic
def start_amendment(*, company_id: int, user, change_type: str) -> Amendment:
    """Open a filing of one change for the company, pre-filled from the register.

    Refused (AmendmentError, in French) when the user may not file for the company, when
    the change does not apply to it now, or when another filing of the company is in
    flight: one at a time, so each is decided on the register as it then stands.
    """
    company = Company.objects.select_for_update().select_related("application").get(
        pk=company_id)
    if not access.may_file_for(user, company):
        raise AmendmentError(_("Vous n'êtes pas autorisé à déposer une demande pour cette "
                               "entreprise."))
    if change_type not in CHANGE_TYPES:
        raise AmendmentError(_("Choisissez la modification à déclarer."))
    refusal = CHANGE_TYPES[change_type].refusal(company)
    if refusal:
        raise AmendmentError(refusal)
    current = in_flight(company)
    if current is not None:
        raise AmendmentError(in_flight_message(current))
    try:
        with transaction.atomic():
            amendment = Amendment.objects.create(
                company=company, change_type=change_type, filer=user,
                register_before=register_values(company))
    except IntegrityError:  # the database's rule: a concurrent start won
        raise AmendmentError(in_flight_message(in_flight(company))) from None
    amendment.reference = f"MOD-{amendment.created_at:%Y}-{amendment.pk:06d}"
    amendment.save(update_fields=["reference"])
    audit.record(obj=amendment, action="create", to_state=amendment.state, actor=user,
                 comment=change_type)
    return amendment


@audit.atomic
def save_changes(*, amendment_id: int, user, changes: dict) -> Amendment:
    """Record what changes (the form validated it)."""
    amendment = _locked(amendment_id)
    if not amendment.may_edit("changes"):
        raise AmendmentError(_("Cette partie de la demande ne peut plus être modifiée."))
    amendment.changes = changes
    amendment.save(update_fields=["changes"])
    audit.record(obj=amendment, action="save_changes", from_state=amendment.state,
                 to_state=amendment.state, actor=user)
    return amendment


def required_documents(amendment: Amendment):
    return amendment.kind.documents(legal_form=amendment.company.legal_form,
                                    changes=amendment.changes,
                                    register=amendment.register_before)


def current_documents(amendment: Amendment) -> dict[str, SupportingDocument]:
    documents = SupportingDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Amendment), subject_id=amendment.pk,
        is_current=True).select_related("stored_file")
    return {document.requirement: document for document in documents}


def document_lines(amendment: Amendment) -> list[tuple]:
    """(requirement, its current document or None) for every document the change needs."""
    kept = current_documents(amendment)
    return [(requirement, kept.get(requirement.code))
            for requirement in required_documents(amendment)]


def problems(amendment: Amendment) -> list[str]:
    """What keeps the filing from being signed, in words for the filer."""
    found = []
    if not amendment.changes:
        found.append(_("Déclarez la modification."))
    if any(document is None for _requirement, document in document_lines(amendment)):
        found.append(_("Des pièces justificatives manquent."))
    return found


def attach_document(*, amendment_id: int, user, requirement: str, uploaded_file):
    """Keep an uploaded document for one of the filing's requirements. The file is
    checked and written before any lock, and removed if anything fails after."""
    def may_attach(amendment: Amendment) -> None:
        if not amendment.may_edit("documents"):
            raise AmendmentError(_("Les pièces de cette demande ne peuvent plus être "
                                   "modifiées."))
        if requirement not in {item.code for item in required_documents(amendment)}:
            raise AmendmentError(_("Cette pièce n'est pas demandée pour cette modification."))

    may_attach(Amendment.objects.select_related("company").get(pk=amendment_id))
    try:
        prepared = prepare_upload(uploaded_file)
    except UploadRejected as rejected:
        raise AmendmentError(rejected.message) from rejected
    try:
        with audit.atomic():
            amendment = _locked(amendment_id)
            may_attach(amendment)
            document = keep_upload(subject=amendment, requirement=requirement,
                                   prepared=prepared, user=user)
            audit.record(obj=amendment, action="attach", from_state=amendment.state,
                         to_state=amendment.state, actor=user, comment=requirement)
    except BaseException:
        discard_upload(prepared)
        raise
    return document


# --- signature: a one-time code over a frozen snapshot --------------------------------------


def snapshot(amendment: Amendment) -> dict:
    return {
        "reference": amendment.reference,
        "company": amendment.company.rccm_number,
        "change_type": amendment.change_type,
        "register_before": amendment.register_before,
        "changes": amendment.changes,
        "documents": {code: document.stored_file.sha256
                      for code, document in sorted(current_documents(amendment).items())},
    }


def snapshot_sha256(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def declaration_text(amendment: Amendment, user) -> str:
    return _(
        "Je soussigné(e) %(name)s déclare sur l'honneur que les informations et les pièces "
        "de la demande %(reference)s (%(kind)s, « %(company)s », RCCM %(rccm)s) sont "
        "exactes et complètes, et demande leur inscription au Registre du commerce et du "
        "crédit mobilier. Je reconnais que la confirmation par le code à usage unique qui "
        "m'est adressé vaut signature électronique de ma part, au sens de la loi n°2017-07 "
        "du 22 juin 2017 relative aux transactions électroniques."
    ) % {"name": user.get_full_name() or user.email, "reference": amendment.reference,
         "kind": amendment.get_change_type_display(), "company": amendment.company.name,
         "rccm": amendment.company.rccm_number}


def _ready_to_sign(amendment: Amendment) -> None:
    if not amendment.is_editable:
        raise AmendmentError(_("Cette demande a déjà été soumise."))
    if problems(amendment):
        raise AmendmentError(_("La demande est incomplète : déclarez la modification et "
                               "joignez toutes les pièces avant de la signer."))


@audit.atomic
def request_signature_code(*, amendment_id: int, user) -> AmendmentSignature:
    amendment = _locked(amendment_id)
    _ready_to_sign(amendment)
    now = timezone.now()
    if amendment.signatures.filter(created_at__gt=now - SIGNATURE_CODE_INTERVAL,
                                   used_at__isnull=True).exists():
        raise AmendmentError(_("Un code vient de vous être envoyé : attendez une minute "
                               "avant d'en demander un autre."))
    amendment.signatures.filter(used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = AmendmentSignature.objects.create(
        amendment=amendment, signer=user, code_hash=make_password(code),
        snapshot_sha256=snapshot_sha256(snapshot(amendment)),
        expires_at=now + SIGNATURE_CODE_TTL)
    notify(event="signature_code", user=user, about=f"amendments.signature:{challenge.pk}",
           link=amendment.get_absolute_url(), context={"reference": amendment.reference},
           secrets={"code": code})
    audit.record(obj=amendment, action="signature_code_sent", from_state=amendment.state,
                 to_state=amendment.state, actor=user)
    return challenge


def confirm_signature(*, amendment_id: int, user, code: str,
                      ip_address: str | None) -> AmendmentSignature:
    """Check the code; on success the declaration is signed and the filing submitted."""
    with audit.atomic():
        amendment = _locked(amendment_id)
        challenge = (amendment.signatures.select_for_update()
                     .filter(signer=user, used_at__isnull=True).first())
        if challenge is None:
            raise AmendmentError(_("Aucun code en attente : demandez un nouveau code."))
        failure = check_code(challenge, code)
    if failure:  # the attempt is recorded (committed) before the refusal
        raise AmendmentError(failure)
    with audit.atomic():
        amendment = _locked_with_case(amendment_id)
        challenge = AmendmentSignature.objects.select_for_update().get(pk=challenge.pk)
        data = snapshot(amendment)
        digest = snapshot_sha256(data)
        if challenge.used_at or digest != challenge.snapshot_sha256:
            raise AmendmentError(_("La demande a changé depuis l'envoi du code : demandez "
                                   "un nouveau code."))
        _ready_to_sign(amendment)
        now = timezone.now()
        challenge.used_at = challenge.signed_at = now
        challenge.snapshot = data
        challenge.declaration = declaration_text(amendment, user)
        challenge.ip_address = ip_address
        challenge.save()
        audit.record(obj=amendment, action="sign", from_state=amendment.state,
                     to_state=amendment.state, actor=user, comment=digest)
        _submit(amendment, user=user)
    return challenge


def _submit(amendment: Amendment, *, user) -> None:
    """Signed: billed (the desks start once paid), or back to the desks after a correction
    (the fee is paid once)."""
    if amendment.state == AmendmentState.DRAFT:
        _transition(amendment, "await_payment", actor=user)
        kind = amendment.kind
        try:
            invoice = payments.bill(
                subject=amendment, payer=amendment.filer, service=kind.service,
                legal_form=amendment.company.legal_form, reference=amendment.reference,
                title=amendment.company.name,
                description=_("%(kind)s (%(form)s)") % {
                    "kind": kind.label, "form": amendment.company.legal_form})
        except payments.PaymentError as error:
            raise AmendmentError(str(error)) from error
        if not invoice.is_settled:
            _tell_filer(amendment, "payment_due", occurrence=invoice.number,
                        invoice_number=invoice.number, amount=invoice.amount)
        return
    reopened = list(amendment.correction_fields)
    _transition(amendment, "resubmit", actor=user)
    engine.resume_case(case_id=engine_selectors.case_for(amendment).pk, actor=user,
                       changed=reopened)


@audit.requires_transaction
def start_instruction(*, amendment_id: int, actor) -> None:
    """The fee is settled: the filing goes to the desks of its change's procedure (once)."""
    amendment = _locked_with_case(amendment_id)
    if amendment.state != AmendmentState.PENDING_PAYMENT:
        return
    _transition(amendment, "submit", actor=actor)
    engine.start_case(definition_code=amendment.kind.procedure, subject=amendment,
                      actor=amendment.filer)


def on_invoice_settled(sender, *, invoice, actor, **kwargs) -> None:
    """payments.signals.invoice_settled: an amendment's fee is settled."""
    if invoice.subject_type.model_class() is Amendment:
        start_instruction(amendment_id=invoice.subject_id, actor=actor)


@audit.atomic
def withdraw(*, amendment_id: int, user) -> Amendment:
    payments.lock_invoice_of(Amendment(pk=amendment_id))
    amendment = _locked_with_case(amendment_id)
    if amendment.state not in OPEN_STATES:
        raise AmendmentError(_("Cette demande ne peut plus être retirée : une décision a "
                               "été prise."))
    case = engine_selectors.case_for(amendment)
    _transition(amendment, "withdraw", actor=user)
    if case is not None:
        engine.cancel_case(case_id=case.pk, actor=user, comment=_("Retrait par le demandeur"))
    payments.subject_ended(subject=amendment, actor=user)
    return amendment


# --- the desks' decisions (handlers.py) -----------------------------------------------------


@audit.requires_transaction
def request_correction(*, amendment_id: int, actor, message: str, fields: list[str]) -> None:
    amendment = _locked(amendment_id)
    reopened = {name for name in fields if name in ("changes", "documents")}
    # The documents follow from the change (a capital increase asks for the bank's
    # certificate): a reopened change reopens them too, or a new requirement could never
    # be met and the filing could only be withdrawn.
    if "changes" in reopened or not reopened:
        reopened |= {"changes", "documents"}
    fields = sorted(reopened)
    if amendment.state == AmendmentState.RETURNED:
        amendment.correction_message = f"{amendment.correction_message}\n\n{message}"
        amendment.correction_fields = sorted({*amendment.correction_fields, *fields})
        amendment.save(update_fields=["correction_message", "correction_fields"])
    else:
        _transition(amendment, "request_correction", actor=actor, comment=message,
                    message=message, fields=fields)
    _tell_filer(amendment, "correction_requested", message=message,
                occurrence=f"correction:{timezone.now().isoformat()}")


@audit.requires_transaction
def reject(*, amendment_id: int, actor, reason: str) -> None:
    amendment = _locked(amendment_id)
    _transition(amendment, "reject", actor=actor, comment=reason, reason=reason)
    payments.subject_ended(subject=amendment, actor=actor)
    _tell_filer(amendment, "application_rejected", reason=reason)


@audit.requires_transaction
def apply_amendment(*, amendment_id: int, actor) -> Amendment:
    """The registrar approved: apply the change to the company, keep each previous value
    as dated history (CompanyChange), publish it, and queue the up-to-date extract."""
    amendment = _locked(amendment_id)
    company = Company.objects.select_for_update(of=("self",)).select_related(
        "application").get(pk=amendment.company_id)
    refusal = amendment.kind.refusal(company)
    if refusal:  # e.g. radiated meanwhile: the engine rolls the approval back
        raise engine.WorkflowError(refusal)
    _transition(amendment, "approve", actor=actor)
    now = amendment.decided_at
    before = register_values(company)
    changed = APPLY[amendment.change_type](company, dict(amendment.changes), before)
    if amendment.change_type == ChangeKind.NAME and Company.objects.filter(
            normalized_name=normalize(company.name)).exclude(pk=company.pk).exists():
        raise engine.WorkflowError(_("Une autre entreprise du registre porte déjà cette "
                                     "dénomination. Rien n'a été enregistré."))
    company.save()
    with override("fr"):  # the register's own words
        inscription = str(amendment.kind.label)
    CompanyChange.objects.bulk_create([
        CompanyChange(company=company, field=field, old_value=old, new_value=new,
                      effective_at=now, filing_reference=amendment.reference,
                      inscription=inscription)
        for field, old, new in changed])
    with override("fr"):  # the register's public wording is French
        PublicEvent.objects.create(company=company, kind=EVENT_KIND[amendment.change_type],
                                   occurred_at=now, summary=str(amendment.kind.summary))
    if amendment.change_type == ChangeKind.STRIKE_OFF and company.certificate_id:
        with override("fr"):
            public_reason = _("Entreprise radiée du registre du commerce le %(date)s.") % {
                "date": timezone.localdate(now).strftime("%d/%m/%Y")}
        revoke_certificate(company=company, reason=revocation_reason_text("struck_off"),
                           actor=actor, public_reason=public_reason)
    audit.record(obj=company, action=f"amendment:{amendment.change_type}", actor=actor,
                 comment=amendment.reference)
    from .tasks import issue_extract

    outbox.enqueue(issue_extract, amendment.pk)
    _tell_filer(amendment, "desk_approved", occurrence="approved",
                step=str(amendment.kind.label), desk=_("Greffier en chef"))
    return amendment


EVENT_KIND = {code: PublicEventKind.AMENDED for code in CHANGE_TYPES} | {
    ChangeKind.DISSOLUTION: PublicEventKind.DISSOLVED,
    ChangeKind.STRIKE_OFF: PublicEventKind.STRUCK_OFF,
}


def _set(company: Company, before: dict, changed: list, field: str, new) -> None:
    """Change one value of the company (a column of Company), noting the old one."""
    old = getattr(company, field)
    if old != new:
        setattr(company, field, new)
        changed.append((field, old, new))


def _note(before: dict, changed: list, field: str, new) -> None:
    """A value the register keeps only as history (no column of Company)."""
    if before.get(field) != new:
        changed.append((field, before.get(field) or None, new))


def _apply_managers(company, changes, before) -> list:
    changed: list = []
    _note(before, changed, "managers", changes["managers"])
    return changed


def _apply_office(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "registered_office",
         f"{changes['address']}, {changes['city']}")
    _set(company, before, changed, "city", changes["city"])
    _set(company, before, changed, "region", changes["region"])
    return changed


def _apply_name(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "name", changes["name"])
    return changed


def _apply_activity(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "activity_code", changes["activity_code"])
    _note(before, changed, "business_purpose", changes["business_purpose"])
    return changed


def _apply_capital(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "capital", int(changes["capital"]))
    return changed


def _apply_share_transfer(company, changes, before) -> list:
    return [("share_transfer", None, {key: changes[key] for key in
                                      ("transferor", "transferee", "shares")})]


def _apply_dissolution(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "status", CompanyStatus.DISSOLVED)
    _note(before, changed, "liquidator", changes["liquidator"])
    changed.append(("dissolution_date", None, changes["decision_date"]))
    return changed


def _apply_strike_off(company, changes, before) -> list:
    changed: list = []
    _set(company, before, changed, "status", CompanyStatus.STRUCK_OFF)
    changed.append(("liquidation_closed_on", None, changes["closing_date"]))
    return changed


APPLY = {
    ChangeKind.MANAGERS: _apply_managers,
    ChangeKind.OFFICE: _apply_office,
    ChangeKind.NAME: _apply_name,
    ChangeKind.ACTIVITY: _apply_activity,
    ChangeKind.CAPITAL: _apply_capital,
    ChangeKind.SHARE_TRANSFER: _apply_share_transfer,
    ChangeKind.DISSOLUTION: _apply_dissolution,
    ChangeKind.STRIKE_OFF: _apply_strike_off,
}


# --- who may file ---------------------------------------------------------------------------


@audit.atomic
def authorise_filer(*, company: Company, owner, email: str):
    """The owner allows another account (by its e-mail) to file for the company."""
    from django.contrib.auth import get_user_model

    from .models import AuthorisedFiler

    if not access.may_authorise_filers(owner, company):
        raise AmendmentError(_("Seul le titulaire du compte de l'entreprise peut désigner "
                               "des mandataires."))
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise AmendmentError(_("Aucun compte n'existe avec cette adresse : la personne doit "
                               "d'abord créer son compte."))
    if user.pk == owner.pk:
        raise AmendmentError(_("Vous pouvez déjà déposer des demandes pour cette entreprise."))
    mandate, _created = AuthorisedFiler.objects.get_or_create(
        company=company, user=user, defaults={"granted_by": owner})
    audit.record(obj=company, action="authorise_filer", actor=owner, comment=user.email)
    return mandate


@audit.atomic
def revoke_filer(*, company: Company, owner, user_id: int) -> None:
    from .models import AuthorisedFiler

    if not access.may_authorise_filers(owner, company):
        raise AmendmentError(_("Seul le titulaire du compte de l'entreprise peut désigner "
                               "des mandataires."))
    deleted, _rows = AuthorisedFiler.objects.filter(company=company, user_id=user_id).delete()
    if deleted:
        audit.record(obj=company, action="revoke_filer", actor=owner, comment=str(user_id))
