"""A filing's life at the desks: submitted, sent back for correction, rejected, withdrawn."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from payments import services as payments
from payments.models import Service
from workflows import audit
from workflows import selectors as engine_selectors
from workflows import services as engine

from ..filing import CORRECTABLE_SECTIONS
from ..models import Application, ApplicationState
from ..procedures import COMPANY_CREATION
from .common import FilingError, locked, locked_with_case, tell_owner, transition


@audit.atomic
def application_submit(*, application_id: int, user) -> Application:
    """The signed filing: billed (the desks start once it is paid, see start_instruction),
    or sent back to the desks after a correction (the fee is paid once)."""
    application = locked_with_case(application_id)
    if application.state == ApplicationState.DRAFT:
        transition(application, "await_payment", actor=user)
        try:
            invoice = payments.bill(
                subject=application, payer=application.owner,
                service=Service.COMPANY_CREATION, legal_form=application.legal_form,
                reference=application.reference, title=application.company_name,
                description=_("Frais de création d'entreprise (%(form)s)")
                % {"form": application.legal_form},
            )
        except payments.PaymentError as error:
            raise FilingError(str(error)) from error
        if invoice.is_settled:  # nothing to pay: the case started with the invoice
            application.refresh_from_db()
        else:
            tell_owner(application, "payment_due", occurrence=invoice.number,
                       invoice_number=invoice.number, amount=invoice.amount)
        return application
    if application.state == ApplicationState.CORRECTION_REQUESTED:
        reopened = list(application.correction_fields)
        transition(application, "resubmit", actor=user)
        engine.resume_case(case_id=engine_selectors.case_for(application).pk, actor=user,
                           changed=reopened)
    else:
        raise FilingError(_("Ce dossier a déjà été soumis."))
    tell_owner(application, "application_submitted",
               occurrence=f"submit:{timezone.now().isoformat()}")
    return application


@audit.requires_transaction
def start_instruction(*, application_id: int, actor) -> None:
    """The fee is paid or waived: the filing goes to the desks (once)."""
    application = locked_with_case(application_id)
    if application.state != ApplicationState.PENDING_PAYMENT:
        return
    transition(application, "submit", actor=actor)
    engine.start_case(definition_code=COMPANY_CREATION, subject=application,
                      actor=application.owner)
    tell_owner(application, "application_submitted",
               occurrence=f"submit:{timezone.now().isoformat()}")


def on_invoice_settled(sender, *, invoice, actor, **kwargs) -> None:
    """payments.signals.invoice_settled: a filing's fee is settled (connected in apps)."""
    if invoice.subject_type.model_class() is Application:
        start_instruction(application_id=invoice.subject_id, actor=actor)


@audit.atomic
def application_withdraw(*, application_id: int, user) -> Application:
    # The invoice before the case and the filing: the order a settlement takes.
    payments.lock_invoice_of(Application(pk=application_id))
    application = locked_with_case(application_id)
    if application.state not in (
        ApplicationState.DRAFT,
        ApplicationState.PENDING_PAYMENT,
        ApplicationState.IN_REVIEW,
        ApplicationState.CORRECTION_REQUESTED,
    ):
        raise FilingError(_("Ce dossier ne peut plus être retiré : une décision a été prise."))
    case = engine_selectors.case_for(application)
    transition(application, "withdraw", actor=user)
    if case is not None:
        engine.cancel_case(case_id=case.pk, actor=user, comment=_("Retrait par le demandeur"))
    payments.subject_ended(subject=application, actor=user)
    return application


@audit.requires_transaction
def request_correction(*, application_id: int, actor, message: str, fields: list[str]) -> None:
    """A desk sent the filing back; a second desk's request adds to the first one."""
    application = locked(application_id)
    fields = reopened_sections(fields)
    if application.state == ApplicationState.CORRECTION_REQUESTED:
        application.correction_message = f"{application.correction_message}\n\n{message}"
        application.correction_fields = sorted({*application.correction_fields, *fields})
        application.save(update_fields=["correction_message", "correction_fields"])
        audit.record(obj=application, action="request_correction",
                     from_state=application.state, to_state=application.state, actor=actor,
                     comment=message)
    else:
        transition(application, "request_correction", actor=actor, comment=message,
                   message=message, fields=sorted(set(fields)))
    tell_owner(application, "correction_requested", message=message,
               occurrence=f"correction:{timezone.now().isoformat()}")


def reopened_sections(sections: list[str]) -> list[str]:
    """The sections a correction opens: what the desk named, and what depends on it.

    The people's contributions must add up to the capital, and each person brings their
    own documents: reopening the capital reopens the people, and the people their
    documents, or the applicant could never make the filing whole again.
    """
    opened = {name for name in sections if name in CORRECTABLE_SECTIONS}
    if "capital" in opened:
        opened.add("people")
    if "people" in opened:
        opened.add("documents")
    return sorted(opened)


@audit.requires_transaction
def reject(*, application_id: int, actor, reason: str) -> None:
    application = locked(application_id)
    transition(application, "reject", actor=actor, comment=reason, reason=reason)
    payments.subject_ended(subject=application, actor=actor)
    tell_owner(application, "application_rejected", reason=reason)


@audit.requires_transaction
def step_approved(*, application_id: int, step: str, desk: str, occurrence: str) -> None:
    """A desk approved its step: the applicant sees the file move on."""
    application = Application.objects.select_related("owner").get(pk=application_id)
    tell_owner(application, "desk_approved", occurrence=occurrence, step=step, desk=desk)
