"""What every part of the register's services shares: the error they raise, row locks in
the documented order, audited transitions of a filing, and telling its owner."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from documents.models import SupportingDocument
from documents.uploads import UploadRejected, discard_upload, keep_upload, prepare_upload
from notifications.services import notify
from workflows import audit
from workflows import services as engine

from ..models import Application


class FilingError(Exception):
    """A request on a filing that its state does not allow; the message is for the user."""


# Run one of the filing's transitions, save it and record the audit event.
transition = audit.transition


def locked(application_id: int, *, key_update: bool = False) -> Application:
    """The filing, row-locked until the caller's transaction ends (FOR NO KEY UPDATE, as
    the engine locks a case: rows that only refer to the filing never wait for it).

    `key_update` for a caller that will change a unique column (the RCCM number): such an
    UPDATE needs the full FOR UPDATE lock, taken here at once rather than upgraded later
    while others wait on the filing."""
    return Application.objects.select_for_update(of=("self",), no_key=not key_update).get(
        pk=application_id)


def locked_with_case(application_id: int) -> Application:
    """Lock the filing's case first, then the filing: the order the desks' decisions take
    (case, then the filing in their handlers), so the two can never deadlock."""
    engine.lock_case_of(ContentType.objects.get_for_model(Application), application_id)
    return locked(application_id)


def tell_owner(application: Application, event: str, *, occurrence: str = "",
               **context) -> None:
    """Notify the filing's owner of an event about it (on commit of this transaction)."""
    notify(
        event=event,
        user=application.owner,
        about=f"registry.application:{application.pk}:{occurrence or event}",
        link=application.get_absolute_url(),
        context={"reference": application.reference,
                 "company_name": application.company_name, **context},
    )


def attach_checked(*, application_id: int, user, requirement: str, uploaded_file, may_attach,
                   record) -> SupportingDocument:
    """Keep an uploaded document for the filing, checked by `may_attach(application)`.

    The file is checked and written before the filing is locked (no lock held across the
    storage's I/O); `may_attach` runs again under the lock, then the document is kept and
    `record(application)` notes the change, all in one transaction. Anything that fails
    after the write discards the bytes.
    """
    may_attach(Application.objects.get(pk=application_id))
    try:
        prepared = prepare_upload(uploaded_file)
    except UploadRejected as rejected:
        raise FilingError(rejected.message) from rejected
    try:
        with audit.atomic():
            application = locked(application_id)
            may_attach(application)
            document = keep_upload(subject=application, requirement=requirement,
                                   prepared=prepared, user=user)
            record(application)
    except BaseException:
        discard_upload(prepared)
        raise
    return document
