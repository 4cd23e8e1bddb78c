"""Writes while the applicant prepares a filing: sections, people, documents.

Every function checks that the filing may still be changed there (a draft; under a
correction request, only the sections sent back), saves as it goes, and leaves the
filing intact on bad input.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import audit

from .. import filing
from ..legal_forms import LegalForm
from ..models import Application, Party
from .common import FilingError, attach_checked, locked

SECTION_FIELDS = {
    "names": ("company_name", "alternative_names", "acronym", "trade_name"),
    "form": ("legal_form",),
    "activity": ("activity_code", "business_purpose"),
    "office": ("region", "prefecture", "city", "registered_office"),
    "capital": ("capital", "share_count", "share_nominal", "duration_years"),
}
PARTY_FIELDS = (
    "kind", "roles", "first_name", "last_name", "birth_date", "birth_place", "nationality",
    "id_document_number", "legal_name", "registration_number", "representative", "address",
    "shares", "cash_contribution", "in_kind_contribution", "in_kind_description",
    "skills_contribution", "ownership_percent",
)


def _editable(application: Application, section: str) -> None:
    if not application.may_edit(section):
        raise FilingError(_("Cette partie du dossier ne peut plus être modifiée."))


def _changed(application: Application, user, section: str) -> None:
    # A code sent for the filing as it was can no longer sign it.
    application.signature_challenges.filter(used_at__isnull=True).update(
        used_at=timezone.now())
    audit.record(obj=application, action=f"edit:{section}", from_state=application.state,
                 to_state=application.state, actor=user)


@audit.atomic
def start_application(*, owner, legal_form: str = LegalForm.SARL) -> Application:
    """A new, empty draft: the applicant fills it in section by section."""
    application = Application.objects.create(owner=owner, reference="", legal_form=legal_form)
    application.reference = f"CFE-{timezone.localdate().year}-{application.pk:06d}"
    application.save(update_fields=["reference"])
    audit.record(obj=application, action="create", to_state=application.state, actor=owner)
    return application


@audit.atomic
def save_section(*, application_id: int, user, section: str, data: dict) -> Application:
    """Save one section's fields (already validated by its form)."""
    application = locked(application_id)
    _editable(application, section)
    for name in SECTION_FIELDS[section]:
        if name in data:
            setattr(application, name, data[name])
    if section == "form" and not filing.has_capital(application):
        application.capital = application.share_count = application.share_nominal = None
    application.save()
    _changed(application, user, section)
    return application


@audit.atomic
def save_party(*, application_id: int, user, data: dict, party_id: int | None = None) -> Party:
    application = locked(application_id)
    _editable(application, "people")
    party = (application.parties.get(pk=party_id) if party_id is not None
             else Party(application=application))
    for name in PARTY_FIELDS:
        if name in data:
            setattr(party, name, data[name])
    party.save()
    _changed(application, user, "people")
    return party


@audit.atomic
def remove_party(*, application_id: int, user, party_id: int) -> None:
    application = locked(application_id)
    _editable(application, "people")
    application.parties.filter(pk=party_id).delete()
    _changed(application, user, "people")


def attach_document(*, application_id: int, user, requirement: str, uploaded_file):
    """Keep a supporting document for one line of the checklist (a new version if any).

    The file is checked and written before the filing is locked (no lock held across the
    storage's I/O); what the lock guards is then checked again before it is kept.
    """
    return attach_checked(
        application_id=application_id, user=user, requirement=requirement,
        uploaded_file=uploaded_file,
        may_attach=lambda application: _may_attach(application, requirement),
        record=lambda application: _changed(application, user, "documents"))


def _may_attach(application: Application, requirement: str) -> None:
    _editable(application, "documents")
    codes = {line.requirement.code for line in filing.document_lines(application)}
    if requirement not in codes:
        raise FilingError(_("Cette pièce n'est pas demandée pour ce dossier."))


@audit.atomic
def application_create(*, owner, data: dict, founder: dict) -> Application:
    """A complete draft in one call: the filing's facts and one natural person who is the
    sole partner and manager (used by the demo data and the tests; people file section by
    section through the functions below)."""
    application = start_application(owner=owner, legal_form=data.get("legal_form", "SARL"))
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
