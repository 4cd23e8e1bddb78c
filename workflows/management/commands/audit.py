"""manage.py audit verify: walk the hash chain and name the first broken event."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from workflows import audit
from workflows.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options) -> None:
        broken = audit.verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at event #{broken.sequence}: {broken.reason}")
        self.stdout.write(self.style.SUCCESS(
            f"audit chain intact: {AuditEvent.objects.count()} events"))
