from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents import selectors
from documents.issuing import DocumentError, revoke


class Command(BaseCommand):
    help = "Revoke an issued document by its verification code (audited)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("code")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--actor", help="e-mail of the staff member who decided it")

    def handle(self, *args, code: str, reason: str, actor: str | None, **options) -> None:
        document = selectors.issued_document_by_code(code)
        if document is None:
            raise CommandError(f"No issued document has the code {code!r}.")
        user = get_user_model().objects.filter(email=actor).first() if actor else None
        if actor and user is None:
            raise CommandError(f"No user has the e-mail {actor!r}.")
        try:
            revoke(document=document, reason=reason, actor=user)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Revoked {document} on {document.revoked_at:%Y-%m-%d %H:%M} UTC.")
