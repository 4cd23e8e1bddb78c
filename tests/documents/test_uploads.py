"""Supporting documents: the type is read from the bytes, the size is capped, the file is
kept once with its fingerprint, and a replacement is a new version beside the old one."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image
from reportlab.pdfgen import canvas

from documents import uploads
from documents.models import StoredFile, SupportingDocument
from documents.uploads import (
    UploadRejected,
    attach,
    check_upload,
    current_documents,
    format_size,
    stored_name,
    versions,
)

MEBIBYTE = 1024 * 1024


def pdf_bytes(text: str = "Statuts signés") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(image_format: str, colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format=image_format)
    return buffer.getvalue()


PDF = pdf_bytes()
JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def files_on_storage(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def read_back(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def user(make_user):
    return make_user("ama@example.tg")


@pytest.fixture
def subject(make_user):
    """Any saved model instance can carry documents; a user stands in for a filing."""
    return make_user("dossier-42@example.tg")


# --- Checking ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "content_type", "extension"), [
    ("statuts.pdf", PDF, "application/pdf", "pdf"),
    ("cni.jpg", JPEG, "image/jpeg", "jpg"),
    ("cni.JPEG", JPEG, "image/jpeg", "jpg"),
    ("bail.png", PNG, "image/png", "png"),
    ("STATUTS.PDF", PDF, "application/pdf", "pdf"),
])
def test_real_pdf_jpeg_and_png_files_are_accepted(name, data, content_type, extension):
    checked = check_upload(upload(name, data))

    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.data == data


def test_the_browsers_content_type_is_ignored():
    checked = check_upload(upload("photo.png", PNG, content_type="application/pdf"))

    assert checked.content_type == "image/png"


def test_a_png_renamed_pdf_is_refused_naming_what_it_really_is():
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("statuts.pdf", PNG, content_type="application/pdf"))

    assert refused.value.message == (
        "Le fichier « statuts.pdf » n'est pas un document PDF, bien que son nom l'indique : "
        "c'est en réalité une image PNG. Envoyez un document PDF, ou renommez le fichier "
        "avec l'extension .png."
    )


def test_a_pdf_renamed_jpg_is_refused():
    with pytest.raises(UploadRejected, match="n'est pas une image JPEG, bien que son nom "
                                             "l'indique : c'est en réalité un document PDF"):
        check_upload(upload("cni.jpg", PDF))


def test_an_image_with_a_foreign_extension_is_refused():
    with pytest.raises(UploadRejected, match=r"se termine par \.txt, mais son contenu est "
                                             r"une image PNG"):
        check_upload(upload("cni.txt", PNG))


def test_a_name_without_extension_takes_the_real_one():
    checked = check_upload(upload("scan", JPEG))

    assert checked.content_type == "image/jpeg"
    assert stored_name("scan", checked.extension) == "scan.jpg"


@pytest.mark.parametrize(("name", "data"), [
    ("notes.txt", "Ceci est un texte, pas une pièce.".encode()),
    ("statuts.pdf", b"Ceci n'est pas un PDF, malgre son nom."),
    ("statuts.docx", b"PK\x03\x04" + b"\x00" * 100),
    ("image.gif", b"GIF89a" + b"\x00" * 100),
    ("leading-space.pdf", b" %PDF-1.7\n"),
])
def test_anything_but_pdf_jpeg_or_png_is_refused(name, data):
    with pytest.raises(UploadRejected, match="n'est ni un document PDF, ni une image JPEG ou "
                                             "PNG : seuls ces formats sont acceptés"):
        check_upload(upload(name, data, content_type="application/pdf"))


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRejected, match=r"Le fichier « vide\.pdf » est vide\."):
        check_upload(upload("vide.pdf", b""))


def test_an_oversize_file_is_refused_with_the_limit_in_mo(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = MEBIBYTE
    data = PDF + b"\n%" + b"0" * (MEBIBYTE - len(PDF))

    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("gros.pdf", data))

    assert refused.value.message == (
        "Le fichier « gros.pdf » dépasse la taille maximale autorisée (1 Mo)."
    )


def test_the_default_limit_is_ten_mo(settings):
    del settings.DOCUMENT_UPLOAD_MAX_BYTES
    assert uploads.max_upload_bytes() == 10 * MEBIBYTE
    data = b"%PDF-" + b"0" * (10 * MEBIBYTE)

    with pytest.raises(UploadRejected, match=r"\(10 Mo\)"):
        check_upload(upload("gros.pdf", data))


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 4096
    data = PNG + b"\x00" * (4096 - len(PNG))

    assert check_upload(upload("juste.png", data)).size == 4096


class NeverRead(File):
    """A file that says how big it is and fails the test if anyone reads it."""

    def __init__(self, size: int) -> None:
        super().__init__(io.BytesIO(), name="enorme.pdf")
        self._declared = size

    @property
    def size(self) -> int:
        return self._declared

    def chunks(self, chunk_size=None):
        raise AssertionError("the file was read although its size was known to be too big")


def test_a_file_known_to_be_too_big_is_refused_without_reading_it(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = MEBIBYTE

    with pytest.raises(UploadRejected, match="dépasse la taille maximale"):
        check_upload(NeverRead(500 * MEBIBYTE))


class UnderstatedSize(File):
    """A streamed file (as on disk) whose declared size is wrong: the limit must hold
    while reading it, and reading must stop there."""

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(io.BytesIO(data), name=name)
        self.size = 10
        self.bytes_read = 0

    def chunks(self, chunk_size=None):
        for chunk in super().chunks(chunk_size):
            self.bytes_read += len(chunk)
            yield chunk


def test_the_limit_holds_while_reading_when_the_declared_size_is_wrong(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = MEBIBYTE
    lying = UnderstatedSize("faux.pdf", b"%PDF-" + b"0" * (8 * MEBIBYTE))

    with pytest.raises(UploadRejected, match=r"\(1 Mo\)"):
        check_upload(lying)

    assert lying.bytes_read <= MEBIBYTE + uploads.CHUNK_SIZE


@pytest.mark.parametrize(("size", "text"), [
    (10 * MEBIBYTE, "10 Mo"), (5 * MEBIBYTE // 2, "2,5 Mo"), (512 * 1024, "512 Ko"),
    (1, "1 octet"), (900, "900 octets"),
])
def test_sizes_read_the_french_way(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize(("name", "expected"), [
    ("statuts.pdf", "statuts.pdf"),
    ("C:\\Users\\Ama\\Documents\\bail signé.PDF", "bail signé.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("scan.png", "scan.pdf"),
    (".pdf", "document.pdf"),
    ("", "document.pdf"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_the_kept_name_is_the_files_own_with_its_real_extension(name, expected):
    assert stored_name(name, "pdf") == expected


# --- Keeping ----------------------------------------------------------------------------


def test_an_attached_file_is_kept_with_its_fingerprint(subject, user, settings):
    document = attach(subject=subject, requirement="statuts",
                      uploaded_file=upload("statuts.pdf", PDF, "text/plain"), user=user)

    document.refresh_from_db()
    stored = document.stored_file
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "statuts.pdf"
    assert read_back(stored) == PDF
    assert (document.version, document.is_current, document.replaces) == (1, True, None)
    assert document.uploaded_by == user
    assert document.subject == subject
    assert len(files_on_storage(settings)) == 1


def test_a_replacement_is_a_new_version_and_the_old_one_stays(subject, user, settings):
    first = attach(subject=subject, requirement="piece_identite:7",
                   uploaded_file=upload("cni.jpg", JPEG), user=user)
    second_bytes = image_bytes("PNG", "blue")

    second = attach(subject=subject, requirement="piece_identite:7",
                    uploaded_file=upload("cni-recto.png", second_bytes), user=user)

    first.refresh_from_db()
    second.refresh_from_db()
    assert SupportingDocument.objects.count() == 2
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current, second.replaces) == (2, True, first)
    assert read_back(first.stored_file) == JPEG
    assert read_back(second.stored_file) == second_bytes
    assert first.stored_file.file.storage.exists(first.stored_file.file.name)
    assert second.stored_file.file.storage.exists(second.stored_file.file.name)
    assert len(files_on_storage(settings)) == 2
    assert list(versions(subject, "piece_identite:7")) == [first, second]
    assert current_documents(subject) == {"piece_identite:7": second}


def test_the_same_bytes_uploaded_again_are_still_a_new_version(subject, user, settings):
    attach(subject=subject, requirement="bail", uploaded_file=upload("bail.pdf", PDF),
           user=user)

    again = attach(subject=subject, requirement="bail", uploaded_file=upload("bail.pdf", PDF),
                   user=user)

    assert again.version == 2
    assert len(files_on_storage(settings)) == 2


def test_versions_chain_back_to_the_first(subject, user):
    for index in range(3):
        latest = attach(subject=subject, requirement="bail",
                        uploaded_file=upload("bail.pdf", pdf_bytes(f"version {index}")),
                        user=user)

    chain = []
    while latest is not None:
        chain.append(latest.version)
        latest = latest.replaces
    assert chain == [3, 2, 1]
    assert [row.is_current for row in versions(subject, "bail")] == [False, False, True]


def test_requirements_and_subjects_are_kept_apart(subject, user, make_user):
    other = make_user("dossier-43@example.tg")
    statuts = attach(subject=subject, requirement="statuts",
                     uploaded_file=upload("statuts.pdf", PDF), user=user)
    bail = attach(subject=subject, requirement="bail", uploaded_file=upload("bail.png", PNG),
                  user=user)
    theirs = attach(subject=other, requirement="statuts",
                    uploaded_file=upload("statuts.pdf", PDF), user=user)

    assert current_documents(subject) == {"bail": bail, "statuts": statuts}
    assert current_documents(other) == {"statuts": theirs}
    assert theirs.version == 1


def test_a_real_filing_can_carry_documents(draft, entrepreneur):
    document = attach(subject=draft, requirement="statuts",
                      uploaded_file=upload("statuts.pdf", PDF), user=entrepreneur)

    assert document.subject == draft
    assert current_documents(draft) == {"statuts": document}


def test_a_refused_file_leaves_nothing_stored(subject, user, settings):
    kept = attach(subject=subject, requirement="statuts",
                  uploaded_file=upload("statuts.pdf", PDF), user=user)

    with pytest.raises(UploadRejected):
        attach(subject=subject, requirement="statuts",
               uploaded_file=upload("statuts.pdf", PNG), user=user)

    kept.refresh_from_db()
    assert kept.is_current
    assert SupportingDocument.objects.count() == 1
    assert StoredFile.objects.count() == 1
    assert len(files_on_storage(settings)) == 1


def test_a_failure_after_storing_removes_the_bytes_and_rows(subject, user, settings,
                                                           monkeypatch):
    kept = attach(subject=subject, requirement="statuts",
                  uploaded_file=upload("statuts.pdf", PDF), user=user)

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SupportingDocument.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        attach(subject=subject, requirement="statuts",
               uploaded_file=upload("statuts-v2.pdf", pdf_bytes("v2")), user=user)

    kept.refresh_from_db()
    assert kept.is_current
    assert StoredFile.objects.count() == 1
    assert files_on_storage(settings) == [Path(kept.stored_file.file.path)]


def test_a_concurrent_upload_is_followed_not_overwritten(subject, user, settings,
                                                        monkeypatch):
    """Our read of the current version was stale (another upload committed in between):
    the database refuses a second current version, and the retry builds on the other."""
    earlier = attach(subject=subject, requirement="statuts",
                     uploaded_file=upload("statuts.pdf", PDF), user=user)
    real_lookup = uploads._current_for_update
    calls = []

    def stale_then_real(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_lookup(*args)

    monkeypatch.setattr(uploads, "_current_for_update", stale_then_real)
    later = attach(subject=subject, requirement="statuts",
                   uploaded_file=upload("statuts.pdf", pdf_bytes("v2")), user=user)

    assert len(calls) == 2
    assert (later.version, later.replaces) == (2, earlier)
    assert SupportingDocument.objects.filter(is_current=True).count() == 1
    assert StoredFile.objects.count() == 2
    assert len(files_on_storage(settings)) == 2


def test_the_database_refuses_two_current_versions(subject, user):
    first = attach(subject=subject, requirement="statuts",
                   uploaded_file=upload("statuts.pdf", PDF), user=user)

    with pytest.raises(IntegrityError), transaction.atomic():
        SupportingDocument.objects.create(
            subject_type=first.subject_type, subject_id=first.subject_id,
            requirement="statuts", stored_file=first.stored_file.__class__.objects.create(
                file="documents/x.pdf", original_name="x.pdf", content_type="application/pdf",
                size=1, sha256="0" * 64),
            version=2, replaces=first, uploaded_by=user, is_current=True,
        )


@pytest.mark.parametrize("requirement", ["", "Statuts", "statuts/../x", "pièce", "a:b:c"])
def test_a_malformed_requirement_is_a_programming_error(subject, user, requirement):
    with pytest.raises(ValueError):
        attach(subject=subject, requirement=requirement,
               uploaded_file=upload("statuts.pdf", PDF), user=user)
    assert SupportingDocument.objects.count() == 0


def test_an_unsaved_subject_is_a_programming_error(user):
    from accounts.models import User

    with pytest.raises(ValueError):
        attach(subject=User(email="pas-encore@example.tg"), requirement="statuts",
               uploaded_file=upload("statuts.pdf", PDF), user=user)
