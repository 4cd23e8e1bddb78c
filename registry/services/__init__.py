"""The register's writes, by what they do:

- drafting: the applicant prepares a filing (sections, people, documents);
- signature: the one-time code that signs and thereby submits it;
- submission: its life at the desks (submitted, corrected, rejected, withdrawn);
- after_registration: the documents due after registration (criminal-record extracts);
- registration: the RCCM number, identifiers, the company on the register, its
  certificate and extracts.

Shared helpers are public in common. Callers use the names re-exported here.
"""

from .after_registration import attach_later_document, send_extract_reminders
from .common import FilingError
from .drafting import (
    application_create,
    attach_document,
    remove_party,
    save_party,
    save_section,
    start_application,
)
from .registration import (
    IDENTIFIER_FIELDS,
    REISSUE_REASONS,
    REVOCATION_REASONS,
    IdentifierTaken,
    assign_rccm_number,
    identifier_holder,
    issue_certificate,
    issue_rccm_extract,
    record_identifier,
    register_company,
    register_entry,
    reissue_certificate,
    revoke_certificate,
    revoke_company_document,
)
from .signature import confirm_signature, declaration_text, request_signature_code
from .submission import (
    application_submit,
    application_withdraw,
    reject,
    reopened_sections,
    request_correction,
    step_approved,
)

__all__ = [
    "IDENTIFIER_FIELDS",
    "REISSUE_REASONS",
    "REVOCATION_REASONS",
    "FilingError",
    "IdentifierTaken",
    "application_create",
    "application_submit",
    "application_withdraw",
    "assign_rccm_number",
    "attach_document",
    "attach_later_document",
    "confirm_signature",
    "declaration_text",
    "identifier_holder",
    "issue_certificate",
    "issue_rccm_extract",
    "record_identifier",
    "register_company",
    "register_entry",
    "reissue_certificate",
    "reject",
    "remove_party",
    "reopened_sections",
    "request_correction",
    "request_signature_code",
    "revoke_certificate",
    "revoke_company_document",
    "save_party",
    "save_section",
    "send_extract_reminders",
    "start_application",
    "step_approved",
]
