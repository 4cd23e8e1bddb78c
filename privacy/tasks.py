"""Celery entry points of the privacy app (thin: they call a service)."""

from __future__ import annotations

import logging

from celery import shared_task

from .purge import purge_personal_data as purge

logger = logging.getLogger(__name__)


@shared_task(name="privacy.tasks.purge_personal_data", acks_late=True)
def purge_personal_data() -> dict:
    """Erase abandoned drafts and replaced uploads that are due (beat, daily; idempotent)."""
    report = purge()
    logger.info("Personal data purge: %s", report)
    return {"drafts": report.drafts, "draft_documents": report.draft_documents,
            "superseded_uploads": report.superseded_uploads}
