"""The register's reads, scoped to who may see them: the one place for filing access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentKind, IssuedDocument
from workflows import selectors as workflow_selectors

from . import reference
from .legal_forms import LegalForm
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
    """The documents issued about the company: its certificate and its RCCM extracts."""
    query = Q(kind=DocumentKind.RCCM_EXTRACT, public_facts__rccm_number=company.rccm_number)
    if company.certificate_id:
        query |= Q(pk=company.certificate_id)
    return list(IssuedDocument.objects.filter(query).order_by("-issued_at", "-pk"))


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
