"""Everything held about a person, in one ZIP (law 2019-014, right of access): a JSON of
their account, preferences, filings with their people, documents, signatures,
notifications, audit entries and staff accesses, and the files they uploaded, in clear."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from documents.models import SupportingDocument
from notifications.models import Notification
from registry.models import Application, Company, FilingSignature

from . import selectors
from .models import CorrectionRequest

FORMAT_VERSION = 1
ACCOUNT_FIELDS = ("email", "first_name", "last_name", "phone", "preferred_language",
                  "notify_by_email", "notify_by_sms", "date_joined", "last_login")
APPLICATION_FIELDS = (
    "reference", "state", "legal_form", "company_name", "alternative_names", "acronym",
    "trade_name", "activity_code", "business_purpose", "capital", "share_count",
    "share_nominal", "duration_years", "region", "prefecture", "city", "registered_office",
    "correction_message", "correction_fields", "decision_reason", "rccm_number", "nif",
    "employer_number", "created_at", "submitted_at", "decided_at",
)
PARTY_FIELDS = (
    "kind", "roles", "first_name", "last_name", "birth_date", "birth_place", "nationality",
    "id_document_number", "legal_name", "registration_number", "representative", "address",
    "shares", "cash_contribution", "in_kind_contribution", "in_kind_description",
    "skills_contribution", "ownership_percent",
)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj, names) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def personal_data(user) -> tuple[dict, list[tuple[str, SupportingDocument]]]:
    """The JSON document, and the uploaded files to add (path in the archive, version)."""
    application_type = ContentType.objects.get_for_model(Application)
    files: list[tuple[str, SupportingDocument]] = []
    filings = []
    for application in Application.objects.filter(owner=user).prefetch_related("parties"):
        documents = []
        for document in SupportingDocument.objects.filter(
                subject_type=application_type, subject_id=application.pk
        ).select_related("stored_file").order_by("requirement", "version"):
            stored = document.stored_file
            entry = {"requirement": document.requirement, "version": document.version,
                     "current": document.is_current, "uploaded_at": _plain(document.uploaded_at),
                     "name": stored.original_name, "content_type": stored.content_type,
                     "size": stored.size, "sha256": stored.sha256,
                     "erased_at": _plain(stored.erased_at)}
            if stored.erased_at is None:
                requirement = document.requirement.replace(":", "-")
                entry["file"] = (f"fichiers/{application.reference}/"
                                 f"{requirement}-v{document.version}-{stored.original_name}")
                files.append((entry["file"], document))
            documents.append(entry)
        company = Company.objects.filter(application=application).first()
        filings.append({
            **_fields(application, APPLICATION_FIELDS),
            "people": [_fields(party, PARTY_FIELDS) for party in application.parties.all()],
            "documents": documents,
            "signatures": [
                {"signed_at": _plain(signature.signed_at), "ip_address": signature.ip_address,
                 "declaration": signature.declaration, "snapshot": signature.snapshot,
                 "snapshot_sha256": signature.snapshot_sha256}
                for signature in FilingSignature.objects.filter(application=application)
            ],
            "company": None if company is None else {
                "name": company.name, "rccm_number": company.rccm_number,
                "registered_at": _plain(company.registered_at),
                "certificate_code": (company.certificate.grouped_code
                                     if company.certificate else None),
            },
        })
    data = {
        "format": FORMAT_VERSION,
        "exported_at": _plain(timezone.now()),
        "account": {
            **_fields(user, ACCOUNT_FIELDS),
            "email_addresses": [
                {"email": address.email, "verified": address.verified,
                 "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)],
            "second_factors": sorted(Authenticator.objects.filter(user=user)
                                     .values_list("type", flat=True)),
        },
        "filings": filings,
        "notifications": [
            {"event": notification.event, "title": notification.title,
             "body": notification.body, "created_at": _plain(notification.created_at),
             "read_at": _plain(notification.read_at),
             "deliveries": [
                 {"channel": delivery.channel, "address": delivery.address,
                  "subject": delivery.subject, "text": delivery.text,
                  "status": delivery.status, "sent_at": _plain(delivery.sent_at)}
                 for delivery in notification.deliveries.all()]}
            for notification in Notification.objects.filter(recipient=user)
            .prefetch_related("deliveries").order_by("created_at", "pk")
        ],
        "correction_requests": [
            {"filing": request.filing_reference, "message": request.message,
             "status": request.status, "created_at": _plain(request.created_at),
             "response": request.response, "handled_at": _plain(request.handled_at)}
            for request in CorrectionRequest.objects.filter(requester=user).order_by("pk")
        ],
        "audit_events": [
            {"at": _plain(event.at), "action": event.action, "object": event.object_type,
             "from_state": event.from_state, "to_state": event.to_state,
             "by_you": event.actor_id == user.pk}
            for event in selectors.audit_events_about(user)
        ],
        "staff_accesses": [
            {"at": _plain(access.at), "staff": str(access.staff), "view": access.view_name,
             "filing": access.filing_reference, "document_id": access.document_id}
            for access in selectors.accesses_to_data_of(user)
        ],
    }
    return data, files


def write_archive(user):
    """The ZIP, in a temporary file (rewound), ready to stream; the caller closes it."""
    data, files = personal_data(user)
    # Closed by the FileResponse that streams it.
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("mes-donnees.json",
                        json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for path, document in files:
            with document.stored_file.file.open("rb") as handle:
                zipped.writestr(path, handle.read())
    archive.seek(0)
    return archive
