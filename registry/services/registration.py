"""Putting a company on the register: its RCCM number and identifiers, the registrar's
approval, the sealed certificate and extracts, revocation."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import selectors as document_selectors
from documents.certificates import CertificateFacts
from documents.issuing import (
    discard_document,
    issue_document,
    keep_document,
    revoke,
    seal_document,
)
from documents.models import DocumentKind, IssuedDocument
from notifications.services import notify
from outbox import services as outbox
from workflows import audit
from workflows import services as engine

from .. import register
from ..identifiers import allocate_rccm_number
from ..legal_forms import RULES
from ..models import (
    Application,
    ApplicationState,
    Company,
    CompanyStatus,
    PublicEvent,
    PublicEventKind,
)
from ..selectors import documents_of_company
from ..signals import company_registered
from .common import FilingError, locked, tell_owner, transition

IDENTIFIER_FIELDS = ("nif", "employer_number")
IDENTIFIER_LABELS = {
    "nif": gettext_lazy("Ce NIF"),
    "employer_number": gettext_lazy("Ce numéro employeur CNSS"),
}
# Filings whose identifiers no longer count: they will never be registered.
CLOSED_STATES = (ApplicationState.REJECTED, ApplicationState.WITHDRAWN)


class IdentifierTaken(engine.WorkflowError):
    """A desk typed a NIF or employer number another company or filing already holds.

    A WorkflowError, so the engine rolls the whole approval back and the desk sees the
    message (which names the other file) instead of an error page.
    """


def identifier_holder(*, field: str, value: str, application_id: int | None = None,
                      filings: bool = True) -> str:
    """Who already holds this identifier, in words for the desk; "" if nobody does.

    A registered company, or another filing still on its way to the register (one rejected
    or withdrawn will never be registered, so its numbers hold nothing) unless `filings`
    is false.
    """
    if field not in IDENTIFIER_FIELDS:
        raise ValueError(field)
    if not value:
        return ""
    company = (Company.objects.filter(**{field: value})
               .exclude(application_id=application_id)
               .select_related("application").first())
    if company is not None:
        return _("l'entreprise « %(name)s », RCCM %(rccm)s (dossier %(reference)s)") % {
            "name": company.name, "rccm": company.rccm_number,
            "reference": company.application.reference}
    if not filings:
        return ""
    filing = (Application.objects.filter(**{field: value})
              .exclude(pk=application_id).exclude(state__in=CLOSED_STATES)
              .order_by("pk").first())
    if filing is not None:
        return _("le dossier %(reference)s (« %(name)s »), en cours d'instruction") % {
            "reference": filing.reference, "name": filing.company_name}
    return ""


def _refuse_taken_identifier(*, field: str, value: str, application_id: int,
                             filings: bool = True) -> None:
    holder = identifier_holder(field=field, value=value, application_id=application_id,
                               filings=filings)
    if holder:
        raise IdentifierTaken(
            _("%(identifier)s (%(value)s) est déjà attribué à %(holder)s : vérifiez le "
              "numéro saisi. Rien n'a été enregistré.")
            % {"identifier": IDENTIFIER_LABELS[field], "value": value, "holder": holder})


@audit.requires_transaction
def assign_rccm_number(*, application_id: int, actor) -> str:
    """The filing takes the next RCCM number, once.

    Called at registration, when nothing can withdraw or reject the filing any more: a
    number drawn is a number used, and the court's sequence has no holes. The counter row
    stays locked until the registrar's decision commits, which is what makes concurrent
    registrations take consecutive numbers.
    """
    application = locked(application_id, key_update=True)
    if not application.rccm_number:
        application.rccm_number = allocate_rccm_number(
            letter=RULES[application.legal_form].rccm_letter
        )
        application.save(update_fields=["rccm_number"])
        audit.record(obj=application, action="rccm_number", from_state=application.state,
                     to_state=application.state, actor=actor,
                     comment=application.rccm_number)
    return application.rccm_number


@audit.requires_transaction
def record_identifier(*, application_id: int, actor, field: str, value: str) -> None:
    """A desk issued an identifier (NIF, CNSS employer number) for the filing.

    Refused (IdentifierTaken) when another company or filing in progress holds it: the
    register knows one company per number. The database's unique constraints on Company
    back this up at registration.
    """
    if field not in IDENTIFIER_FIELDS:
        raise ValueError(field)
    application = locked(application_id)
    _refuse_taken_identifier(field=field, value=value, application_id=application_id)
    setattr(application, field, value)
    application.save(update_fields=[field])
    audit.record(obj=application, action=field, from_state=application.state,
                 to_state=application.state, actor=actor, comment=value)


@audit.requires_transaction
def register_company(*, application_id: int, actor) -> Company:
    """The registrar approved: put the company on the register (inside the approval)."""
    application = locked(application_id)
    transition(application, "approve", actor=actor)
    for field in IDENTIFIER_FIELDS:  # two desks raced on one number: the register decides
        _refuse_taken_identifier(field=field, value=getattr(application, field),
                                 application_id=application_id, filings=False)
    application.rccm_number = assign_rccm_number(application_id=application_id, actor=actor)
    company = Company.objects.create(
        application=application,
        name=application.company_name,
        legal_form=application.legal_form,
        rccm_number=application.rccm_number,
        nif=application.nif,
        employer_number=application.employer_number,
        capital=application.capital,
        registered_office=f"{application.registered_office}, {application.city}",
        region=application.region,
        city=application.city,
        activity_code=application.activity_code,
    )
    PublicEvent.objects.create(company=company, kind=PublicEventKind.REGISTERED,
                               occurred_at=company.registered_at)
    from ..tasks import issue_certificate

    outbox.enqueue(issue_certificate, application.pk)
    company_registered.send(sender=Company, company=company)
    return company


def register_entry(company: Company) -> dict:
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


def issue_certificate(*, application_id: int) -> Company:
    """Draw, seal and keep the certificate; a second run finds it done and does nothing.

    The drawing, the seal and its timestamp happen before any row is locked, so one
    filing's seal never makes another registrar's approval wait. The facts are read again
    under the lock: if a concurrent run issued first, or the facts moved, the sealed copy
    is discarded, never issued.
    """
    company = Company.objects.select_related("application").get(application_id=application_id)
    if company.certificate_id:
        return company
    entry = register_entry(company)
    sealed = seal_document(kind=DocumentKind.CERTIFICATE, facts=CertificateFacts(**entry))
    try:
        with audit.atomic():
            application = locked(application_id)
            company = Company.objects.select_for_update().get(application=application)
            company.application = application  # the row just locked: no second read
            if company.certificate_id:
                transaction.on_commit(lambda: discard_document(sealed))
                return company  # a concurrent run issued first
            if register_entry(company) != entry:
                raise RuntimeError("The register entry changed while the certificate was "
                                   "sealed; the task runs again with the new facts.")
            company.certificate = keep_document(sealed)
            company.save(update_fields=["certificate"])
            if application.state == ApplicationState.APPROVED:  # the first certificate
                transition(application, "register", actor=None)
            tell_owner(application, "company_registered", rccm_number=company.rccm_number,
                       verification_code=company.certificate.grouped_code,
                       occurrence=f"certificate:{company.certificate.pk}")
    except BaseException:
        discard_document(sealed)  # rolled back: its rows are gone, so are its bytes
        raise
    return company


def issue_rccm_extract(*, company: Company) -> IssuedDocument:
    """A sealed extract of the register's entry for the company, as it stands today
    (registry.register.extract_facts: every inscription since registration included).

    For a registered company whose certificate stands, or a radiated one (its certificate
    was revoked by the radiation; the extract says it is radiated). The day's extract is
    handed out again rather than sealing (and keeping for 20 years) a new one per click,
    unless the register changed since it was sealed.
    """
    application = company.application
    radiated = company.status == CompanyStatus.STRUCK_OFF
    if (application.state != ApplicationState.REGISTERED or company.certificate is None
            or (company.certificate.revoked_at is not None and not radiated)):
        raise FilingError(_("Aucun extrait ne peut être délivré : l'entreprise n'est pas "
                            "immatriculée ou son certificat a été révoqué."))
    today = timezone.localdate()
    existing = document_selectors.extract_of_the_day(rccm_number=company.rccm_number,
                                                     day=today)
    if existing is not None and existing.issued_at >= register.last_changed_at(company):
        return existing
    return issue_document(kind=DocumentKind.RCCM_EXTRACT,
                          facts=register.extract_facts(company))


# Why a registrar revokes a document of the register: the internal record keeps the reason,
# the public verification shows only the wording the registrar chose to publish.
REVOCATION_REASONS = {
    "false_declaration": gettext_lazy("Immatriculation obtenue sur fausse déclaration"),
    "court_decision": gettext_lazy("Décision de justice"),
    "register_error": gettext_lazy("Erreur matérielle du registre"),
    "struck_off": gettext_lazy("Radiation"),
}


def revocation_reason_text(code: str) -> str:
    """The reason as the register records it: in French, whatever the registrar's language."""
    with translation.override("fr"):
        return str(REVOCATION_REASONS[code])


@audit.atomic
def revoke_certificate(*, company: Company, reason: str, actor,
                       public_reason: str | None = None) -> Company:
    """Revoke the company's certificate (documents keeps the record), publish it in the
    company's public history and tell the owner.

    `public_reason` is what the public verification shows; left out, the reason is. The
    public history shows `public_reason` only, never the reason.
    """
    company = Company.objects.select_for_update(of=("self",)).select_related(
        "certificate", "application__owner").get(pk=company.pk)
    if company.certificate is None:
        raise FilingError(_("Cette entreprise n'a pas de certificat à révoquer."))
    certificate = revoke(document=company.certificate, reason=reason, actor=actor,
                         public_reason=public_reason)
    # The public history says what the public verification says: the wording chosen for
    # publication, never the registry's own reason (and nothing when none was chosen).
    PublicEvent.objects.create(company=company, kind=PublicEventKind.CERTIFICATE_REVOKED,
                               occurred_at=certificate.revoked_at,
                               summary=(public_reason or "").strip())
    notify(
        event="certificate_revoked",
        user=company.application.owner,
        about=f"registry.company:{company.pk}:revoked:{company.certificate.pk}",
        link=company.application.get_absolute_url(),
        context={"company_name": company.name, "rccm_number": company.rccm_number,
                 "reason": reason},
    )
    return company


# Why a registrar issues a company's certificate again, in place of the one it holds.
REISSUE_REASONS = {
    "register_corrected": gettext_lazy("Correction du registre (erreur matérielle rectifiée)"),
    "certificate_damaged": gettext_lazy("Certificat illisible ou altéré"),
}


@audit.atomic
def reissue_certificate(*, company: Company, reason_code: str, actor) -> Company:
    """Replace the company's certificate by a new one drawn from the register as it is now
    (after a correction of the register): the current one is revoked as replaced, and the
    new one is issued in the background like the first. Audited; published in the company's
    public history."""
    if reason_code not in REISSUE_REASONS:
        raise FilingError(_("Choisissez le motif de la réémission."))
    company = Company.objects.select_for_update(of=("self",)).select_related(
        "certificate", "application").get(pk=company.pk)
    if company.certificate is None:
        raise FilingError(_("Le certificat de cette entreprise est déjà en préparation : "
                            "attendez qu'il soit émis."))
    with translation.override("fr"):
        reason = str(REISSUE_REASONS[reason_code])
        public_reason = _("Remplacé par un certificat réémis le %(date)s.") % {
            "date": timezone.localdate().strftime("%d/%m/%Y")}
    replaced = company.certificate
    revoke(document=replaced, reason=reason, actor=actor, public_reason=public_reason)
    PublicEvent.objects.create(company=company, kind=PublicEventKind.CERTIFICATE_REVOKED,
                               summary=public_reason)
    company.certificate = None
    company.save(update_fields=["certificate"])
    audit.record(obj=company, action="reissue_certificate", actor=actor,
                 comment=f"{reason} ({replaced.verification_code})")
    from ..tasks import issue_certificate

    outbox.enqueue(issue_certificate, company.application_id)
    return company


@audit.atomic
def revoke_company_document(*, company: Company, document_id: int, reason_code: str,
                            public_reason: str, actor) -> IssuedDocument:
    """A registrar revokes the company's certificate or one of its RCCM extracts.

    The reason comes from REVOCATION_REASONS; the public verification then shows the
    document revoked, with its date and `public_reason` (possibly empty), never the reason.
    The owner is told of a revoked certificate.
    """
    if reason_code not in REVOCATION_REASONS:
        raise FilingError(_("Choisissez le motif de la révocation dans la liste."))
    document = next((doc for doc in documents_of_company(company) if doc.pk == document_id),
                    None)
    if document is None:
        raise FilingError(_("Ce document n'a pas été émis pour cette entreprise."))
    reason = revocation_reason_text(reason_code)
    if document.pk == company.certificate_id:
        revoke_certificate(company=company, reason=reason, actor=actor,
                           public_reason=public_reason)
    else:
        revoke(document=document, reason=reason, actor=actor, public_reason=public_reason)
    document.refresh_from_db()
    return document
