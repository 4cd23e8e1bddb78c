"""manage.py workflow check FILE | publish | list | summaries [--open] [--batch N]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflows import summaries
from workflows.definitions import DefinitionError, load_file, sync_all, validate
from workflows.models import Desk, WorkflowDefinition


class Command(BaseCommand):
    help = "Check a procedure definition file, publish the shipped ones, or list versions."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a definition file without publishing")
        check.add_argument("file", type=Path)
        sub.add_parser("publish", help="publish every registered procedure whose file changed")
        sub.add_parser("list", help="list the published versions")
        summaries = sub.add_parser(
            "summaries", help="copy every case's summary (file number, name, applicant, "
                              "identifiers: what the queues search) from its subject again")
        summaries.add_argument("--open", action="store_true", help="only cases not ended")
        summaries.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, action: str, **options) -> None:
        if action == "check":
            self._check(options["file"])
        elif action == "summaries":
            changed = summaries.refresh_summaries(batch_size=options["batch"],
                                                 open_only=options["open"])
            self.stdout.write(f"summaries changed: {changed}")
        elif action == "publish":
            for definition in sync_all():
                self.stdout.write(f"{definition.code} v{definition.version}")
        else:
            for definition in WorkflowDefinition.objects.order_by("code", "version"):
                self.stdout.write(f"{definition.code} v{definition.version} "
                                  f"{definition.published_at:%Y-%m-%d %H:%M} "
                                  f"{definition.checksum[:12]}")

    def _check(self, path: Path) -> None:
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            spec = load_file(path)
            validate(spec, desk_codes=set(Desk.objects.values_list("code", flat=True)))
        except DefinitionError as error:
            raise CommandError(f"{path.name}: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"{path.name}: {spec['code']} is valid ({len(spec['steps'])} steps)"))
