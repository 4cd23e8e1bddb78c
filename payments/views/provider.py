"""The providers' webhooks and callbacks: verified, kept once, answered at once; the work
is queued (payments.tasks.process_provider_event)."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import services
from ..models import Channel
from ..providers.base import IgnoredNotification, InvalidNotification

log = logging.getLogger(__name__)
ONLINE_CHANNELS = (Channel.FEDAPAY, Channel.PAYGATE)


@csrf_exempt  # a provider's server posts here; the signature or status API is the check
@require_POST
def notification(request, channel: str):
    if channel not in ONLINE_CHANNELS:
        return HttpResponseNotFound()
    try:
        outcome = services.receive_notification(
            channel=channel, body=request.body,
            headers={name.lower(): value for name, value in request.headers.items()})
    except IgnoredNotification as ignored:
        log.info("%s notification ignored: %s", channel, ignored)
        return HttpResponse("ignored", content_type="text/plain")
    except InvalidNotification as invalid:
        log.warning("%s notification refused: %s", channel, invalid)
        return HttpResponseBadRequest("invalid notification", content_type="text/plain")
    except services.NotificationRefused as refused:
        log.warning("%s notification refused: %s", channel, refused)
        return HttpResponseBadRequest("refused", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
