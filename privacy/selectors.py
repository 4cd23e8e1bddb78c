"""Reads for personal-data rights: what may be erased, what a person's data is, and which
staff accesses a supervisor may see."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from documents.models import SupportingDocument
from registry.models import Application, ApplicationState, FilingSignature
from workflows.models import AuditEvent, Case, DeskMembership

from .models import StaffAccess

# A filing in these states is on, or about to be on, the register: nothing of it is erased.
REGISTER_STATES = (ApplicationState.APPROVED, ApplicationState.REGISTERED)
# A filing in these states is being worked on by the desks.
IN_PROGRESS_STATES = (ApplicationState.PENDING_PAYMENT, ApplicationState.IN_REVIEW,
                      ApplicationState.CORRECTION_REQUESTED, ApplicationState.APPROVED)


def application_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


def unsubmitted_filings() -> QuerySet[Application]:
    """Filings that never left their applicant: a draft, or withdrawn before submission.

    Never signed, never given to a desk, never numbered: no law asks to keep them.
    """
    return Application.objects.filter(
        state__in=(ApplicationState.DRAFT, ApplicationState.WITHDRAWN),
        submitted_at__isnull=True, rccm_number__isnull=True,
    ).exclude(
        Exists(FilingSignature.objects.filter(application=OuterRef("pk")))
    ).exclude(
        Exists(Case.objects.filter(subject_type=application_type(), subject_id=OuterRef("pk")))
    )


def abandoned_drafts(*, now: datetime, days: int) -> QuerySet[Application]:
    """Unsubmitted filings nobody touched (no edit, no upload) for `days` days."""
    cutoff = now - timedelta(days=days)
    recent_event = AuditEvent.objects.filter(
        object_type=Application._meta.label_lower,
        object_id=Cast(OuterRef("pk"), output_field=CharField()), at__gte=cutoff)
    recent_upload = SupportingDocument.objects.filter(
        subject_type=application_type(), subject_id=OuterRef("pk"), uploaded_at__gte=cutoff)
    return (unsubmitted_filings().filter(created_at__lt=cutoff)
            .exclude(Exists(recent_event)).exclude(Exists(recent_upload)).order_by("pk"))


def superseded_upload_candidates(*, now: datetime, days: int) -> QuerySet[SupportingDocument]:
    """Replaced versions of filings' documents, replaced `days` days ago or more, whose file
    is still kept, on filings not on the register (see signed_versions for the rest)."""
    cutoff = now - timedelta(days=days)
    replaced = SupportingDocument.objects.filter(replaces=OuterRef("pk"), uploaded_at__lt=cutoff)
    on_register = Application.objects.filter(state__in=REGISTER_STATES).values("pk")
    return (SupportingDocument.objects
            .filter(subject_type=application_type(), is_current=False,
                    stored_file__erased_at__isnull=True)
            .filter(Exists(replaced))
            .exclude(subject_id__in=on_register)
            .select_related("stored_file").order_by("subject_id", "pk"))


def signed_versions(application_id: int) -> set[tuple[str, int]]:
    """(requirement, version) of every document the applicant signed for: part of the
    record of a submission, kept like it."""
    signed = set()
    for snapshot in FilingSignature.objects.filter(
            application_id=application_id).values_list("snapshot", flat=True):
        for requirement, facts in (snapshot or {}).get("documents", {}).items():
            signed.add((requirement, int(facts.get("version", 0))))
    return signed


def is_erasable_version(document: SupportingDocument) -> bool:
    """A replaced version of a filing not on the register that was never submitted: not
    in any signed snapshot, and replaced before the filing first went to the desks (a
    version replaced later may have been seen and decided on: it stays)."""
    if document.is_current:
        return False
    application = Application.objects.filter(pk=document.subject_id).first()
    if application is None or application.state in REGISTER_STATES:
        return False
    if (document.requirement, document.version) in signed_versions(application.pk):
        return False
    if application.submitted_at is None:
        return True
    replaced_at = document.replacements.order_by("uploaded_at").values_list(
        "uploaded_at", flat=True).first()
    return replaced_at is not None and replaced_at < application.submitted_at


def supervised_desk_ids(user) -> list[int]:
    return list(DeskMembership.objects.filter(user=user, is_supervisor=True)
                .values_list("desk_id", flat=True))


def may_see_staff_accesses(user) -> bool:
    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or supervised_desk_ids(user)))


def staff_accesses_visible_to(user, *, filing_reference: str = "") -> QuerySet[StaffAccess]:
    """A supervisor sees the accesses of the members of the desks they supervise; an
    administrator (superuser) sees all of them."""
    if not may_see_staff_accesses(user):
        return StaffAccess.objects.none()
    accesses = StaffAccess.objects.select_related("staff", "data_subject")
    if not user.is_superuser:
        members = DeskMembership.objects.filter(
            desk_id__in=supervised_desk_ids(user)).values("user_id")
        accesses = accesses.filter(staff_id__in=members)
    if filing_reference:
        accesses = accesses.filter(filing_reference=filing_reference.strip())
    return accesses.order_by("-at", "-pk")


def accesses_to_data_of(user) -> QuerySet[StaffAccess]:
    """Who among the staff looked at this person's data (shown in their export)."""
    return StaffAccess.objects.filter(data_subject=user).select_related("staff").order_by("at")


def audit_events_about(user) -> QuerySet[AuditEvent]:
    """Audit events the person made, or about their filings."""
    filings = [str(pk) for pk in Application.objects.filter(owner=user)
               .values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(actor=user) | Q(object_type=Application._meta.label_lower, object_id__in=filings)
    ).order_by("sequence")
