"""erase_expired_file and the commands staff use on kept documents: the bytes go only past
20 years, with a reason, once, after the erasure is on record; revocation by typed code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from documents.models import IssuedDocument, RetentionError, StoredFile
from documents.retention import erase_expired_file
from documents.storage import store_bytes
from workflows.models import AuditEvent

from .originals import keep

pytestmark = pytest.mark.django_db


def kept_since(created_at) -> StoredFile:
    stored = store_bytes(data=b"%PDF-1.7 recu", filename="recu.pdf",
                         content_type="application/pdf")
    StoredFile.objects.filter(pk=stored.pk).update(created_at=created_at)
    stored.refresh_from_db()
    return stored


def on_storage(stored: StoredFile) -> bool:
    return stored.file.storage.exists(stored.file.name)


@pytest.fixture
def expired() -> StoredFile:
    return kept_since(timezone.now() - timedelta(days=365 * 21))


def test_the_bytes_go_on_the_day_retention_ends_not_a_second_before(
    django_capture_on_commit_callbacks
):
    stored = kept_since(timezone.now() - timedelta(days=365 * 20))
    end = stored.retained_until

    with pytest.raises(RetentionError, match="must be kept until"):
        erase_expired_file(stored_file=stored, reason="Délai échu",
                           now=end - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        erased = erase_expired_file(stored_file=stored, reason="Délai échu", now=end)

    assert erased.erased_at == end
    assert not on_storage(stored)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_erasure_without_a_reason_is_refused(expired, reason):
    with pytest.raises(RetentionError, match="needs a reason"):
        erase_expired_file(stored_file=expired, reason=reason)

    expired.refresh_from_db()
    assert expired.erased_at is None
    assert on_storage(expired)


def test_the_reason_is_kept_trimmed_and_the_erasure_audited(expired, make_user,
                                                           django_capture_on_commit_callbacks):
    archivist = make_user("archives@cfe.example.tg")

    with django_capture_on_commit_callbacks(execute=True):
        erase_expired_file(stored_file=expired, reason="  Délai légal échu \n",
                           actor=archivist)

    expired.refresh_from_db()
    assert expired.erasure_reason == "Délai légal échu"
    event = AuditEvent.objects.get(object_type="documents.storedfile",
                                   object_id=str(expired.pk))
    assert (event.action, event.from_state, event.to_state) == (
        "retention_erase", "kept", "erased"
    )
    assert (event.actor, event.comment) == (archivist, "Délai légal échu")


def test_the_bytes_stay_until_the_erasure_is_committed(expired,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_expired_file(stored_file=expired, reason="Délai échu")

        assert on_storage(expired)  # recorded, not yet committed

    assert len(callbacks) == 1
    callbacks[0]()
    assert not on_storage(expired)


def test_an_erasure_rolled_back_with_its_transaction_leaves_the_bytes(
    expired, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        erase_expired_file(stored_file=expired, reason="Délai échu")
        raise RuntimeError("the batch failed after this file")

    expired.refresh_from_db()
    assert expired.erased_at is None
    assert on_storage(expired)
    assert not AuditEvent.objects.filter(action="retention_erase").exists()


def test_a_file_is_erased_once(expired, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = erase_expired_file(stored_file=expired, reason="Délai échu")

    with pytest.raises(RetentionError, match="already erased"):
        erase_expired_file(stored_file=expired, reason="Encore")

    expired.refresh_from_db()
    assert (expired.erased_at, expired.erasure_reason) == (first.erased_at, "Délai échu")
    assert AuditEvent.objects.filter(action="retention_erase").count() == 1


def test_the_erased_file_keeps_its_row_and_fingerprint(expired,
                                                      django_capture_on_commit_callbacks):
    sha256, size, name = expired.sha256, expired.size, expired.original_name

    with django_capture_on_commit_callbacks(execute=True):
        erase_expired_file(stored_file=expired, reason="Délai échu")

    expired.refresh_from_db()
    assert (expired.sha256, expired.size, expired.original_name) == (sha256, size, name)


# --- The commands -----------------------------------------------------------------------


def test_the_erase_command_refuses_unknown_files_and_names_them(expired):
    with pytest.raises(CommandError, match=r"No stored file with id \[999998, 999999\]"):
        call_command("retention_erase", expired.pk, 999999, 999998, reason="Délai échu")

    expired.refresh_from_db()
    assert expired.erased_at is None


def test_the_erase_command_refuses_an_unknown_archivist(expired):
    with pytest.raises(CommandError, match="No user has the e-mail"):
        call_command("retention_erase", expired.pk, reason="Délai échu",
                     actor="inconnu@example.tg")

    expired.refresh_from_db()
    assert expired.erased_at is None


def test_the_erase_command_reports_each_erased_file(expired, capsys,
                                                   django_capture_on_commit_callbacks):
    other = kept_since(timezone.now() - timedelta(days=365 * 25))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_erase", expired.pk, other.pk, reason="Délai échu")

    output = capsys.readouterr().out
    assert f"Erased stored file {expired.pk} ({expired.sha256})." in output
    assert f"Erased stored file {other.pk} ({other.sha256})." in output
    assert not on_storage(expired) and not on_storage(other)


def test_the_revoke_command_finds_the_document_by_the_code_as_typed(make_user, capsys):
    registrar = make_user("greffier@cfe.example.tg")
    document = keep(b"%PDF-1.7 certificat", code="0123ABCD4567")

    call_command("revoke_document", "o123-abcd-4567", reason="Radiation.",
                 actor=registrar.email)

    document.refresh_from_db()
    assert document.is_revoked
    assert (document.revocation_reason, document.revoked_by) == ("Radiation.", registrar)
    assert "Revoked certificat d'immatriculation 0123-ABCD-4567" in capsys.readouterr().out


def test_the_revoke_command_refuses_unknown_codes_actors_and_second_revocations(make_user):
    document = keep(b"%PDF-1.7 certificat", code="0123ABCD4567")

    with pytest.raises(CommandError, match="No issued document has the code"):
        call_command("revoke_document", "0123-ABCD-4568", reason="Radiation.")
    with pytest.raises(CommandError, match="No user has the e-mail"):
        call_command("revoke_document", "0123-ABCD-4567", reason="Radiation.",
                     actor="inconnu@example.tg")
    assert not IssuedDocument.objects.get(pk=document.pk).is_revoked

    call_command("revoke_document", "0123-ABCD-4567", reason="Radiation.")
    with pytest.raises(CommandError, match="déjà révoqué"):
        call_command("revoke_document", "0123-ABCD-4567", reason="Encore.")

    document.refresh_from_db()
    assert document.revocation_reason == "Radiation."
