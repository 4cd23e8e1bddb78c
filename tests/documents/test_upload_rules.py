"""More of what an applicant meets when uploading a supporting document: the shortest files
a signature allows, names cleaned before they are shown or kept, refusals and sizes in the
applicant's language, and bytes that must not outlive the rows that would keep them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from documents.models import StoredFile, SupportingDocument
from documents.uploads import (
    FILE_TYPES,
    UploadRejected,
    attach,
    check_upload,
    current_documents,
    detect_type,
    discard_upload,
    display_name,
    format_size,
    keep_upload,
    prepare_upload,
    versions,
)

MEBIBYTE = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def files_on_storage(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def user(make_user):
    return make_user("ama@example.tg")


@pytest.fixture
def subject(make_user):
    return make_user("dossier-7@example.tg")


# --- Typing by the bytes ----------------------------------------------------------------


@pytest.mark.parametrize(("head", "content_type"), [
    (b"%PDF-1.4\n", "application/pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\xff\xd8\xff\xe1\x00\x10Exif", "image/jpeg"),  # a phone's photo
    (PNG_SIGNATURE + b"\x00\x00\x00\rIHDR", "image/png"),
])
def test_the_first_bytes_tell_the_type(head, content_type):
    assert detect_type(head).content_type == content_type


@pytest.mark.parametrize("head", [
    b"", b"%PDF", b"%pdf-1.4", b"\xff\xd8", b"\x89PNG", b"\x89PNG\r\n\x1a", b"GIF89a",
    b"BM\x00\x00", b"II*\x00", b"PK\x03\x04", b"{\\rtf1",
])
def test_partial_signatures_and_other_formats_are_not_recognised(head):
    assert detect_type(head) is None


def test_every_accepted_type_is_recognised_from_its_own_signature_alone():
    for kind in FILE_TYPES:
        checked = check_upload(upload(f"piece.{kind.extension}", kind.signature))

        assert (checked.content_type, checked.size) == (kind.content_type, len(kind.signature))


def test_a_file_shorter_than_the_longest_signature_is_still_typed():
    checked = check_upload(upload("cni.jpg", b"\xff\xd8\xff\xdb"))

    assert checked.content_type == "image/jpeg"


def test_a_jpeg_named_png_is_refused_naming_both_types():
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("cni.png", b"\xff\xd8\xff\xe0" + b"\x00" * 64))

    assert "n'est pas une image PNG" in refused.value.message
    assert "c'est en réalité une image JPEG" in refused.value.message
    assert "l'extension .jpg" in refused.value.message


# --- Names ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "shown"), [
    ("statuts.pdf", "statuts.pdf"),
    ("C:\\fakepath\\statuts.pdf", "statuts.pdf"),
    ("/home/ama/Documents/statuts.pdf", "statuts.pdf"),
    ("stat\x00uts\r\n.pdf", "statuts.pdf"),
    ("\u202egnp.pdf", "gnp.pdf"),  # a right-to-left override would disguise the extension
    ("  bail signé.pdf  ", "bail signé.pdf"),
    (None, ""),
])
def test_names_are_shown_without_folders_or_invisible_characters(sent, shown):
    assert display_name(sent) == shown


def test_a_refusal_shows_the_cleaned_name():
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("..\\..\\secret\x07.pdf", b"GIF89a" + b"\x00" * 32))

    assert "« secret.pdf »" in refused.value.message


# --- In the applicant's language --------------------------------------------------------


@pytest.mark.parametrize(("size", "french", "english"), [
    (0, "0 octet", "0 bytes"),
    (1, "1 octet", "1 byte"),
    (1023, "1023 octets", "1023 bytes"),
    (1024, "1 Ko", "1 KB"),
    (1536, "1,5 Ko", "1.5 KB"),
    (MEBIBYTE - 1, "1024 Ko", "1024 KB"),  # rounded to one decimal
    (MEBIBYTE, "1 Mo", "1 MB"),
    (5 * MEBIBYTE // 2, "2,5 Mo", "2.5 MB"),
    (10 * MEBIBYTE, "10 Mo", "10 MB"),
])
def test_sizes_read_naturally_in_french_and_english(size, french, english):
    with translation.override("fr"):
        assert format_size(size) == french
    with translation.override("en"):
        assert format_size(size) == english


def test_refusals_are_in_english_for_who_reads_english(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 2 * MEBIBYTE

    with translation.override("en"), pytest.raises(UploadRejected) as too_big:
        check_upload(upload("big.pdf", b"%PDF-" + b"0" * (3 * MEBIBYTE)))
    with translation.override("en"), pytest.raises(UploadRejected) as empty:
        check_upload(upload("empty.pdf", b""))

    assert "2 MB" in too_big.value.message
    assert "dépasse" not in too_big.value.message
    assert "empty.pdf" in empty.value.message
    assert "vide" not in empty.value.message


# --- Keeping ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_jpeg_named_jpeg_is_kept_under_the_usual_jpg_extension(subject, user):
    document = attach(subject=subject, requirement="piece_identite",
                      uploaded_file=upload("CNI recto.JPEG", b"\xff\xd8\xff\xe0" + b"1" * 64),
                      user=user)

    assert document.stored_file.original_name == "CNI recto.jpg"
    assert document.stored_file.file.name.endswith(".jpg")
    assert document.stored_file.content_type == "image/jpeg"


@pytest.mark.django_db
def test_a_subject_without_documents_has_none_and_no_versions(subject):
    assert current_documents(subject) == {}
    assert list(versions(subject, "statuts")) == []


@pytest.mark.django_db
def test_an_oversize_replacement_leaves_the_current_version_in_place(subject, user, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    first = attach(subject=subject, requirement="bail",
                   uploaded_file=upload("bail.pdf", b"%PDF-1.7 v1"), user=user)

    with pytest.raises(UploadRejected, match=r"\(1 Ko\)"):
        attach(subject=subject, requirement="bail",
               uploaded_file=upload("bail.pdf", b"%PDF-" + b"0" * 2048), user=user)

    assert current_documents(subject) == {"bail": first}
    assert len(files_on_storage(settings)) == 1


@pytest.mark.django_db
def test_a_caller_whose_transaction_rolls_back_discards_the_prepared_bytes(subject, user,
                                                                           settings):
    """The protocol for callers with work of their own after the upload: prepare (bytes
    written, no lock), keep inside their transaction, discard if it does not commit."""
    prepared = prepare_upload(upload("statuts.pdf", b"%PDF-1.7 statuts"))
    assert len(files_on_storage(settings)) == 1  # written before any transaction
    with pytest.raises(RuntimeError):
        try:
            with transaction.atomic():
                keep_upload(subject=subject, requirement="statuts", prepared=prepared,
                            user=user)
                raise RuntimeError("recording the change failed after the upload")
        except BaseException:
            discard_upload(prepared)
            raise

    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    assert files_on_storage(settings) == []
