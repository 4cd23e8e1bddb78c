"""Twenty years' retention: only the audited retention_erase command removes a file's
bytes, and it refuses any file younger than 20 years."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from documents.models import StoredFile
from documents.storage import store_bytes
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


def kept(days_old: int) -> StoredFile:
    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")
    StoredFile.objects.filter(pk=stored.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    stored.refresh_from_db()
    return stored


def test_a_file_younger_than_twenty_years_is_refused_and_kept(django_capture_on_commit_callbacks):
    young = kept(days_old=365 * 20 - 10)
    with django_capture_on_commit_callbacks(execute=True), \
            pytest.raises(CommandError, match="must be kept until"):
        call_command("retention_erase", young.pk, reason="Fin de conservation")
    young.refresh_from_db()
    assert young.erased_at is None
    assert young.file.storage.exists(young.file.name)
    assert not AuditEvent.objects.filter(action="retention_erase").exists()


def test_a_file_past_twenty_years_is_erased_with_its_record_kept_and_audited(
    make_user, django_capture_on_commit_callbacks
):
    archivist = make_user("archives@cfe.example.tg")
    old = kept(days_old=365 * 20 + 6)
    sha256 = old.sha256
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_erase", old.pk, reason="Délai légal de 20 ans échu",
                     actor=archivist.email)
    old.refresh_from_db()
    assert old.erased_at is not None
    assert old.erasure_reason == "Délai légal de 20 ans échu"
    assert old.sha256 == sha256
    assert not old.file.storage.exists(old.file.name)
    event = AuditEvent.objects.get(action="retention_erase", object_id=str(old.pk))
    assert event.actor == archivist
    assert event.comment == "Délai légal de 20 ans échu"


def test_one_young_file_in_the_batch_and_nothing_is_erased(django_capture_on_commit_callbacks):
    old, young = kept(days_old=365 * 21), kept(days_old=30)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        call_command("retention_erase", old.pk, young.pk, reason="Fin de conservation")
    old.refresh_from_db()
    assert old.erased_at is None
    assert old.file.storage.exists(old.file.name)
