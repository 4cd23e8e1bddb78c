"""Write the register's open-data export now (what the daily task does)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from registry.public import opendata


class Command(BaseCommand):
    help = ("Export the public facts of every company (CSV, JSON Lines, BODS 0.4, gzip) to "
            "OPEN_DATA_DIR in storage, and keep the last OPEN_DATA_KEEP exports.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--chunk-size", type=int, default=opendata.CHUNK_SIZE,
                            help="rows read from the database at a time")

    def handle(self, *args, chunk_size: int, **options) -> None:
        export = opendata.write_export(chunk_size=chunk_size)
        for item in export.files:
            self.stdout.write(f"{item.name}: {item.rows} rows, {item.bytes} bytes, "
                              f"sha256 {item.sha256}")
        self.stdout.write(self.style.SUCCESS(f"open data export {export.export_id} written"))
