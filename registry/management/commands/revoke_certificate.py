"""manage.py revoke_certificate RCCM --reason "…" [--actor e-mail]

Revokes a company's certificate of registration and notifies its owner (legal notice, by
e-mail). The public verification page shows it revoked from then on.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents.issuing import DocumentError
from registry import services
from registry.models import Company


class Command(BaseCommand):
    help = "Revoke a company's certificate of registration (audited, owner notified)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("rccm_number")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--actor", help="e-mail of the registrar who decided it")

    def handle(self, *args, rccm_number: str, reason: str, actor: str | None,
               **options) -> None:
        company = Company.objects.filter(rccm_number=rccm_number).first()
        if company is None:
            raise CommandError(f"No company has the RCCM number {rccm_number!r}.")
        user = get_user_model().objects.filter(email=actor).first() if actor else None
        if actor and user is None:
            raise CommandError(f"No user has the e-mail {actor!r}.")
        try:
            services.revoke_certificate(company=company, reason=reason, actor=user)
        except (DocumentError, services.FilingError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Certificate of {company} revoked; the owner is notified.")
