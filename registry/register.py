"""The register as it stands: a company's values after every inscription, their dated
history (CompanyChange), and the facts its RCCM extract prints.

One place for both extracts (the owner's "extrait à jour" and the one sealed after each
inscription), so they never disagree. The register keeps its own trace of each change (the
filing's number and the nature of the inscription): it depends on no app that files them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from documents.rccm_extract import RccmExtractFacts, RegisterEntry

from . import reference
from .legal_forms import Role
from .models import MANAGING_ROLES, Company, CompanyChange, CompanyStatus

FIELD_LABELS = {
    "name": gettext_lazy("Dénomination sociale"),
    "registered_office": gettext_lazy("Siège social"),
    "city": gettext_lazy("Ville"),
    "region": gettext_lazy("Région"),
    "activity_code": gettext_lazy("Activité principale (CITI)"),
    "business_purpose": gettext_lazy("Objet social"),
    "capital": gettext_lazy("Capital social (FCFA)"),
    "managers": gettext_lazy("Dirigeants"),
    "share_transfer": gettext_lazy("Cession de parts ou d'actions"),
    "status": gettext_lazy("Situation"),
    "liquidator": gettext_lazy("Liquidateur"),
    "dissolution_date": gettext_lazy("Date de la décision de dissolution"),
    "liquidation_closed_on": gettext_lazy("Date de clôture de la liquidation"),
    # What a filing declares, shown beside the register's values.
    "address": gettext_lazy("Adresse du siège"),
    "decision_date": gettext_lazy("Date de la décision de dissolution"),
    "closing_date": gettext_lazy("Date de clôture de la liquidation"),
    "transferor": gettext_lazy("Cédant"),
    "transferee": gettext_lazy("Cessionnaire"),
    "shares": gettext_lazy("Parts ou actions cédées"),
}


def latest_change(company: Company, field: str) -> CompanyChange | None:
    """The register's last change of one of the company's values (None: as registered)."""
    return (CompanyChange.objects.filter(company=company, field=field)
            .order_by("-effective_at", "-pk").first())


def current_value(company: Company, field: str, default=""):
    """A value the register keeps only as history (no column of Company), as it stands."""
    changed = latest_change(company, field)
    return default if changed is None else changed.new_value


def current_managers(company: Company) -> list[dict]:
    """The managers the register holds now: [{"name", "roles"}] (managing roles only)."""
    changed = latest_change(company, "managers")
    if changed is not None:
        return list(changed.new_value or [])
    return [{"name": party.full_name,
             "roles": [role for role in party.roles if role in MANAGING_ROLES]}
            for party in company.application.parties.all() if party.is_manager]


def current_business_purpose(company: Company) -> str:
    return current_value(company, "business_purpose", company.application.business_purpose)


def describe(field: str, value) -> str:
    """A register value in words, for the history and the extract."""
    if value in (None, "", []):
        return "—"
    if field == "managers":
        return ", ".join(_manager_words(manager) for manager in value)
    if field == "share_transfer":
        return _("%(shares)s parts ou actions de %(transferor)s à %(transferee)s") % value
    if field == "status":
        return str(CompanyStatus(value).label)
    if field == "region":
        names = {region.code: region.name for region in reference.regions()}
        return names.get(value, str(value))
    if field == "capital":
        return f"{int(value):,}".replace(",", " ") + " FCFA"
    return str(value)


def _manager_words(manager: dict) -> str:
    roles = [str(Role(role).label) for role in manager.get("roles", ()) if role in Role.values]
    return f"{manager['name']} ({', '.join(roles)})" if roles else manager["name"]


def history(company: Company) -> list[CompanyChange]:
    """Every change of the company's register values, oldest first."""
    return list(CompanyChange.objects.filter(company=company).order_by("effective_at", "pk"))


def last_changed_at(company: Company):
    """When the register last changed for this company (its registration if never)."""
    change = CompanyChange.objects.filter(company=company).order_by("-effective_at").first()
    return change.effective_at if change else company.registered_at


def extract_facts(company: Company) -> RccmExtractFacts:
    """What the extract prints today, in French (the register's language): every value as
    it stands, each inscription listed, and the company's situation when it is dissolved
    or radiated."""
    with override("fr"):
        return RccmExtractFacts(
            court_name=settings.REGISTRY_COURT_NAME,
            company_name=company.name,
            legal_form=company.get_legal_form_display(),
            rccm_number=company.rccm_number,
            capital=company.capital,
            registered_office=company.registered_office,
            business_purpose=current_business_purpose(company),
            as_of=timezone.localdate(),
            managers=[manager["name"] for manager in current_managers(company)],
            registered_at=company.registered_at,
            nif=company.nif,
            cnss_number=company.employer_number,
            entries=_entries(company),
            status=_status(company),
        )


def _status(company: Company) -> str:
    if company.status == CompanyStatus.DISSOLVED:
        liquidator = current_value(company, "liquidator", "")
        return _("Dissoute, en liquidation (liquidateur : %(name)s)") % {"name": liquidator}
    if company.status == CompanyStatus.STRUCK_OFF:
        struck = (CompanyChange.objects.filter(company=company, field="status",
                                               new_value=CompanyStatus.STRUCK_OFF)
                  .order_by("-effective_at").first())
        when = timezone.localdate(struck.effective_at) if struck else timezone.localdate()
        return _("Radiée du registre le %(date)s") % {
            "date": formats.date_format(when, "d/m/Y")}
    return ""


def _entries(company: Company) -> list[RegisterEntry]:
    entries = [RegisterEntry(on=timezone.localdate(company.registered_at),
                             text=_("Immatriculation au RCCM sous le numéro %(rccm)s.")
                             % {"rccm": company.rccm_number})]
    by_filing: dict[str, list[CompanyChange]] = {}
    for change in history(company):
        by_filing.setdefault(change.filing_reference, []).append(change)
    for filing_reference, changes in by_filing.items():
        details = "; ".join(
            f"{FIELD_LABELS.get(change.field, change.field)} : "
            f"{describe(change.field, change.new_value)}"
            for change in changes if change.field != "share_transfer"
        ) or describe("share_transfer", changes[0].new_value)
        nature = changes[0].inscription or _("Inscription modificative")
        entries.append(RegisterEntry(on=timezone.localdate(changes[0].effective_at),
                                     text=f"{nature} ({filing_reference}) – {details}."))
    return entries
