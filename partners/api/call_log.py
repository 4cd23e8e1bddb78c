"""Every call to the API is logged (ApiCall), answered or refused."""

from __future__ import annotations

import logging
import time

from ..models import ApiCall

log = logging.getLogger(__name__)
PATH_MAX_LENGTH = ApiCall._meta.get_field("path").max_length


class LoggedCallMixin:
    """For the API's views: log the call once its answer is known, whatever it is (a
    refused token, a missing scope, a throttled call, a server error).

    DRF's dispatch() authenticates, checks scopes and throttles inside it, so wrapping it
    sees every outcome; the log is written outside any transaction of the view.
    """

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        status = 500
        try:
            response = super().dispatch(request, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            self._log_call(request, status=status,
                           duration_ms=int((time.monotonic() - started) * 1000))

    def _log_call(self, request, *, status: int, duration_ms: int) -> None:
        drf_request = getattr(self, "request", request)
        token = getattr(drf_request, "partner_token_seen", None)
        try:
            ApiCall.objects.create(token=token, method=request.method[:10],
                                   path=request.path[:PATH_MAX_LENGTH], status=status,
                                   duration_ms=duration_ms)
        except Exception:  # a failed log line never turns an answer into an error
            log.exception("Could not log the API call %s %s", request.method, request.path)
