"""Development only: a local CA and a seal certificate, so documents are sealed locally."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents import pki
from documents.signing import development_seal_name


class Command(BaseCommand):
    help = "Create the development CA and seal certificate (refused in production)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--directory", type=Path,
                            default=Path(settings.DOCUMENT_SIGNING_DEV_DIR))

    def handle(self, *args, directory: Path, **options) -> None:
        if not settings.DOCUMENT_SIGNING_ALLOW_DEV_KEY:
            raise CommandError(
                "Production (DJANGO_DEBUG=0) does not use a development key: configure the "
                "registry's seal (DOCUMENT_SIGNING_PKCS12 or DOCUMENT_SIGNING_KEY/CERT)."
            )
        existing = pki.PkiFiles(directory).exists()
        created = pki.ensure_development_pki(directory, seal_name=development_seal_name())
        self.stdout.write(
            f"{'Kept the existing' if existing else 'Created a'} development CA and seal in "
            f"{created.directory}:\n"
            f"  root certificate  {created.root_cert}\n"
            f"  seal certificate  {created.seal_cert}\n"
            f"  seal key          {created.seal_key}\n"
            "Used automatically while DJANGO_DEBUG is on and no key is configured."
        )
