"""manage.py purge_personal_data [--dry-run]: erase abandoned drafts and replaced uploads."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from privacy.purge import (
    draft_retention_days,
    purge_personal_data,
    superseded_upload_retention_days,
)


class Command(BaseCommand):
    help = ("Erase drafts untouched for PRIVACY_DRAFT_RETENTION_DAYS and versions of uploads "
            "replaced for PRIVACY_SUPERSEDED_UPLOAD_RETENTION_DAYS (law 2019-014). "
            "Submitted filings and signed documents are never touched.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would be erased; erase nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        report = purge_personal_data(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {report.drafts} abandoned draft(s) (untouched for "
            f"{draft_retention_days()} days) with {report.draft_documents} document "
            f"version(s), and {report.superseded_uploads} replaced upload(s) (replaced "
            f"{superseded_upload_retention_days()} days ago or more).")
