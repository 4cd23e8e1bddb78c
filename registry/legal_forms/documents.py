"""The documents a filing must include: the form's own (data/legal_forms.yaml), the
contribution appraiser's report, a regulated activity's authorisation, and each manager's
or legal-person member's papers."""

from __future__ import annotations

from django.utils.translation import gettext

from .. import reference
from . import rules as loaded
from .facts import FilingFacts, PersonFacts, Requirement
from .wording import FORM_DOCUMENT_OVERRIDES, FORM_DOCUMENTS, PERSON_DOCUMENTS


def needs_in_kind_appraisal(facts: FilingFacts) -> bool:
    """Whether the in-kind contributions must be valued by a commissaire aux apports."""
    appraisal = loaded.RULES[facts.legal_form].in_kind_appraisal
    return appraisal is not None and appraisal.needed(
        (person.in_kind_contribution for person in facts.people), facts.capital
    )


def required_documents(facts: FilingFacts) -> list[Requirement]:
    """The documents the filing must include, company-level first, then person by person.

    Documents due after registration (the criminal-record extracts) come last, `later=True`.
    """
    rules = loaded.RULES[facts.legal_form]
    now: list[Requirement] = []
    for code in rules.documents:
        label = FORM_DOCUMENT_OVERRIDES.get((rules.code, code)) or FORM_DOCUMENTS[code]
        now.append(Requirement(code, str(label)))
    if needs_in_kind_appraisal(facts):
        now.append(Requirement("rapport_commissaire_apports",
                               gettext("Rapport du commissaire aux apports")))
    activity = reference.division_for(facts.activity_code or "")
    if activity is not None and activity.is_regulated(facts.activity_code.strip()):
        now.append(Requirement("autorisation_prealable", gettext(
            "Autorisation préalable pour l'activité réglementée : %(activity)s"
        ) % {"activity": activity.label}))
    later: list[Requirement] = []
    managing = loaded.managing_roles(rules.code)
    for person in facts.people:
        if person.is_natural and person.roles & managing:
            now.append(_person_document("piece_identite", person))
            now.append(_person_document("declaration_non_interdiction", person))
            later.append(_person_document("casier_judiciaire", person, later=True))
        elif person.is_legal and person.roles & (managing | rules.member_roles):
            now.append(_person_document("extrait_rccm", person))
            now.append(_person_document("pouvoir_representant", person))
    return now + later


def _person_document(code: str, person: PersonFacts, *, later: bool = False) -> Requirement:
    label = str(PERSON_DOCUMENTS[code]) % {
        "name": " ".join(person.full_name.split()) or person.ref,
        "days": loaded.POLICY.criminal_record_days,
    }
    return Requirement(f"{code}:{person.ref}", label, person.ref, later)
