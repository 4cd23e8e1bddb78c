"""The register as open data: a daily export of the public facts of every company.

One export is a folder `<OPEN_DATA_DIR>/<export id>/` in the default storage with:

- `registre.csv.gz`: CSV (RFC 4180: comma separator, double quotes, CRLF line ends), UTF-8
  without byte order mark, one header line, gzip-compressed;
- `registre.jsonl.gz`: the same rows as JSON Lines (one JSON object a line), gzip;
- `bods.jsonl.gz`: Beneficial Ownership Data Standard 0.4 statements as JSON Lines, gzip:
  one entity statement per company, and nothing else. Togo's law does not make beneficial
  owners public, so the export holds no person statement and no ownership-or-control
  statement (the registry keeps beneficial owners for the authorities only);
- `manifest.json`, written last (an export without it is incomplete and never served): when
  it was generated, and for each file its rows, size in bytes and SHA-256.

Public facts only (COLUMNS): no party of a filing, no address, no personal value. The rows
are read in one query, streamed (`values_list(...).iterator(chunk_size=...)`) into gzip
files on local temporary disk, then copied to storage: memory stays bounded whatever the
number of companies. The last OPEN_DATA_KEEP exports (default 7) are kept.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
import re
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflows.replica import reading_replica

from .. import reference
from ..models import Company

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2_000
DEFAULT_KEEP = 7
MANIFEST = "manifest.json"
CSV_FILE = "registre.csv.gz"
JSONL_FILE = "registre.jsonl.gz"
BODS_FILE = "bods.jsonl.gz"
# UTC time of the export to the microsecond: a manual run beside the daily one never collides.
EXPORT_ID = re.compile(r"^\d{8}T\d{12}Z$")
COMPRESSION_LEVEL = 6

LICENCE_NAME = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PUBLISHER = "Centre de formalités des entreprises du Togo (CFE), RCCM"
BODS_VERSION = "0.4"
RCCM_SCHEME = "TG-RCCM"
NIF_SCHEME = "TG-NIF"
RECORD_PREFIX = "tg-rccm-"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: Promise
    source: str  # the Company field it is read from


# The data dictionary: the columns of the CSV, the keys of the JSON Lines, in this order.
COLUMNS = (
    Column("rccm_number", "string", _("Numéro d'immatriculation au registre du commerce et "
                                      "du crédit mobilier (RCCM), unique."), "rccm_number"),
    Column("name", "string", _("Dénomination sociale (ou nom commercial de l'entreprise "
                               "individuelle)."), "name"),
    Column("legal_form", "string", _("Forme juridique OHADA, code : EI, SARL, SARLU, SA, SAS, "
                                     "SASU, SNC, SCS, GIE."), "legal_form"),
    Column("registration_date", "date (AAAA-MM-JJ)", _("Date d'immatriculation (heure de "
                                                       "Lomé)."), "registered_at"),
    Column("city", "string", _("Ville du siège social (l'adresse n'est pas publiée)."),
           "city"),
    Column("region", "string", _("Région du siège, code : maritime, plateaux, centrale, kara, "
                                 "savanes ; vide si non renseignée."), "region"),
    Column("activity_code", "string", _("Activité principale, code CITI Rév. 4 (division à "
                                        "2 chiffres ou classe à 4 chiffres)."),
           "activity_code"),
    Column("activity_label", "string", _("Intitulé de la division CITI Rév. 4 de l'activité "
                                         "principale."), "activity_code"),
    Column("status", "string", _("Situation : active (en activité), dissolved (dissoute, en "
                                 "liquidation), struck_off (radiée)."), "status"),
    Column("nif", "string", _("Numéro d'identification fiscale (NIF) ; vide s'il n'est pas "
                              "encore attribué."), "nif"),
)
# What is read from the database, in the order of the query.
FIELDS = ("rccm_number", "name", "legal_form", "registered_at", "city", "region",
          "activity_code", "status", "nif")


@dataclass(frozen=True)
class ExportedFile:
    name: str
    format: str
    content_type: str
    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Export:
    export_id: str
    generated_at: datetime
    files: list[ExportedFile]
    licence: str
    licence_url: str

    @property
    def rows(self) -> int:
        return self.files[0].rows if self.files else 0

    def file(self, name: str) -> ExportedFile | None:
        return next((item for item in self.files if item.name == name), None)


def open_data_dir() -> str:
    return settings.OPEN_DATA_DIR.strip("/")


def keep_count() -> int:
    return max(1, int(getattr(settings, "OPEN_DATA_KEEP", DEFAULT_KEEP)))


def storage() -> Storage:
    # Public data: the default storage as is (no encryption, unlike applicants' uploads).
    return storages["default"]


# --- writing ----------------------------------------------------------------------------------


class _CountingHash(io.RawIOBase):
    """A binary file that hashes and counts what is written through it to `target`."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha256.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


class _GzipText:
    """A gzip-compressed UTF-8 text stream into a temporary file, counted and hashed."""

    def __init__(self, name: str, file_format: str, content_type: str,
                 temporary: IO[bytes]) -> None:
        self.name = name
        self.format = file_format
        self.content_type = content_type
        self.rows = 0
        self.temporary = temporary
        self.counter = _CountingHash(self.temporary)
        # mtime=0 and no file name: the same rows always give the same bytes.
        self.gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self.counter, mtime=0,
                                  compresslevel=COMPRESSION_LEVEL)
        self.text = io.TextIOWrapper(self.gzip, encoding="utf-8", newline="",
                                     write_through=False)

    def finish(self) -> ExportedFile:
        self.text.flush()
        self.text.detach()
        self.gzip.close()
        self.temporary.seek(0)
        return ExportedFile(name=self.name, format=self.format, content_type=self.content_type,
                            rows=self.rows, bytes=self.counter.size,
                            sha256=self.counter.sha256.hexdigest())


@cache
def _activity_labels() -> dict[str, str]:
    return {division.code: division.label for division in reference.activity_divisions()}


def _public_rows(*, chunk_size: int):
    """Each company's public facts, in RCCM order, read by chunks (one query)."""
    zone = timezone.get_default_timezone()
    labels = _activity_labels()
    rows = (Company.objects.order_by("rccm_number").values_list(*FIELDS)
            .iterator(chunk_size=chunk_size))
    for rccm, name, form, registered_at, city, region, activity, status, nif in rows:
        yield (rccm, name, form, registered_at.astimezone(zone).date().isoformat(), city,
               region, activity, labels.get(activity[:2], "") if activity else "", status,
               nif)


def bods_statement(row: tuple, *, statement_date: str, publication: dict) -> dict[str, Any]:
    """The BODS 0.4 entity statement of one company's public row (COLUMNS order)."""
    rccm, name, form, registered, _city, _region, _activity, _label, status, nif = row
    identifiers = [{"id": rccm, "scheme": RCCM_SCHEME,
                    "schemeName": "Registre du commerce et du crédit mobilier (Togo)"}]
    if nif:
        identifiers.append({"id": nif, "scheme": NIF_SCHEME,
                            "schemeName": "Numéro d'identification fiscale (Togo)"})
    details = {
        "isComponent": False,
        "entityType": {"type": "registeredEntity", "details": form},
        "name": name,
        "jurisdiction": {"name": "Togo", "code": "TG"},
        "identifiers": identifiers,
        "foundingDate": registered,
    }
    record_id = RECORD_PREFIX + rccm
    # The same facts give the same statement id: a consumer sees what changed between days.
    facts = "\x1f".join((BODS_VERSION, record_id, status, name, form, registered, nif))
    digest = hashlib.sha256(facts.encode("utf-8")).hexdigest()
    return {
        "statementId": digest,
        "statementDate": statement_date,
        "annotations": [],
        "publicationDetails": publication,
        "declarationSubject": record_id,
        "recordId": record_id,
        "recordStatus": "closed" if status == "struck_off" else "new",
        "recordType": "entity",
        "recordDetails": details,
    }


def write_export(*, now: datetime | None = None, chunk_size: int = CHUNK_SIZE) -> Export:
    """Write today's export to storage (manifest last), then prune the older ones.

    Runs outside any transaction of the caller's: it only reads (the replica's rows when
    there is one), and holds no lock."""
    generated_at = (now or timezone.now()).astimezone(UTC)
    export_id = generated_at.strftime("%Y%m%dT%H%M%S%fZ")
    folder = f"{open_data_dir()}/{export_id}"
    target = storage()
    if target.exists(folder) or target.exists(f"{folder}/{MANIFEST}"):
        raise FileExistsError(f"open data export {export_id} exists already")
    publication = {"publicationDate": generated_at.date().isoformat(),
                   "bodsVersion": BODS_VERSION, "publisher": {"name": PUBLISHER},
                   "license": LICENCE_URL}
    statement_date = generated_at.date().isoformat()
    with ExitStack() as stack:
        table, lines, bods = outputs = [
            _GzipText(name, file_format, content_type,
                      stack.enter_context(tempfile.TemporaryFile()))
            for name, file_format, content_type in (
                (CSV_FILE, "csv", "text/csv"), (JSONL_FILE, "jsonl", "application/jsonl"),
                (BODS_FILE, "bods-jsonl", "application/jsonl"))]
        writer = csv.writer(table.text, lineterminator="\r\n")
        writer.writerow([column.name for column in COLUMNS])
        keys = [column.name for column in COLUMNS]
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        # Read from the database's replica when there is one (workflows.replica): the
        # export is a day's snapshot, seconds of lag do not matter, the primary is spared.
        with reading_replica():
            for row in _public_rows(chunk_size=chunk_size):
                writer.writerow(row)
                lines.text.write(dumps(dict(zip(keys, row, strict=True))) + "\n")
                bods.text.write(dumps(bods_statement(row, statement_date=statement_date,
                                                     publication=publication)) + "\n")
                table.rows += 1
        lines.rows = bods.rows = table.rows
        files = []
        try:
            for output in outputs:
                files.append(output.finish())
                _save(target, f"{folder}/{output.name}", output.temporary)
            export = Export(export_id=export_id, generated_at=generated_at, files=files,
                            licence=LICENCE_NAME, licence_url=LICENCE_URL)
            manifest = json.dumps(_manifest(export), ensure_ascii=False,
                                  indent=2).encode("utf-8")
            _save(target, f"{folder}/{MANIFEST}", io.BytesIO(manifest))
        except Exception:
            _delete_folder(target, folder)  # no half-written export left behind
            raise
    prune()
    logger.info("open data export %s: %s companies", export_id, export.rows)
    return export


def _save(target: Storage, name: str, content: IO[bytes]) -> None:
    """Copy to storage under exactly `name` (the storage copies by chunks)."""
    saved = target.save(name, File(content, name=name.rsplit("/", 1)[-1]))
    if saved != name:
        target.delete(saved)
        raise FileExistsError(f"{name} exists already in storage")


def _manifest(export: Export) -> dict[str, Any]:
    return {
        "export_id": export.export_id,
        "generated_at": export.generated_at.isoformat().replace("+00:00", "Z"),
        "publisher": PUBLISHER,
        "licence": {"name": export.licence, "url": export.licence_url},
        "csv": {"separator": ",", "quote": '"', "line_end": "CRLF", "encoding": "UTF-8",
                "header": True},
        "bods_version": BODS_VERSION,
        "columns": [{"name": column.name, "type": column.type} for column in COLUMNS],
        "files": [{"name": item.name, "format": item.format, "content_type": item.content_type,
                   "compression": "gzip", "rows": item.rows, "bytes": item.bytes,
                   "sha256": item.sha256} for item in export.files],
    }


# --- reading and pruning ----------------------------------------------------------------------


def _export_ids() -> list[str]:
    """The export folders in storage, newest first (complete or not)."""
    target = storage()
    if not target.exists(open_data_dir()):
        return []
    folders, _files = target.listdir(open_data_dir())
    return sorted((name for name in folders if EXPORT_ID.match(name)), reverse=True)


def read_export(export_id: str) -> Export | None:
    """An export as its manifest describes it; None if it is incomplete or unknown."""
    if not EXPORT_ID.match(export_id):
        return None
    name = f"{open_data_dir()}/{export_id}/{MANIFEST}"
    target = storage()
    if not target.exists(name):
        return None
    with target.open(name, "rb") as handle:
        data = json.loads(handle.read().decode("utf-8"))
    return Export(
        export_id=data["export_id"],
        generated_at=datetime.fromisoformat(data["generated_at"].replace("Z", "+00:00")),
        files=[ExportedFile(name=item["name"], format=item["format"],
                            content_type=item["content_type"], rows=item["rows"],
                            bytes=item["bytes"], sha256=item["sha256"])
               for item in data["files"]],
        licence=data["licence"]["name"], licence_url=data["licence"]["url"])


def latest_export() -> Export | None:
    """The newest complete export (its manifest written), or None."""
    for export_id in _export_ids():
        export = read_export(export_id)
        if export is not None:
            return export
    return None


def open_file(export: Export, name: str) -> tuple[IO[bytes], str, int]:
    """One file of an export (or its manifest), opened from storage, with its content type
    and size; LookupError for any other name (only names the manifest lists are ever
    opened: no path comes from a request)."""
    path = f"{open_data_dir()}/{export.export_id}/"
    if name == MANIFEST:
        target = storage()
        return (target.open(path + MANIFEST, "rb"), "application/json",
                target.size(path + MANIFEST))
    item = export.file(name)
    if item is None:
        raise LookupError(name)
    return storage().open(path + item.name, "rb"), "application/gzip", item.bytes


def prune(*, keep: int | None = None) -> list[str]:
    """Delete exports older than the `keep` newest complete ones (OPEN_DATA_KEEP), and
    incomplete ones older than those kept; returns the deleted export ids."""
    keep = keep or keep_count()
    ids = _export_ids()
    complete = [export_id for export_id in ids if read_export(export_id) is not None]
    if len(complete) <= keep:
        return []
    oldest_kept = complete[keep - 1]
    removed = [export_id for export_id in ids if export_id < oldest_kept]
    target = storage()
    for export_id in removed:
        _delete_folder(target, f"{open_data_dir()}/{export_id}")
    return removed


def _delete_folder(target: Storage, folder: str) -> None:
    if not target.exists(folder):
        return
    # The manifest first: a half-deleted export is never served as complete.
    names = sorted(target.listdir(folder)[1], key=lambda name: name != MANIFEST)
    for name in names:
        target.delete(f"{folder}/{name}")
    try:
        target.delete(folder)  # a file system keeps the empty folder; object stores have none
    except OSError:
        logger.warning("open data: could not remove the folder %s", folder)
