"""`manage.py payments reconcile [--date YYYY-MM-DD] [--settle]`: list every online payment
of a day whose state or amount differs between the provider and us (exit status 1 when
there is one); --settle also asks the providers about every pending payment now (what the
beat task does every few minutes)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payments import services


class Command(BaseCommand):
    help = "Payments operations: reconcile with the providers."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="List mismatches with the providers.")
        reconcile.add_argument("--date", type=date.fromisoformat, default=None,
                               help="The day the payments were started (default: today).")
        reconcile.add_argument("--settle", action="store_true",
                               help="First settle pending payments with the providers.")

    def handle(self, *args, action: str, **options) -> None:
        if action != "reconcile":
            raise CommandError(f"unknown action {action}")
        if options["settle"]:
            counts = services.reconcile_pending(older_than=timedelta(0), limit=10_000)
            self.stdout.write(f"settled: {counts}")
        day = options["date"] or timezone.localdate()
        mismatches = services.reconciliation_report(day=day)
        self.stdout.write(f"day: {day.isoformat()}")
        for item in mismatches:
            self.stdout.write(
                f"{item.reference}\t{item.invoice}\tours={item.ours}\ttheirs={item.theirs}"
                f"\tamount={item.our_amount}/{item.their_amount}")
        self.stdout.write(f"mismatches: {len(mismatches)}")
        if mismatches:
            raise SystemExit(1)
