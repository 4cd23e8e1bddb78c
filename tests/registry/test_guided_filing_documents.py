"""The guided filing's supporting documents: typed by their bytes, kept with their
fingerprint and versions, following the people of the filing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from documents.models import StoredFile, SupportingDocument
from documents.uploads import versions
from registry import filing

from ..journeys import pdf_bytes
from .filings import build, messages_of, sarl_plan, text
from .guided import upload, url


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def undocumented(entrepreneur):
    return build(entrepreneur, sarl_plan(), documents=False)


def test_a_png_renamed_pdf_is_refused_in_french_and_nothing_is_stored(
    applicant, undocumented, settings
):
    response = upload(applicant, undocumented, "statuts", "statuts.pdf", _png())

    assert response.status_code == 200
    assert ("Le fichier « statuts.pdf » n'est pas un document PDF, bien que son nom "
            "l'indique : c'est en réalité une image PNG." in messages_of(response)[0])
    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    assert _files(settings) == []
    assert "Manquante" in text(response)


def test_an_oversize_file_is_refused_and_nothing_is_stored(applicant, undocumented, settings):
    data = pdf_bytes("Statuts " * 40)
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    assert len(data) > 1024

    response = upload(applicant, undocumented, "statuts", "statuts.pdf", data)

    assert ("Le fichier « statuts.pdf » dépasse la taille maximale autorisée (1 Ko)."
            in messages_of(response))
    assert not SupportingDocument.objects.exists()
    assert _files(settings) == []


def test_an_upload_is_kept_with_the_sha256_of_its_bytes(applicant, undocumented, entrepreneur):
    data = pdf_bytes("Bail commercial, 12 rue du Commerce")

    response = upload(applicant, undocumented, "justificatif_siege", "bail.pdf", data)

    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.requirement == "justificatif_siege"
    assert document.is_current and document.version == 1
    assert document.uploaded_by == entrepreneur
    stored = document.stored_file
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.content_type == "application/pdf"
    with stored.file.open("rb") as handle:
        assert handle.read() == data
    page = text(applicant.get(url("documents", undocumented)))
    assert "Reçue bail.pdf · version 1" in page
    assert (filing.snapshot(undocumented)["documents"]["justificatif_siege"]["sha256"]
            == hashlib.sha256(data).hexdigest())


def test_a_replacement_keeps_the_old_version(applicant, undocumented):
    first, second = pdf_bytes("Statuts, version 1"), pdf_bytes("Statuts, version 2")
    upload(applicant, undocumented, "statuts", "statuts.pdf", first)

    response = upload(applicant, undocumented, "statuts", "statuts-signes.pdf", second)

    assert response.status_code == 302
    old, new = versions(undocumented, "statuts")
    assert (old.version, old.is_current, new.version, new.is_current) == (1, False, 2, True)
    assert new.replaces == old
    assert old.stored_file.sha256 == hashlib.sha256(first).hexdigest()
    with old.stored_file.file.open("rb") as handle:
        assert handle.read() == first
    assert new.stored_file.sha256 == hashlib.sha256(second).hexdigest()
    assert "statuts-signes.pdf · version 2" in text(applicant.get(url("documents",
                                                                       undocumented)))


@pytest.mark.parametrize("requirement", [
    "rapport_commissaire_apports",  # a real kind of document, not asked of this filing
    "piece_identite:999999",  # nobody of that id in the filing
    "statuts_bis", "",
])
def test_a_document_not_in_the_checklist_is_refused(applicant, undocumented, requirement):
    response = upload(applicant, undocumented, requirement, "piece.pdf", pdf_bytes())

    assert "Cette pièce n'est pas demandée pour ce dossier." in messages_of(response)
    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()


def test_a_post_without_a_file_asks_for_one(applicant, undocumented):
    response = applicant.post(url("documents", undocumented), {"requirement": "statuts"})
    assert "Choisissez un fichier à envoyer." in messages_of(response)
    assert not SupportingDocument.objects.exists()


def test_the_checklist_follows_the_people(applicant, undocumented):
    party = undocumented.parties.get()
    codes = [code for code, _ in _requirement_codes(applicant, undocumented)]
    assert codes == ["statuts", "justificatif_siege", f"piece_identite:{party.pk}",
                     f"declaration_non_interdiction:{party.pk}", f"casier_judiciaire:{party.pk}"]


def _requirement_codes(client, application):
    from ..journeys import requirements_on_page

    return requirements_on_page(client, application)
