"""The open-data export: the companies' public facts only, streamed into gzip files in
storage with a manifest; the old exports pruned; served by name from the latest manifest."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse

from registry import tasks
from registry.models import Application, Company, CompanyStatus, Party
from registry.public import opendata

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
# Values of the filings' people and owners: none may appear in any exported file.
PERSONAL = ("Kossiwa", "Adjovi-Personnelle", "Tsévié-Secret", "TG-CNI-999111", "PASS-778899",
            "45 rue Privée", "Quartier Confidentiel", "prive.demandeur@example.tg",
            "+228 90 11 22 33", "1979-04-02", "12 rue du Siège-Caché")


@pytest.fixture
def register(make_user):
    owner = make_user("prive.demandeur@example.tg")
    owner.phone = "+228 90 11 22 33"
    owner.save(update_fields=["phone"])
    rows = (
        ("SARL", "Éléphant Bleu", "maritime", "Lomé", "4610", CompanyStatus.ACTIVE,
         "1000000001"),
        ("EI", 'Boutique "Le Baobab", Kara', "kara", "Kara", "47", CompanyStatus.STRUCK_OFF, ""),
        ("SA", "Golfe Services", "", "", "", CompanyStatus.DISSOLVED, "1000000003"),
    )
    companies = []
    for number, (form, name, region, city, activity, status, nif) in enumerate(rows, 1):
        application = Application.objects.create(
            reference=f"CFE-OD-{number}", owner=owner, legal_form=form, company_name=name,
            region=region, city=city or "Lomé", activity_code=activity,
            registered_office="12 rue du Siège-Caché")
        Party.objects.create(
            application=application, first_name="Kossiwa", last_name="Adjovi-Personnelle",
            birth_place="Tsévié-Secret", birth_date=datetime(1979, 4, 2).date(),
            id_document_number="TG-CNI-999111" if number % 2 else "PASS-778899",
            address="45 rue Privée, Quartier Confidentiel", roles=["manager", "partner"])
        companies.append(Company.objects.create(
            application=application, name=name, legal_form=form,
            rccm_number=f"TG-LFW-01-2026-B12-{number:05d}",
            registered_office="12 rue du Siège-Caché, Lomé", nif=nif, region=region,
            city=city, activity_code=activity, status=status,
            registered_at=datetime(2026, 3, number, 23, 30, tzinfo=UTC)))
    return companies


def _stored(export: opendata.Export, name: str) -> bytes:
    path = f"{opendata.open_data_dir()}/{export.export_id}/{name}"
    with storages["default"].open(path, "rb") as handle:
        return handle.read()


def _lines(export, name: str) -> list[dict]:
    text = gzip.decompress(_stored(export, name)).decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _expected(company: Company) -> dict:
    return {
        "rccm_number": company.rccm_number, "name": company.name,
        "legal_form": company.legal_form,
        "registration_date": company.registered_at.date().isoformat(),
        "city": company.city, "region": company.region,
        "activity_code": company.activity_code, "status": company.status,
        "nif": company.nif,
    }


def test_the_csv_holds_every_company_and_its_public_facts_only(register):
    export = opendata.write_export(now=NOW)

    raw = gzip.decompress(_stored(export, opendata.CSV_FILE))
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without byte order mark
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert list(rows[0]) == [column.name for column in opendata.COLUMNS]
    by_number = {row["rccm_number"]: row for row in rows}
    assert len(rows) == Company.objects.count() == 3
    for company in register:
        row = by_number[company.rccm_number]
        assert {key: row[key] for key in _expected(company)} == _expected(company)
    assert by_number[register[0].rccm_number]["activity_label"].startswith("Commerce de gros")
    assert by_number[register[1].rccm_number]["name"] == 'Boutique "Le Baobab", Kara'


def test_the_json_lines_equal_the_companies(register):
    export = opendata.write_export(now=NOW)

    rows = _lines(export, opendata.JSONL_FILE)
    assert len(rows) == 3
    assert sorted((row["rccm_number"], row) for row in rows) == sorted(
        (company.rccm_number, {**_expected(company), "activity_label": row["activity_label"]})
        for company, row in zip(sorted(register, key=lambda c: c.rccm_number),
                                sorted(rows, key=lambda r: r["rccm_number"]), strict=True))


def test_the_bods_statements_are_entity_statements_with_the_required_fields(register):
    export = opendata.write_export(now=NOW)

    statements = _lines(export, opendata.BODS_FILE)
    assert len(statements) == 3
    assert {statement["recordType"] for statement in statements} == {"entity"}
    by_number = {}
    for statement in statements:
        assert 32 <= len(statement["statementId"]) <= 64
        assert statement["statementDate"] == "2026-11-30"
        assert statement["recordId"] == statement["declarationSubject"]
        assert statement["publicationDetails"]["bodsVersion"] == "0.4"
        assert statement["publicationDetails"]["publisher"]["name"]
        details = statement["recordDetails"]
        assert details["name"]
        assert details["isComponent"] is False
        assert details["entityType"]["type"] == "registeredEntity"
        rccm = [item["id"] for item in details["identifiers"] if item["scheme"] == "TG-RCCM"]
        assert len(rccm) == 1
        by_number[rccm[0]] = statement
    assert set(by_number) == {company.rccm_number for company in register}
    assert by_number[register[1].rccm_number]["recordStatus"] == "closed"  # struck off
    assert len({statement["statementId"] for statement in statements}) == 3
    # No person statements, no ownership-or-control statements: entities only.
    assert not any(statement["recordType"] in ("person", "relationship")
                   for statement in statements)


def test_no_personal_value_appears_in_any_file(register):
    export = opendata.write_export(now=NOW)

    for item in export.files:
        text = gzip.decompress(_stored(export, item.name)).decode("utf-8")
        for value in PERSONAL:
            assert value not in text, (item.name, value)
            assert json.dumps(value)[1:-1] not in text, (item.name, value)
    manifest = _stored(export, opendata.MANIFEST).decode("utf-8")
    assert not any(value in manifest for value in PERSONAL)


def test_the_manifest_sizes_and_fingerprints_match_the_stored_files(register):
    export = opendata.write_export(now=NOW)

    manifest = json.loads(_stored(export, opendata.MANIFEST))
    assert manifest["generated_at"] == "2026-11-30T05:00:00Z"
    assert manifest["licence"]["name"].startswith("Licence Ouverte")
    assert [item["name"] for item in manifest["files"]] == [
        opendata.CSV_FILE, opendata.JSONL_FILE, opendata.BODS_FILE]
    for item in manifest["files"]:
        data = _stored(export, item["name"])
        assert item["bytes"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["rows"] == 3
        gzip.decompress(data)  # a valid gzip file


def test_an_empty_register_gives_a_header_and_empty_files(db):
    export = opendata.write_export(now=NOW)

    assert gzip.decompress(_stored(export, opendata.CSV_FILE)).decode().startswith(
        "rccm_number,name,legal_form")
    assert gzip.decompress(_stored(export, opendata.JSONL_FILE)) == b""
    assert export.rows == 0


def test_only_the_last_exports_are_kept(register, settings):
    settings.OPEN_DATA_KEEP = 2
    ids = [opendata.write_export(now=NOW + timedelta(days=day)).export_id
           for day in range(4)]

    folders, _files = storages["default"].listdir(opendata.open_data_dir())
    assert sorted(folders) == ids[2:]
    assert opendata.latest_export().export_id == ids[3]


def test_an_incomplete_export_is_never_served(register):
    done = opendata.write_export(now=NOW)
    storages["default"].save(f"{opendata.open_data_dir()}/20991231T000000000000Z/registre.csv.gz",
                             io.BytesIO(b"partial"))

    assert opendata.latest_export().export_id == done.export_id


def test_the_task_and_the_command_write_an_export(register):
    export_id = tasks.export_open_data.delay().get()
    assert opendata.read_export(export_id).rows == 3

    out = io.StringIO()
    call_command("export_open_data", "--chunk-size", "1", stdout=out)
    assert "registre.csv.gz: 3 rows" in out.getvalue()


def test_the_page_lists_the_latest_files_and_the_dictionary(client, register):
    export = opendata.write_export(now=NOW)

    page = client.get(reverse("guide:open_data")).content.decode()
    for item in export.files:
        assert reverse("guide:open_data_download", args=[item.name]) in page
        assert item.sha256 in page
    for column in opendata.COLUMNS:
        assert f"<code>{column.name}</code>" in page
    assert "Licence Ouverte" in page
    assert opendata.open_data_dir() + "/" not in page  # no storage path


def test_the_page_says_when_no_export_exists_yet(client, db):
    response = client.get(reverse("guide:open_data"))

    assert response.status_code == 200
    assert "Aucun export" in response.content.decode()
    assert client.get(reverse("guide:open_data_download",
                              args=[opendata.CSV_FILE])).status_code == 404


def test_a_download_streams_the_stored_file(client, register):
    export = opendata.write_export(now=NOW)

    response = client.get(reverse("guide:open_data_download", args=[opendata.CSV_FILE]))
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert body == _stored(export, opendata.CSV_FILE)
    assert response["Content-Disposition"].startswith("attachment")
    manifest = client.get(reverse("guide:open_data_download", args=[opendata.MANIFEST]))
    assert manifest.status_code == 200


@pytest.mark.parametrize("name", ["inconnu.csv.gz", "..", "..%2F..%2Fsettings.py",
                                  "%2E%2E%2Fmanifest.json", "registre.csv"])
def test_an_unknown_name_is_a_404(client, register, name):
    opendata.write_export(now=NOW)

    assert client.get(f"/donnees-ouvertes/telecharger/{name}").status_code == 404
    assert client.get("/donnees-ouvertes/telecharger/../../config/settings.py"
                      ).status_code == 404


def test_a_failed_export_leaves_nothing_behind(register, monkeypatch):
    done = opendata.write_export(now=NOW)
    saved = opendata._save

    def failing(target, name, content):
        if name.endswith(opendata.BODS_FILE):
            raise OSError("disk full")
        return saved(target, name, content)

    monkeypatch.setattr(opendata, "_save", failing)
    with pytest.raises(OSError):
        opendata.write_export(now=NOW + timedelta(hours=1))

    folders, _files = storages["default"].listdir(opendata.open_data_dir())
    assert folders == [done.export_id]
