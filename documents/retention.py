"""Twenty years' retention (law 2017-07, art. 72): no kept file or issued document is ever
deleted through the ORM; after 20 years, only erase_expired_file removes a file's bytes,
keeping its row, fingerprint and an audit event that says who erased it and why."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from workflows import audit

from .models import IssuedDocument, RetentionError, StoredFile


@receiver(pre_delete, sender=StoredFile)
@receiver(pre_delete, sender=IssuedDocument)
def _refuse_deletion(sender, instance, **kwargs) -> None:
    # Every ORM path (instance, queryset, cascade) sends this signal before deleting.
    raise RetentionError(
        f"{sender.__name__} {instance.pk} is kept for the legal retention period: "
        "it cannot be deleted (see the retention_erase command for files past 20 years)."
    )


def erase_expired_file(*, stored_file: StoredFile, reason: str, actor=None,
                       now=None) -> StoredFile:
    """Remove the bytes of a file kept 20 years or more; refuse anything younger."""
    reason = reason.strip()
    if not reason:
        raise RetentionError("An erasure needs a reason.")
    now = now or timezone.now()
    with audit.atomic():
        locked = StoredFile.objects.select_for_update().get(pk=stored_file.pk)
        if locked.erased_at is not None:
            raise RetentionError(f"Stored file {locked.pk} was already erased.")
        if locked.retained_until > now:
            raise RetentionError(
                f"Stored file {locked.pk} must be kept until {locked.retained_until:%Y-%m-%d}."
            )
        locked.erased_at = now
        locked.erasure_reason = reason
        locked.save(update_fields=["erased_at", "erasure_reason"])
        audit.record(obj=locked, action="retention_erase", from_state="kept",
                     to_state="erased", actor=actor, comment=reason)
        name, storage = locked.file.name, locked.file.storage
        # The bytes go once the erasure is on record; a failure leaves them, never the reverse.
        transaction.on_commit(lambda: storage.delete(name))
    return locked
