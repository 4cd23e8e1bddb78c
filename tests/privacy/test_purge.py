"""Erasure by schedule: abandoned drafts and replaced uploads go (rows and files);
submitted and registered filings, and every version an applicant signed for, stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents.models import StoredFile, SupportingDocument
from privacy.purge import purge_personal_data
from privacy.tasks import purge_personal_data as purge_task
from registry.models import Application, FilingSignature, Party
from registry.services import drafting
from tests.fees import submit_and_pay
from workflows.models import AuditEvent

from .conftest import upload, upload_after_submission

DRAFT_DAYS = 180
UPLOAD_DAYS = 90


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.PRIVACY_DRAFT_RETENTION_DAYS = DRAFT_DAYS
    settings.PRIVACY_SUPERSEDED_UPLOAD_RETENTION_DAYS = UPLOAD_DAYS


def _later(days: int):
    return timezone.now() + timedelta(days=days)


def _purge(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return purge_personal_data(**kwargs)


def _on_disk(stored: StoredFile) -> bool:
    return Path(stored.file.storage.path(stored.file.name)).exists()


def test_an_abandoned_draft_is_erased_with_its_people_and_files(
        draft, entrepreneur, django_capture_on_commit_callbacks):
    document = upload(draft, entrepreneur)
    stored = document.stored_file
    path = Path(stored.file.path)
    assert path.exists()

    report = _purge(django_capture_on_commit_callbacks, now=_later(DRAFT_DAYS + 1))

    assert (report.drafts, report.draft_documents) == (1, 1)
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Party.objects.filter(application_id=draft.pk).exists()
    assert not SupportingDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    stored.refresh_from_db()
    # The row stays as a tombstone (retention.py refuses deletions): no name, no path.
    assert stored.erased_at is not None
    assert stored.original_name == StoredFile.ERASED_NAME and stored.file.name == ""
    assert AuditEvent.objects.filter(object_type="registry.application",
                                     object_id=str(draft.pk), action="erase").exists()


def test_a_recent_draft_and_a_draft_touched_recently_stay(
        draft, second_draft, entrepreneur, django_capture_on_commit_callbacks):
    now = _later(DRAFT_DAYS + 1)
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=3)):
        drafting.save_section(application_id=second_draft.pk, user=entrepreneur,
                              section="names", data={"acronym": "LV"})

    report = _purge(django_capture_on_commit_callbacks, now=_later(DRAFT_DAYS - 1))
    assert report.drafts == 0
    assert Application.objects.filter(pk__in=[draft.pk, second_draft.pk]).count() == 2

    report = _purge(django_capture_on_commit_callbacks, now=now)
    assert report.drafts == 1
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.filter(pk=second_draft.pk).exists()


def test_submitted_and_registered_filings_are_never_touched(
        registered, entrepreneur, django_capture_on_commit_callbacks):
    documents = list(SupportingDocument.objects.filter(subject_id=registered.pk))
    report = _purge(django_capture_on_commit_callbacks, now=_later(10 * 365))
    assert (report.drafts, report.superseded_uploads) == (0, 0)
    registered.refresh_from_db()
    assert registered.parties.exists()
    for document in documents:
        document.stored_file.refresh_from_db()
        assert document.stored_file.erased_at is None


def test_a_replaced_version_goes_after_its_period_and_the_current_one_stays(
        draft, entrepreneur, django_capture_on_commit_callbacks):
    first = upload(draft, entrepreneur, text="version 1")
    second = upload(draft, entrepreneur, text="version 2")
    drafting.save_section(application_id=draft.pk, user=entrepreneur, section="names",
                          data={"acronym": "EB"})

    assert _purge(django_capture_on_commit_callbacks,
                  now=_later(UPLOAD_DAYS - 1)).superseded_uploads == 0
    report = _purge(django_capture_on_commit_callbacks, now=_later(UPLOAD_DAYS + 1))

    assert (report.drafts, report.superseded_uploads) == (0, 1)
    first.refresh_from_db()
    first.stored_file.refresh_from_db()
    second.stored_file.refresh_from_db()
    assert first.stored_file.erased_at is not None and first.stored_file.file.name == ""
    assert second.stored_file.erased_at is None and _on_disk(second.stored_file)
    # The version chain stays: version 2 still says it replaced version 1.
    assert second.replaces_id == first.pk


def test_a_version_replaced_after_submission_stays(
        draft, entrepreneur, django_capture_on_commit_callbacks):
    before = upload(draft, entrepreneur, text="brouillon")
    submitted_version = upload(draft, entrepreneur, text="version soumise")
    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    upload_after_submission(draft, entrepreneur, "statuts", "version corrigée")

    report = _purge(django_capture_on_commit_callbacks, now=_later(10 * 365))

    assert report.superseded_uploads == 1  # the one replaced before the submission
    before.stored_file.refresh_from_db()
    submitted_version.stored_file.refresh_from_db()
    assert before.stored_file.erased_at is not None
    assert submitted_version.stored_file.erased_at is None
    assert _on_disk(submitted_version.stored_file)
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_signed_version_stays_even_if_replaced_before_submission(
        draft, entrepreneur, django_capture_on_commit_callbacks):
    signed = upload(draft, entrepreneur, text="version signée")
    upload(draft, entrepreneur, text="version suivante")
    FilingSignature.objects.create(
        application=draft, signer=entrepreneur, declaration="Je certifie…",
        snapshot={"documents": {"statuts": {"sha256": signed.stored_file.sha256,
                                            "version": 1}}},
        snapshot_sha256="0" * 64)

    report = _purge(django_capture_on_commit_callbacks, now=_later(UPLOAD_DAYS + 1))

    assert report.superseded_uploads == 0
    signed.stored_file.refresh_from_db()
    assert signed.stored_file.erased_at is None and _on_disk(signed.stored_file)


def test_a_dry_run_counts_and_erases_nothing(draft, second_draft, entrepreneur, capsys):
    upload(draft, entrepreneur, text="version 1")
    upload(draft, entrepreneur, text="version 2")
    upload(second_draft, entrepreneur, text="version 1")
    upload(second_draft, entrepreneur, text="version 2")
    with mock.patch("django.utils.timezone.now", return_value=_later(UPLOAD_DAYS + 1)):
        call_command("purge_personal_data", "--dry-run")
    output = capsys.readouterr().out
    assert "Would erase 0 abandoned draft(s)" in output and "2 replaced upload(s)" in output
    with mock.patch("django.utils.timezone.now", return_value=_later(DRAFT_DAYS + 1)):
        call_command("purge_personal_data", "--dry-run")
    output = capsys.readouterr().out
    assert "Would erase 2 abandoned draft(s)" in output
    assert "4 document version(s)" in output and "0 replaced upload(s)" in output
    assert Application.objects.filter(pk=draft.pk).exists()
    assert not StoredFile.objects.filter(erased_at__isnull=False).exists()


def test_the_command_and_the_beat_task_erase(draft, second_draft, capsys, settings):
    with mock.patch("django.utils.timezone.now", return_value=_later(DRAFT_DAYS + 1)):
        call_command("purge_personal_data")
    assert "Erased 2 abandoned draft(s)" in capsys.readouterr().out
    assert not Application.objects.exists()
    assert purge_task.delay().get() == {"drafts": 0, "draft_documents": 0,
                                        "superseded_uploads": 0}
    assert settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]["task"] == purge_task.name
