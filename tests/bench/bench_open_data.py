"""Open-data export benchmark: the real export (registry.public.opendata.write_export) over
N registered companies in PostgreSQL.

    make bench-open-data                  # 1,000,000 companies
    make bench-open-data ROWS=100000
    .venv/bin/python -m tests.bench.bench_open_data --rows 100000

A throw-away PostgreSQL database is migrated, then loaded with SQL (INSERT ... SELECT
generate_series, no ORM per row): N filings (registry_application, the minimal row a
Company's one-to-one needs) and N companies with varied public facts (forms, regions,
cities, activities, statuses, NIF for 9 in 10; names with accents, commas and quotes).

The export is run twice, into a temporary MEDIA_ROOT: once plain, for its wall time, rows
per second and the growth of the process's resident set (ru_maxrss after minus before);
once under tracemalloc, for the peak of Python allocations. Target: both at most 200 MB,
whatever N. The baseline, in the same run: PostgreSQL's own `COPY (SELECT the same columns
ORDER BY rccm_number) TO STDOUT (FORMAT csv)` read to the end by the client, bare and then
gzip-compressed (the floor for one CSV; the export writes three files).
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import sys
import tempfile
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from .common import machine, throwaway_database  # noqa: E402

settings.DEBUG = False  # no query log: the figures are production's

TARGET_MEMORY_MB = 200
BATCH = 200_000
FORMS = ("SARL", "SARL", "SARL", "EI", "EI", "SARLU", "SAS", "SASU", "SA", "SNC", "GIE")
REGIONS = ("maritime", "maritime", "maritime", "plateaux", "centrale", "kara", "savanes", "")
CITIES = ("Lomé", "Lomé", "Lomé", "Kpalimé", "Atakpamé", "Sokodé", "Kara", "Dapaong",
          "Tsévié", "Aného")
ACTIVITIES = ("4610", "47", "4711", "56", "62", "01", "4923", "68", "")
NAMES = ("Éléphant Bleu", "Soleil Levant", "Baobab, Fils & Cie", 'Le "Grand" Marché',
         "Lomé Négoce", "Kara Transit", "Atakpamé Agro", "Golfe Services")


def _array(values) -> str:
    return "ARRAY[" + ",".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _pick(values, expression: str) -> str:
    return f"({_array(values)})[1 + ({expression}) %% {len(values)}]"


def load(rows: int) -> None:
    """N minimal filings and N companies, by batches of BATCH (INSERT ... SELECT)."""
    from django.contrib.auth import get_user_model

    from registry.models import Application, Company

    from .bench_queue import _insert_select

    owner = get_user_model().objects.create_user(email="bench-open-data@example.tg")
    for first in range(1, rows + 1, BATCH):
        last = min(rows, first + BATCH - 1)
        name = f"{_pick(NAMES, 'i')} || ' ' || i"
        _insert_select(Application, {
            "reference": "'OD-' || lpad(i::text, 8, '0')",
            "owner_id": str(owner.pk),
            "state": "'registered'",
            "legal_form": _pick(FORMS, "i"),
            "company_name": name,
            "normalized_name": f"lower({name})",
            "rccm_number": "'TG-LFW-01-2026-B12-' || lpad(i::text, 8, '0')",
        }, "generate_series(%s, %s) AS i", (first, last))
        _insert_select(Company, {
            "application_id": "a.id",
            "name": "a.company_name",
            "normalized_name": "a.normalized_name",
            "legal_form": "a.legal_form",
            "rccm_number": "a.rccm_number",
            "registered_office": "'1 rue du Siège, Lomé'",
            "nif": "CASE WHEN i %% 10 = 0 THEN '' ELSE '2' || lpad(i::text, 9, '0') END",
            "registered_at": "now() - (i %% 900) * interval '1 day' - i * interval '1 second'",
            "region": _pick(REGIONS, "i * 7"),
            "city": _pick(CITIES, "i * 3"),
            "activity_code": _pick(ACTIVITIES, "i * 5"),
            "status": "CASE WHEN i %% 50 = 0 THEN 'struck_off' WHEN i %% 70 = 0 "
                      "THEN 'dissolved' ELSE 'active' END",
        }, "generate_series(%s, %s) AS i JOIN registry_application a "
           "ON a.reference = 'OD-' || lpad(i::text, 8, '0')", (first, last))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_application; ANALYZE registry_company")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _status_mb(key: str) -> float | None:
    """VmRSS or VmHWM (peak resident set) of this process, from /proc (Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+), so the next peak is the export's own."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def run_export(*, traced: bool):
    from registry.public import opendata

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    export = opendata.write_export()
    elapsed = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return export, elapsed, peak / 1024 / 1024


BASELINE_SQL = ("COPY (SELECT rccm_number, name, legal_form, registered_at, city, region, "
                "activity_code, status, nif FROM registry_company ORDER BY rccm_number) "
                "TO STDOUT (FORMAT csv, HEADER)")


class _Sink:
    """A binary file that only counts what is written to it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def baseline(*, compress: bool) -> tuple[float, int]:
    """COPY of the same columns read to the end (bytes discarded, or gzipped to a file)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, connection.cursor() as cursor:
        if compress:
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as packer:
                cursor.cursor.copy_expert(BASELINE_SQL, packer)
            size = out.tell()
        else:
            sink = _Sink()
            cursor.cursor.copy_expert(BASELINE_SQL, sink)
            size = sink.size
    return time.perf_counter() - started, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = args.rows
    print(f"# machine: {machine()}")
    with tempfile.TemporaryDirectory() as media, throwaway_database():
        settings.MEDIA_ROOT = media
        from registry.models import Company

        started = time.perf_counter()
        load(rows)
        print(f"load_time: {time.perf_counter() - started:.1f} s")
        print(f"data_companies: {Company.objects.count()} companies")

        before = _maxrss_mb()
        resident = _status_mb("VmRSS")
        reset = _reset_peak_rss()
        export, elapsed, _peak = run_export(traced=False)
        rss_growth = _maxrss_mb() - before
        if reset and resident is not None:
            peak_rss = _status_mb("VmHWM")
            print(f"export_peak_rss: {peak_rss:.1f} MB (VmHWM; {resident:.1f} MB resident "
                  f"before, +{peak_rss - resident:.1f} MB)")
            rss_growth = max(rss_growth, peak_rss - resident)
        print(f"export_time: {elapsed:.1f} s")
        print(f"export_rate: {rows / elapsed:,.0f} rows/s")
        print(f"export_rss_growth: {rss_growth:.1f} MB (the larger of the VmHWM growth and "
              f"ru_maxrss after - before, {before:.0f} MB before)")
        for item in export.files:
            print(f"export_file_{item.name}: {item.bytes / 1024 / 1024:.1f} MB, "
                  f"{item.rows} rows")
        assert export.rows == rows, (export.rows, rows)

        traced, traced_elapsed, peak = run_export(traced=True)
        print(f"export_tracemalloc_peak: {peak:.1f} MB (run under tracemalloc: "
              f"{traced_elapsed:.1f} s)")
        assert traced.rows == rows

        bare, size = baseline(compress=False)
        print(f"baseline_copy_time: {bare:.1f} s ({size / 1024 / 1024:.0f} MB of CSV, "
              f"{rows / bare:,.0f} rows/s)")
        packed, packed_size = baseline(compress=True)
        print(f"baseline_copy_gzip_time: {packed:.1f} s ({packed_size / 1024 / 1024:.1f} MB "
              f"gzip, {rows / packed:,.0f} rows/s)")
        print(f"export_vs_copy_gzip: {elapsed / packed:.1f} x (three files against one)")
    for label, ok in ((f"RSS growth <= {TARGET_MEMORY_MB} MB", rss_growth <= TARGET_MEMORY_MB),
                      (f"tracemalloc peak <= {TARGET_MEMORY_MB} MB", peak <= TARGET_MEMORY_MB)):
        print(f"# target {label}: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
