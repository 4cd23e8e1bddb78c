"""A supporting document is checked and written before the filing is locked; if keeping it
fails afterwards, its bytes go too (nothing half-kept, no orphaned identity scan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.models import StoredFile, SupportingDocument
from registry.services import FilingError, common, drafting

from ..journeys import pdf_upload


def _files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_failure_after_the_bytes_are_written_removes_them(draft, entrepreneur, settings,
                                                            monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(drafting, "_changed", broken)
    with pytest.raises(RuntimeError):
        drafting.attach_document(application_id=draft.pk, user=entrepreneur,
                                 requirement="statuts", uploaded_file=pdf_upload("statuts.pdf"))
    assert not SupportingDocument.objects.exists()
    assert not StoredFile.objects.exists()
    assert _files(settings) == []


def test_the_filing_is_checked_again_under_the_lock(draft, entrepreneur, settings,
                                                    monkeypatch):
    """The filing was submitted while the file was being written: nothing is kept."""
    from documents import uploads

    real_prepare = uploads.prepare_upload

    def prepare_then_submit(uploaded_file):
        prepared = real_prepare(uploaded_file)
        type(draft).objects.filter(pk=draft.pk).update(state="in_review")
        return prepared

    monkeypatch.setattr(common, "prepare_upload", prepare_then_submit)
    with pytest.raises(FilingError, match="ne peut plus être modifiée"):
        drafting.attach_document(application_id=draft.pk, user=entrepreneur,
                                 requirement="statuts", uploaded_file=pdf_upload("statuts.pdf"))
    assert not SupportingDocument.objects.exists()
    assert _files(settings) == []


def test_an_unrequested_document_is_refused_before_anything_is_written(draft, entrepreneur,
                                                                       settings):
    with pytest.raises(FilingError, match="n'est pas demandée"):
        drafting.attach_document(application_id=draft.pk, user=entrepreneur,
                                 requirement="bail_commercial_inconnu",
                                 uploaded_file=pdf_upload("x.pdf"))
    assert _files(settings) == []
