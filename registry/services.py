"""The register's writes: create, edit, submit and withdraw filings; register companies."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.certificates import CertificateFacts
from documents.issuing import issue_document, revoke
from documents.models import DocumentKind
from documents.rccm_extract import RccmExtractFacts, RegisterEntry
from notifications.services import notify
from workflows import audit
from workflows import services as engine

from .filing import CORRECTABLE_SECTIONS
from .identifiers import allocate_rccm_number
from .legal_forms import RULES
from .models import Application, ApplicationState, Company, Party

WORKFLOW_CODE = "company_creation"


class FilingError(Exception):
    """A request on a filing that its state does not allow; the message is for the user."""


def _transition(application: Application, method: str, *, actor, comment: str = "",
                **kwargs) -> None:
    from_state = application.state
    getattr(application, method)(**kwargs)
    application.save()
    audit.record(obj=application, action=method, from_state=from_state,
                 to_state=application.state, actor=actor, comment=comment)


def _locked(application_id: int) -> Application:
    return Application.objects.select_for_update().get(pk=application_id)


def _locked_with_case(application_id: int) -> Application:
    """Lock the filing's case first, then the filing: the order the desks' decisions take
    (case, then the filing in their handlers), so the two can never deadlock."""
    from django.contrib.contenttypes.models import ContentType

    engine.lock_case_of(ContentType.objects.get_for_model(Application), application_id)
    return _locked(application_id)


@audit.atomic
def application_create(*, owner, data: dict, founder: dict) -> Application:
    """A complete draft in one call: the filing's facts and one natural person who is the
    sole partner and manager (used by the demo data and the tests; people file section by
    section through registry.drafting)."""
    from . import drafting

    application = drafting.start_application(owner=owner, legal_form=data.get("legal_form",
                                                                             "SARL"))
    names = {"company_name", "alternative_names", "acronym", "trade_name", "activity_code",
             "business_purpose", "capital", "share_count", "share_nominal", "duration_years",
             "region", "prefecture", "city", "registered_office"}
    for name, value in data.items():
        if name in names:
            setattr(application, name, value)
    if application.capital and not application.share_count:
        application.share_count = founder.get("shares") or 1
        application.share_nominal = application.capital // application.share_count
    application.save()
    roles = founder.get("roles") or ["partner", "manager"]
    Party.objects.create(
        application=application,
        roles=list(roles),
        shares=founder.get("shares", 0),
        cash_contribution=founder.get("cash_contribution",
                                      application.capital or 0),
        **{name: founder[name] for name in (
            "first_name", "last_name", "birth_date", "birth_place", "nationality",
            "id_document_number", "address", "ownership_percent") if name in founder},
    )
    return application


@audit.atomic
def application_submit(*, application_id: int, user) -> Application:
    """Send the filing to the desks, or back to them after a correction."""
    application = _locked_with_case(application_id)
    if application.state == ApplicationState.DRAFT:
        _transition(application, "submit", actor=user)
        engine.start_case(definition_code=WORKFLOW_CODE, subject=application, actor=user)
    elif application.state == ApplicationState.CORRECTION_REQUESTED:
        reopened = list(application.correction_fields)
        _transition(application, "resubmit", actor=user)
        engine.resume_case(case_id=engine.case_for(application).pk, actor=user,
                           changed=reopened)
    else:
        raise FilingError(_("Ce dossier a déjà été soumis."))
    _tell_owner(application, "application_submitted",
                occurrence=f"submit:{timezone.now().isoformat()}")
    return application


def _tell_owner(application: Application, event: str, *, occurrence: str = "",
                **context) -> None:
    """Notify the filing's owner of an event about it (on commit of this transaction)."""
    notify(
        event=event,
        user=application.owner,
        about=f"registry.application:{application.pk}:{occurrence or event}",
        link=application.get_absolute_url(),
        context={"reference": application.reference,
                 "company_name": application.company_name, **context},
    )


@audit.atomic
def application_withdraw(*, application_id: int, user) -> Application:
    application = _locked_with_case(application_id)
    if application.state not in (
        ApplicationState.DRAFT,
        ApplicationState.IN_REVIEW,
        ApplicationState.CORRECTION_REQUESTED,
    ):
        raise FilingError(_("Ce dossier ne peut plus être retiré : une décision a été prise."))
    case = engine.case_for(application)
    _transition(application, "withdraw", actor=user)
    if case is not None:
        engine.cancel_case(case_id=case.pk, actor=user, comment=_("Retrait par le demandeur"))
    return application


def register_company(*, application_id: int, actor) -> Company:
    """The registrar approved: put the company on the register (inside the approval)."""
    application = _locked(application_id)
    _transition(application, "approve", actor=actor)
    company = Company.objects.create(
        application=application,
        name=application.company_name,
        legal_form=application.legal_form,
        rccm_number=application.rccm_number,
        nif=application.nif,
        employer_number=application.employer_number,
        capital=application.capital,
        registered_office=f"{application.registered_office}, {application.city}",
    )
    from .tasks import issue_certificate

    transaction.on_commit(lambda: issue_certificate.delay(application.pk))
    return company


def _register_entry(company: Company) -> dict:
    """What the register says of a company: the facts its certificate and extracts print."""
    return {
        "court_name": settings.REGISTRY_COURT_NAME,
        "company_name": company.name,
        "legal_form": company.get_legal_form_display(),
        "rccm_number": company.rccm_number,
        "capital": company.capital,
        "registered_office": company.registered_office,
        "managers": [party.full_name for party in company.application.parties.all()
                     if party.is_manager],
        "registered_at": company.registered_at,
        "nif": company.nif,
        "cnss_number": company.employer_number,
    }


@audit.atomic
def issue_certificate(*, application_id: int) -> Company:
    """Draw, seal and keep the certificate; a second run finds it done and does nothing."""
    application = _locked(application_id)
    company = Company.objects.select_for_update().get(application=application)
    if company.certificate_id:
        return company
    facts = CertificateFacts(**_register_entry(company))
    company.certificate = issue_document(kind=DocumentKind.CERTIFICATE, facts=facts)
    company.save(update_fields=["certificate"])
    _transition(application, "register", actor=None)
    _tell_owner(application, "company_registered", rccm_number=company.rccm_number,
                verification_code=company.certificate.grouped_code)
    return company


def issue_rccm_extract(*, company: Company):
    """A sealed extract of the register's entry for the company, as of today.

    Only for a registered company whose certificate stands; the day's extract is handed
    out again rather than sealing (and keeping for 20 years) a new one per click.
    """
    from documents.models import IssuedDocument

    application = company.application
    if (application.state != ApplicationState.REGISTERED or company.certificate is None
            or company.certificate.revoked_at is not None):
        raise FilingError(_("Aucun extrait ne peut être délivré : l'entreprise n'est pas "
                            "immatriculée ou son certificat a été révoqué."))
    today = timezone.localdate()
    existing = IssuedDocument.objects.filter(
        kind=DocumentKind.RCCM_EXTRACT, revoked_at__isnull=True,
        public_facts__rccm_number=company.rccm_number,
        public_facts__as_of=today.isoformat()).first()
    if existing is not None:
        return existing
    facts = RccmExtractFacts(
        **_register_entry(company),
        business_purpose=application.business_purpose,
        as_of=today,
        entries=[RegisterEntry(
            on=timezone.localdate(company.registered_at),
            text=_("Immatriculation au RCCM sous le numéro %(rccm)s.")
            % {"rccm": company.rccm_number},
        )],
    )
    return issue_document(kind=DocumentKind.RCCM_EXTRACT, facts=facts)


def assign_rccm_number(*, application_id: int, actor) -> str:
    """The court registry approved: the filing takes the next RCCM number, once."""
    application = _locked(application_id)
    if not application.rccm_number:
        application.rccm_number = allocate_rccm_number(
            letter=RULES[application.legal_form].rccm_letter
        )
        application.save(update_fields=["rccm_number"])
        audit.record(obj=application, action="rccm_number", from_state=application.state,
                     to_state=application.state, actor=actor,
                     comment=application.rccm_number)
    return application.rccm_number


IDENTIFIER_FIELDS = ("nif", "employer_number")


def record_identifier(*, application_id: int, actor, field: str, value: str) -> None:
    """A desk issued an identifier (NIF, CNSS employer number) for the filing."""
    if field not in IDENTIFIER_FIELDS:
        raise ValueError(field)
    application = _locked(application_id)
    setattr(application, field, value)
    application.save(update_fields=[field])
    audit.record(obj=application, action=field, from_state=application.state,
                 to_state=application.state, actor=actor, comment=value)


def request_correction(*, application_id: int, actor, message: str, fields: list[str]) -> None:
    """A desk sent the filing back; a second desk's request adds to the first one."""
    application = _locked(application_id)
    fields = reopened_sections(fields)
    if application.state == ApplicationState.CORRECTION_REQUESTED:
        application.correction_message = f"{application.correction_message}\n\n{message}"
        application.correction_fields = sorted({*application.correction_fields, *fields})
        application.save(update_fields=["correction_message", "correction_fields"])
        audit.record(obj=application, action="request_correction",
                     from_state=application.state, to_state=application.state, actor=actor,
                     comment=message)
    else:
        _transition(application, "request_correction", actor=actor, comment=message,
                    message=message, fields=sorted(set(fields)))
    _tell_owner(application, "correction_requested", message=message,
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


def reject(*, application_id: int, actor, reason: str) -> None:
    application = _locked(application_id)
    _transition(application, "reject", actor=actor, comment=reason, reason=reason)
    _tell_owner(application, "application_rejected", reason=reason)


def step_approved(*, application_id: int, step: str, desk: str, occurrence: str) -> None:
    """A desk approved its step: the applicant sees the file move on."""
    application = Application.objects.get(pk=application_id)
    _tell_owner(application, "desk_approved", occurrence=occurrence, step=step, desk=desk)


@audit.atomic
def revoke_certificate(*, company: Company, reason: str, actor) -> Company:
    """Revoke the company's certificate (documents keeps the record) and tell the owner."""
    company = Company.objects.select_for_update(of=("self",)).select_related(
        "certificate", "application__owner").get(pk=company.pk)
    if company.certificate is None:
        raise FilingError(_("Cette entreprise n'a pas de certificat à révoquer."))
    revoke(document=company.certificate, reason=reason, actor=actor)
    notify(
        event="certificate_revoked",
        user=company.application.owner,
        about=f"registry.company:{company.pk}:revoked:{company.certificate.pk}",
        link=company.application.get_absolute_url(),
        context={"company_name": company.name, "rccm_number": company.rccm_number,
                 "reason": reason},
    )
    return company
