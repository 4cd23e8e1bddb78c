"""The only way a kept file's bytes go: past 20 years, named one by one, with a reason."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents.models import RetentionError, StoredFile
from documents.retention import erase_expired_file
from workflows import audit


class Command(BaseCommand):
    help = ("Erase the bytes of stored files kept 20 years or more (audited); refuses every "
            "file if one of them is younger.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file_ids", nargs="+", type=int, metavar="STORED_FILE_ID")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--actor", help="e-mail of the archivist who decided it")

    def handle(self, *args, file_ids: list[int], reason: str, actor: str | None,
               **options) -> None:
        user = get_user_model().objects.filter(email=actor).first() if actor else None
        if actor and user is None:
            raise CommandError(f"No user has the e-mail {actor!r}.")
        files = list(StoredFile.objects.filter(pk__in=file_ids).order_by("pk"))
        missing = set(file_ids) - {stored.pk for stored in files}
        if missing:
            raise CommandError(f"No stored file with id {sorted(missing)}.")
        try:
            with audit.atomic():
                for stored in files:
                    erase_expired_file(stored_file=stored, reason=reason, actor=user)
        except RetentionError as error:
            raise CommandError(f"Nothing erased: {error}") from error
        for stored in files:
            self.stdout.write(f"Erased stored file {stored.pk} ({stored.sha256}).")
