"""The guided filing: its sections, their status, the rules, the documents, the snapshot.

Reads only; the writes are in services.py. A section is "done" when what it asks is
filled in and no rule of the legal form is broken in it, so the task list, the
check-your-answers page and the submission all judge the filing the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from documents.uploads import current_documents

from .legal_forms import (
    RULES,
    FilingFacts,
    PersonFacts,
    Requirement,
    RuleViolation,
    required_documents,
    statutes_forms,
    validate,
)
from .models import Application, Party


@dataclass(frozen=True)
class Section:
    code: str
    title: Promise
    # Rule fields (see legal_forms.validate) that belong to this section.
    rule_prefixes: tuple[str, ...] = ()


SECTIONS = (
    Section("names", _("Dénomination"), ("names",)),
    Section("form", _("Forme juridique"), ("legal_form", "public_offering")),
    Section("activity", _("Activité"), ("activity_code",)),
    Section("office", _("Siège social"), ()),
    Section("capital", _("Capital et parts"), ("capital", "share_count", "share_nominal")),
    Section("people", _("Personnes"), ("people",)),
    Section("documents", _("Pièces justificatives"), ()),
)
SECTION_BY_CODE = {section.code: section for section in SECTIONS}
# What a desk may send back for correction: the sections the applicant then reopens.
CORRECTABLE_SECTIONS = ("names", "activity", "office", "capital", "people", "documents")


def has_capital(application: Application) -> bool:
    return RULES[application.legal_form].capital != "none"


def facts_for(application: Application, parties=None) -> FilingFacts:
    parties = list(parties if parties is not None else application.parties.all())
    return FilingFacts(
        legal_form=application.legal_form,
        capital=application.capital if has_capital(application) else None,
        share_count=application.share_count if has_capital(application) else None,
        share_nominal=application.share_nominal if has_capital(application) else None,
        people=tuple(_person(party) for party in parties),
        activity_code=application.activity_code or None,
        names=tuple(name for name in [application.company_name,
                                      *application.alternative_names] if name),
    )


def _person(party: Party) -> PersonFacts:
    return PersonFacts(
        ref=str(party.pk),
        kind=party.kind,
        full_name=party.full_name,
        birth_date=party.birth_date,
        roles=frozenset(party.roles),
        shares=party.shares,
        cash_contribution=party.cash_contribution,
        in_kind_contribution=party.in_kind_contribution,
        skills_contribution=party.skills_contribution,
        ownership_percent=party.ownership_percent,
    )


def _missing(application: Application, parties: list[Party]) -> list[RuleViolation]:
    """What is not filled in yet, as rule violations naming the field."""
    missing = []
    if not application.company_name:
        missing.append(RuleViolation("names", _("Dénomination : proposez au moins un nom.")))
    if not application.activity_code:
        missing.append(RuleViolation("activity_code",
                                     _("Activité : choisissez l'activité principale.")))
    if not application.business_purpose.strip():
        missing.append(RuleViolation("activity_code",
                                     _("Objet social : décrivez l'activité de l'entreprise.")))
    if not (application.region and application.prefecture and application.registered_office):
        missing.append(RuleViolation("office", _(
            "Siège social : indiquez la région, la préfecture et l'adresse.")))
    if RULES[application.legal_form].capital == "required" and application.capital is None:
        missing.append(RuleViolation("capital", _("Capital social : indiquez le montant.")))
    if not parties:
        missing.append(RuleViolation("people", _("Personnes : déclarez au moins une personne.")))
    return missing


def problems(application: Application, parties=None) -> list[RuleViolation]:
    """Everything that stops the filing from being submitted, each naming its field."""
    parties = list(parties if parties is not None else application.parties.all())
    found = _missing(application, parties)
    missing_fields = {violation.field for violation in found}
    for violation in validate(facts_for(application, parties)):
        if violation.field not in missing_fields:
            found.append(violation)
    return found


def section_of(field: str) -> str:
    for section in SECTIONS:
        if field == section.code or any(field == prefix or field.startswith(prefix + ".")
                                        or field.startswith(prefix + "[")
                                        for prefix in section.rule_prefixes):
            return section.code
    return "people" if field.startswith("people") else "names"


@dataclass(frozen=True)
class DocumentLine:
    requirement: Requirement
    document: object | None  # documents.SupportingDocument


def document_lines(application: Application, parties=None) -> list[DocumentLine]:
    uploaded = current_documents(application)
    return [DocumentLine(requirement, uploaded.get(requirement.code))
            for requirement in required_documents(facts_for(application, parties))]


def missing_documents(lines: list[DocumentLine]) -> list[DocumentLine]:
    return [line for line in lines if line.document is None and not line.requirement.later]


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    done: bool
    applicable: bool
    problems: list[RuleViolation]


def statuses(application: Application) -> tuple[list[SectionStatus], list[RuleViolation],
                                                  list[DocumentLine]]:
    parties = list(application.parties.all())
    found = problems(application, parties)
    lines = document_lines(application, parties)
    by_section: dict[str, list[RuleViolation]] = {}
    for violation in found:
        by_section.setdefault(section_of(violation.field), []).append(violation)
    result = []
    for section in SECTIONS:
        applicable = section.code != "capital" or has_capital(application)
        section_problems = by_section.get(section.code, [])
        done = not section_problems
        if section.code == "documents":
            done = bool(lines) and not missing_documents(lines) and not by_section.get("people")
        result.append(SectionStatus(section, done, applicable, section_problems))
    return result, found, lines


def snapshot(application: Application) -> dict:
    """The filing as signed: every declared fact and the fingerprint of every document."""
    parties = list(application.parties.all())
    uploaded = current_documents(application)
    fields = ("reference", "legal_form", "company_name", "alternative_names", "acronym",
              "trade_name", "activity_code", "business_purpose", "capital", "share_count",
              "share_nominal", "duration_years", "region", "prefecture", "city",
              "registered_office")
    party_fields = ("kind", "roles", "first_name", "last_name", "birth_date", "birth_place",
                    "nationality", "id_document_number", "legal_name", "registration_number",
                    "representative", "address", "shares", "cash_contribution",
                    "in_kind_contribution", "in_kind_description", "skills_contribution",
                    "ownership_percent")
    return {
        "application": {name: _plain(getattr(application, name)) for name in fields},
        "people": [{"id": party.pk, **{name: _plain(getattr(party, name))
                                       for name in party_fields}} for party in parties],
        "documents": {code: {"sha256": document.stored_file.sha256,
                             "size": document.stored_file.size,
                             "version": document.version}
                      for code, document in sorted(uploaded.items())},
    }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot_sha256(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


# The forms the registry drafts statutes for (data/legal_forms.yaml, statutes_model).
STATUTES_FORMS = statutes_forms()


def statutes_facts(application: Application):
    """What the draft statutes print, from the filing (the forms of STATUTES_FORMS)."""
    from django.utils import timezone

    from . import reference
    from .statutes import (
        OFFICER_ROLES,
        StatutesFacts,
        StatutesOffice,
        StatutesOfficer,
        StatutesPartner,
    )

    parties = list(application.parties.all())
    member_roles = RULES[application.legal_form].member_roles
    prefecture = (reference.prefecture(application.prefecture).name
                  if application.prefecture else "")
    region = reference.region(application.region).name if application.region else ""
    return StatutesFacts(
        legal_form=application.legal_form,
        company_name=application.company_name,
        acronym=application.acronym,
        trade_name=application.trade_name,
        business_purpose=application.business_purpose,
        registered_office=StatutesOffice(
            address=application.registered_office, city=application.city,
            # "Préfecture : Golfe": the article before each name (du Golfe, des Lacs, de
            # l'Avé...) is not in the reference data, and a wrong one reads badly in a deed.
            prefecture=f"Préfecture : {prefecture}" if prefecture else "",
            region=f"Région : {region}" if region else ""),
        duration_years=application.duration_years,
        capital=application.capital or 0,
        share_count=application.share_count or 0,
        share_nominal=application.share_nominal or 0,
        partners=[StatutesPartner(
            full_name=party.full_name, birth_date=party.birth_date,
            birth_place=party.birth_place, nationality=party.nationality,
            id_document=party.registration_number if party.kind == "legal"
            else party.id_document_number,
            address=party.address, is_legal_person=party.kind == "legal",
            representative=party.representative, shares=party.shares,
            cash_contribution=party.cash_contribution,
            in_kind_contribution=party.in_kind_contribution,
            in_kind_description=party.in_kind_description,
        ) for party in parties if member_roles & set(party.roles)],
        officers=[StatutesOfficer(full_name=party.full_name, role=role, address=party.address)
                  for party in parties for role in party.roles if role in OFFICER_ROLES],
        city_of_signature=application.city,
        date=timezone.localdate(),
    )
