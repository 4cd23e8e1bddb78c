"""Bytes written before their row is committed, whose writer died: swept, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest

from documents import storage
from documents.tasks import sweep_unrecorded_files

pytestmark = pytest.mark.django_db


def _write(name: str) -> storage.WrittenFile:
    return storage.write_bytes(data=b"%PDF-1.7 " + name.encode(), filename=f"{name}.pdf",
                               content_type="application/pdf")


def test_bytes_without_a_row_are_swept_and_recorded_files_stay(settings):
    orphan = _write("orphelin")  # the process died before record_written()
    kept = storage.record_written(_write("garde"))
    files = storage._stored_file_model()._meta.get_field("file").storage

    assert storage.sweep_unrecorded(older_than=timedelta(0)) == [orphan.name]
    assert not files.exists(orphan.name)
    assert files.exists(kept.file.name)
    assert storage.sweep_unrecorded(older_than=timedelta(0)) == []


def test_a_file_still_young_enough_to_be_committed_is_left_alone(settings):
    young = _write("en-cours")
    settings.DOCUMENTS_UNRECORDED_GRACE_SECONDS = 3600
    assert sweep_unrecorded_files() == 0
    files = storage._stored_file_model()._meta.get_field("file").storage
    assert files.exists(young.name)
