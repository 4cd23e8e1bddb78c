"""Uploaded personal documents are encrypted at rest, with restrictive permissions, and
read back in clear; issued certificates and older plain files still read as they are."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from documents.models import StoredFile
from documents.storage import SEALED_MARKER, SealedFileError, store_bytes
from registry.services import drafting
from tests.fees import submit_and_pay

from ..environments import manage, production_environment


def _attach_id_card(application, user, data: bytes):
    return drafting.attach_document(
        application_id=application.pk, user=user, requirement="statuts",
        uploaded_file=SimpleUploadedFile("cni.pdf", data, content_type="application/pdf"))


def test_the_bytes_on_disk_are_not_the_plaintext(draft, entrepreneur, id_card_pdf):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    on_disk = Path(document.stored_file.file.path).read_bytes()
    assert on_disk.startswith(SEALED_MARKER)
    assert id_card_pdf not in on_disk
    assert b"AGBEKO" not in on_disk and b"%PDF" not in on_disk


def test_reading_gives_back_the_plaintext_and_its_fingerprint(draft, entrepreneur,
                                                                id_card_pdf):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    stored = StoredFile.objects.get(pk=document.stored_file_id)
    with stored.file.open("rb") as handle:
        assert handle.read() == id_card_pdf
    # The fingerprint and size on record are the plaintext's (the signed snapshot uses them).
    assert stored.sha256 == hashlib.sha256(id_card_pdf).hexdigest()
    assert stored.size == len(id_card_pdf)


def test_a_clerk_downloads_the_plaintext(draft, entrepreneur, clerks, id_card_pdf):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    clerk = Client()
    clerk.force_login(clerks["guichet"])
    response = clerk.get(reverse("registry:staff_document",
                                 args=[draft.reference, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == id_card_pdf


def test_a_wrong_key_fails_loudly(draft, entrepreneur, id_card_pdf):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    with override_settings(DOCUMENTS_ENCRYPTION_KEY=Fernet.generate_key().decode(),
                           DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS=[]), \
            pytest.raises(SealedFileError, match="another key"):
        document.stored_file.file.open("rb")


def test_a_rotated_key_still_reads_older_files(draft, entrepreneur, id_card_pdf, settings):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    old_key = settings.DOCUMENTS_ENCRYPTION_KEY
    settings.DOCUMENTS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.DOCUMENTS_ENCRYPTION_PREVIOUS_KEYS = [old_key]
    with document.stored_file.file.open("rb") as handle:
        assert handle.read() == id_card_pdf


def test_files_written_in_clear_still_read(db):
    # Written before encryption, or an issued certificate (public, verified by anyone).
    stored = store_bytes(data=b"%PDF-1.7 certificat", filename="certificat.pdf",
                         content_type="application/pdf")
    assert Path(stored.file.path).read_bytes() == b"%PDF-1.7 certificat"
    with stored.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 certificat"


def test_kept_files_are_readable_by_the_server_user_only(draft, entrepreneur, id_card_pdf):
    document = _attach_id_card(draft, entrepreneur, id_card_pdf)
    path = Path(document.stored_file.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_production_refuses_to_start_without_the_key(tmp_path):
    result = manage("check", env=production_environment(tmp_path,
                                                        DOCUMENTS_ENCRYPTION_KEY=""))
    assert result.returncode != 0
    assert "DOCUMENTS_ENCRYPTION_KEY" in result.stderr


def test_production_refuses_a_key_that_is_not_a_fernet_key(tmp_path):
    env = production_environment(tmp_path, DOCUMENTS_ENCRYPTION_KEY="not-a-key")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "privacy.E001" in result.stderr
