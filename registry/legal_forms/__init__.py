"""OHADA legal forms and the rules that vary by form: their one home.

The figures (minimum capital, numbers of members, roles, adult age, documents) are data, in
data/legal_forms.yaml, because a state may change them. The package is split by what it
does:

- choices.py: the vocabulary (LegalForm, Role, PersonKind);
- rules.py: the data file loaded and checked (POLICY, RULES) and the rules read from it
  (ages, managing roles, the forms that get draft statutes);
- wording.py: how roles, forms, shares and documents are named, where gettext translates;
- facts.py: what the rules judge (FilingFacts, PersonFacts) and what they say back;
- validation.py: `validate(facts)` says what is wrong with a filing, field by field;
- documents.py: `required_documents(facts)` lists what the filing must include.

Import from the package: `from registry.legal_forms import RULES, validate`.
"""

from __future__ import annotations

from .choices import LegalForm, PersonKind, Role
from .documents import needs_in_kind_appraisal, required_documents
from .facts import FilingFacts, PersonFacts, Requirement, RuleViolation
from .rules import (
    DATA_FILE,
    FILEABLE_FORMS,
    POLICY,
    RULES,
    STATUTES_MODELS,
    TIME_ZONE,
    FormRules,
    InKindAppraisal,
    Policy,
    RoleRequirement,
    age_on,
    is_adult,
    load_rules,
    lome_today,
    manages,
    managing_roles,
    statutes_forms,
)
from .validation import member_wording, shares_capital_mismatch, validate, validate_structure
from .wording import (
    CENT,
    DEED_NAMES,
    FORM_DOCUMENT_OVERRIDES,
    FORM_DOCUMENTS,
    FORM_NAMES,
    NBSP,
    PERSON_DOCUMENTS,
    ROLE_WORDING,
    ROLE_WORDING_BY_FORM,
    SHARE_TEXT,
    RoleWording,
    ShareText,
    format_fcfa,
    format_number,
    format_percent,
    role_wording,
)

__all__ = [
    "CENT", "DATA_FILE", "DEED_NAMES", "FILEABLE_FORMS", "FORM_DOCUMENTS",
    "FORM_DOCUMENT_OVERRIDES", "FORM_NAMES", "NBSP", "PERSON_DOCUMENTS", "POLICY",
    "ROLE_WORDING", "ROLE_WORDING_BY_FORM", "RULES", "SHARE_TEXT", "STATUTES_MODELS",
    "TIME_ZONE", "FilingFacts", "FormRules", "InKindAppraisal", "LegalForm", "PersonFacts",
    "PersonKind", "Policy", "Requirement", "Role", "RoleRequirement", "RoleWording",
    "RuleViolation", "ShareText", "age_on", "format_fcfa", "format_number", "format_percent",
    "is_adult", "load_rules", "lome_today", "manages", "managing_roles", "member_wording",
    "needs_in_kind_appraisal", "required_documents", "role_wording",
    "shares_capital_mismatch", "statutes_forms", "validate", "validate_structure",
]
