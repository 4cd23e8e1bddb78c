"""Notify people of events: write the in-app notification and queue its deliveries.

notify() runs inside the caller's transaction: if the event's change rolls back, so does
its notification. Deliveries are sent by Celery through the outbox (recorded in the same
transaction, sent after commit), each recorded with its status and attempts, so nothing
is sent twice by a retried task or lost without a trace.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from outbox import services as outbox

from . import sealing
from .events import EVENTS
from .models import Channel, Delivery, DeliveryStatus, Notification
from .sms import get_backend as get_sms_backend


def _render(event: str, part: str, context: dict) -> str:
    return render_to_string(f"notifications/events/{event}/{part}.txt", context).strip()


def notify(*, event: str, user, about: str, context: dict | None = None,
           link: str = "", secrets: dict[str, str] | None = None,
           attachment=None) -> Notification:
    """Tell `user` about one occurrence of `event` (once: `about` names the occurrence).

    `secrets` (e.g. a one-time code) go to the person's e-mail and phone only: the in-app
    copy shows a mask, and the deliveries keep them encrypted until sent (see sealing).
    `attachment` (a stored file, e.g. a sealed receipt) goes with the e-mail.
    """
    spec = EVENTS[event]
    existing = Notification.objects.filter(recipient=user, event=event, about=about).first()
    if existing is not None:
        return existing
    secrets = secrets or {}
    language = user.preferred_language or settings.LANGUAGE_CODE
    full_context = {**(context or {}), **{name: sealing.marker(name) for name in secrets},
                    "user": user, "link": settings.SITE_URL + link if link else ""}
    with translation.override(language):
        title = _render(event, "subject", full_context)
        body = _render(event, "body", full_context)
        sms_text = _render(event, "sms", full_context)
    notification = Notification.objects.create(
        recipient=user, event=event, about=about, language=language,
        title=sealing.mask(title, secrets), body=sealing.mask(body, secrets), link=link,
        attachment=attachment,
    )
    sealed = sealing.seal(secrets)
    deliveries = []
    if user.email and (spec.legal or spec.every_channel or user.notify_by_email):
        deliveries.append(Delivery(notification=notification, channel=Channel.EMAIL,
                                   address=user.email, template=f"{event}/body", subject=title,
                                   text=body,
                                   sealed_secrets=sealed))
    if user.phone and (spec.every_channel or user.notify_by_sms):
        deliveries.append(Delivery(notification=notification, channel=Channel.SMS,
                                   address=user.phone, template=f"{event}/sms", text=sms_text,
                                   sealed_secrets=sealed))
    from .tasks import send_delivery

    # PostgreSQL and SQLite hand back the new rows' ids from bulk_create.
    for delivery in Delivery.objects.bulk_create(deliveries):
        outbox.enqueue(send_delivery, delivery.pk)
    return notification


def send_delivery(*, delivery_id: int) -> bool:
    """Send one delivery unless already sent; True when this call sent it.

    The row stays locked while sending, so two workers never send it at once; a finished
    delivery is never sent again.
    """
    with transaction.atomic():
        delivery = (
            # of=("self",): lock this delivery only; its sibling on the other channel shares
            # the notification row and must not be skipped as "locked".
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False
        secrets = sealing.unseal(delivery.sealed_secrets)
        text = sealing.reveal(delivery.text, secrets)
        if delivery.channel == Channel.EMAIL:
            reference = _send_email(delivery, sealing.reveal(delivery.subject, secrets), text)
        else:
            reference = get_sms_backend().send(to=delivery.address, text=text,
                                               reference=f"delivery-{delivery.pk}")
        delivery.status = DeliveryStatus.SENT
        delivery.attempts += 1
        delivery.sent_at = timezone.now()
        delivery.provider_reference = reference
        delivery.sealed_secrets = ""  # sent: the secret is kept nowhere
        delivery.save(update_fields=["status", "attempts", "sent_at", "provider_reference",
                                     "sealed_secrets"])
        return True


def _send_email(delivery: Delivery, subject: str, text: str) -> str:
    notification = delivery.notification
    subject = subject or notification.title
    with translation.override(notification.language):
        html = render_to_string("notifications/email.html", {
            "notification": notification,
            "subject": subject,
            "body": text,
            "link": settings.SITE_URL + notification.link if notification.link else "",
        })
    if notification.link:
        text = f"{text}\n\n{settings.SITE_URL}{notification.link}"
    message = EmailMultiAlternatives(subject, text, None, [delivery.address],
                                     headers={"X-Notification": str(notification.pk)})
    message.attach_alternative(html, "text/html")
    if notification.attachment_id:
        stored = notification.attachment
        with stored.file.open("rb") as handle:  # read in clear, like a download
            message.attach(stored.original_name, handle.read(), stored.content_type)
    message.send()
    return f"email-{delivery.pk}"


def record_failure(*, delivery_id: int, error: str, final: bool) -> None:
    """Keep the attempt and its error; after the last retry the delivery is failed."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return
        delivery.attempts += 1
        delivery.last_error = error[:2000]
        if final:
            delivery.status = DeliveryStatus.FAILED
            delivery.sealed_secrets = ""
        delivery.save(update_fields=["attempts", "last_error", "status", "sealed_secrets"])


def mark_read(*, user, notification_id: int | None = None) -> int:
    notifications = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=timezone.now())
