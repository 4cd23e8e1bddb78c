"""Erasure by schedule (law 2019-014: data kept no longer than needed): abandoned drafts,
and replaced versions of uploads, after the periods set in settings. What a register or
a signature needs is never touched: submitted filings, filings on the register, and every
version an applicant signed for."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from documents.models import SupportingDocument
from documents.uploads import erase_superseded_version
from workflows import audit

from . import selectors
from .services import erase_unsubmitted_filing


@dataclass
class PurgeReport:
    drafts: int = 0
    draft_documents: int = 0
    superseded_uploads: int = 0
    dry_run: bool = False


def draft_retention_days() -> int:
    return int(settings.PRIVACY_DRAFT_RETENTION_DAYS)


def superseded_upload_retention_days() -> int:
    return int(settings.PRIVACY_SUPERSEDED_UPLOAD_RETENTION_DAYS)


def purge_personal_data(*, now=None, dry_run: bool = False) -> PurgeReport:
    """Erase what is due (or, with dry_run, count it): one transaction per filing or file,
    each one checked again under its lock, so a draft edited meanwhile stays."""
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run)
    draft_days = draft_retention_days()
    drafts = list(selectors.abandoned_drafts(now=now, days=draft_days)
                  .values_list("pk", flat=True))
    if dry_run:
        report.drafts = len(drafts)
        report.draft_documents = SupportingDocument.objects.filter(
            subject_type=selectors.application_type(), subject_id__in=drafts).count()
    else:
        reason = (f"Brouillon abandonné : aucune modification depuis {draft_days} jours "
                  "(loi 2019-014)")
        for application_id in drafts:
            erased = erase_unsubmitted_filing(application_id=application_id, reason=reason,
                                              now=now, untouched_days=draft_days)
            if erased is not None:
                report.drafts += 1
                report.draft_documents += erased
    upload_days = superseded_upload_retention_days()
    reason = f"Version remplacée depuis plus de {upload_days} jours (loi 2019-014)"
    candidates = selectors.superseded_upload_candidates(now=now, days=upload_days)
    if dry_run:  # the drafts' versions are already counted with them
        candidates = candidates.exclude(subject_id__in=drafts)
    for document in candidates.iterator():
        if not selectors.is_erasable_version(document):
            continue
        if dry_run:
            report.superseded_uploads += 1
            continue
        with audit.atomic():
            locked = SupportingDocument.objects.select_for_update().filter(
                pk=document.pk).first()
            if locked is None or not selectors.is_erasable_version(locked):
                continue
            if erase_superseded_version(document=locked, reason=reason, now=now):
                report.superseded_uploads += 1
    return report
