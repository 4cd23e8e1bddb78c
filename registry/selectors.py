"""The register's reads, scoped to who may see them: the one place for filing access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentKind, IssuedDocument, SupportingDocument
from workflows import selectors as workflow_selectors

from . import filing, reference
from .legal_forms import LegalForm, required_documents
from .legal_forms import rules as legal_form_rules
from .models import Application, Company


def applications_for(user) -> QuerySet[Application]:
    """An applicant sees their own filings; anyone else sees none of them."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(owner=user)


def company_for_owner(user, *, reference: str) -> Company | None:
    return (
        Company.objects.select_related("certificate__stored_file", "application")
        .filter(application__in=applications_for(user), application__reference=reference)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str


APPLICATION_EVENTS = {
    "create": _("Dossier ouvert."),
    "sign": _("Dossier signé électroniquement."),
    "submit": _("Dossier transmis au guichet unique."),
    "resubmit": _("Dossier corrigé et transmis à nouveau."),
    "request_correction": _("Correction demandée par l'administration."),
    "approve": _("Immatriculation approuvée par le greffier en chef."),
    "register": _("Certificat d'immatriculation délivré."),
    "reject": _("Dossier rejeté."),
    "withdraw": _("Dossier retiré."),
}
IDENTIFIER_EVENTS = {
    "rccm_number": _("Numéro RCCM attribué : %(value)s."),
    "nif": _("Numéro d'identification fiscale (NIF) attribué : %(value)s."),
    "employer_number": _("Numéro employeur CNSS attribué : %(value)s."),
}


def timeline(application: Application, tasks=()) -> list[TimelineEntry]:
    """What happened to the filing, in plain words, oldest first (from the audit trail)."""
    titles = {str(task.pk): (task.title, task.desk.name) for task in tasks}
    events = workflow_selectors.subject_history(application, tasks)
    entries = []
    for event in events:
        if event.object_type == "workflows.task":
            title, desk = titles[event.object_id]
            text = _("« %(step)s » validé par %(desk)s.") % {"step": title, "desk": desk}
        elif event.action in IDENTIFIER_EVENTS:
            text = IDENTIFIER_EVENTS[event.action] % {"value": event.comment}
        elif event.action in APPLICATION_EVENTS:
            text = str(APPLICATION_EVENTS[event.action])
        else:
            continue
        entries.append(TimelineEntry(event.at, text))
    return entries


def applications_for_staff(user) -> QuerySet[Application]:
    """Filings a clerk may look into: those that reached one of the clerk's desks (a task
    there is, or was, to be worked; a desk further down the line sees nothing yet)."""
    return Application.objects.filter(
        pk__in=workflow_selectors.subjects_reached_by(Application, user))


def documents_of_company(company: Company) -> list[IssuedDocument]:
    """The documents issued about the company: its certificates (the current one and those
    it replaced) and its RCCM extracts."""
    query = Q(kind__in=(DocumentKind.RCCM_EXTRACT, DocumentKind.CERTIFICATE),
              public_facts__rccm_number=company.rccm_number)
    if company.certificate_id:
        query |= Q(pk=company.certificate_id)
    return list(IssuedDocument.objects.filter(query).order_by("-issued_at", "-pk"))


@dataclass(frozen=True)
class CertificateProgress:
    """Where the company's certificate is: issued, or being prepared in the background
    (queued, sent to a worker, or failed and waiting for an operator)."""

    state: str  # "issued", "queued", "failed", "unknown"
    since: datetime | None = None
    error: str = ""


def certificate_progress(company: Company) -> CertificateProgress:
    if company.certificate_id:
        return CertificateProgress("issued", company.certificate.issued_at)
    from outbox.models import Message, MessageState

    from .tasks import issue_certificate

    message = (Message.objects.filter(task_name=issue_certificate.name,
                                      args=[company.application_id])
               .order_by("-created_at").first())
    if message is None:
        return CertificateProgress("unknown")
    if message.state == MessageState.FAILED:
        return CertificateProgress("failed", message.finished_at or message.created_at,
                                   message.error[:300])
    return CertificateProgress("queued", message.created_at)


# --- registrations per legal form and per region (the dashboards' register facts) -----------


@dataclass(frozen=True)
class RegistrationCount:
    code: str
    label: str
    count: int


def registrations_by_legal_form() -> list[RegistrationCount]:
    """Companies on the register per legal form, every form listed (zero included), in the
    order of the legal forms."""
    counts = dict(Company.objects.values("legal_form").annotate(count=Count("pk"))
                  .values_list("legal_form", "count"))
    return [RegistrationCount(form.value, str(form.label), counts.get(form.value, 0))
            for form in LegalForm]


def registrations_by_region() -> list[RegistrationCount]:
    """Companies on the register per region of their filing (south to north), then those
    whose filing named no known region."""
    counts = dict(Company.objects.values("application__region").annotate(count=Count("pk"))
                  .values_list("application__region", "count"))
    rows = [RegistrationCount(region.code, region.name, counts.pop(region.code, 0))
            for region in reference.regions()]
    unknown = sum(counts.values())
    if unknown:
        rows.append(RegistrationCount("", str(_("Non renseignée")), unknown))
    return rows


# --- Documents due after registration (criminal-record extracts) -----------------------------

# The overdue list reads at most this many registered companies per page (a bounded scan).
OVERDUE_SCAN = 500


def extract_due_at(company: Company) -> datetime:
    """When the documents declared `later` are due: registration + criminal_record_days."""
    return company.registered_at + timedelta(days=legal_form_rules.POLICY.criminal_record_days)


@dataclass(frozen=True)
class LaterDocument:
    requirement: object  # legal_forms.Requirement (later=True)
    document: object | None  # documents.SupportingDocument, once uploaded
    due_at: datetime

    @property
    def due_date(self):
        return timezone.localdate(self.due_at)


def later_documents(application: Application) -> list[LaterDocument]:
    """The registered filing's documents due after registration, uploaded or not."""
    company = getattr(application, "company", None)
    if company is None:
        return []
    due_at = extract_due_at(company)
    return [LaterDocument(line.requirement, line.document, due_at)
            for line in filing.document_lines(application) if line.requirement.later]


def outstanding_later_documents(application: Application) -> list[LaterDocument]:
    return [line for line in later_documents(application) if line.document is None]


OVERDUE_CHUNK = 100


def _outstanding_by_company(companies: QuerySet[Company]):
    """(company, its later requirements with no current document), the companies read a
    chunk at a time: their people and current documents in one query per chunk, not per
    company (the same answer as outstanding_later_documents)."""
    application_type = ContentType.objects.get_for_model(Application)
    chunk: list[Company] = []
    for company in companies.prefetch_related("application__parties").iterator(
            chunk_size=OVERDUE_CHUNK):
        chunk.append(company)
        if len(chunk) == OVERDUE_CHUNK:
            yield from _outstanding_in(chunk, application_type)
            chunk = []
    yield from _outstanding_in(chunk, application_type)


def _outstanding_in(chunk: list[Company], application_type):
    uploaded: dict[int, set[str]] = {}
    for subject_id, requirement in SupportingDocument.objects.filter(
            subject_type=application_type, is_current=True,
            subject_id__in=[company.application_id for company in chunk],
    ).values_list("subject_id", "requirement"):
        uploaded.setdefault(subject_id, set()).add(requirement)
    for company in chunk:
        application = company.application
        present = uploaded.get(application.pk, set())
        yield company, [
            requirement
            for requirement in required_documents(
                filing.facts_for(application, application.parties.all()))
            if requirement.later and requirement.code not in present]


@dataclass(frozen=True)
class OverdueExtract:
    company: Company
    due_date: object  # date
    days_late: int
    missing: list[str]  # the labels of the documents still missing


@dataclass(frozen=True)
class OverduePage:
    rows: list[OverdueExtract]
    next_after: int | None  # the last company id read: the next page starts after it


def overdue_extracts(*, now: datetime | None = None, after: int | None = None,
                     limit: int = 50) -> OverduePage:
    """Registered companies whose extracts are past due, oldest registration first.

    Keyset on the company id (ids grow with registration); each page reads at most
    OVERDUE_SCAN companies, so a page may hold fewer than `limit` rows and still have a
    next one.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=legal_form_rules.POLICY.criminal_record_days)
    companies = (Company.objects.select_related("application")
                 .filter(registered_at__lt=cutoff).order_by("pk"))
    if after is not None:
        companies = companies.filter(pk__gt=after)
    rows: list[OverdueExtract] = []
    last_read = None
    for company, missing in _outstanding_by_company(companies[:OVERDUE_SCAN]):
        last_read = company.pk
        if missing:
            due_at = extract_due_at(company)
            rows.append(OverdueExtract(
                company=company, due_date=timezone.localdate(due_at),
                days_late=(timezone.localdate(now) - timezone.localdate(due_at)).days,
                missing=[str(requirement.label) for requirement in missing]))
            if len(rows) >= limit:
                break
    more = last_read is not None and companies.filter(pk__gt=last_read).exists()
    return OverduePage(rows=rows, next_after=last_read if more else None)
