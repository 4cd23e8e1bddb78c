"""SMS providers behind one interface; settings.SMS_BACKEND names the class.

Console (the default) and file backends for development; HttpSmsBackend speaks a plain
JSON protocol (POST {to, text, reference} with a bearer token, answer {"id": ...}) that a
gateway adapter can offer. The reference is our delivery's id: a provider that honours
it drops a message sent twice after a retry.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider did not take the message."""


class ConsoleSmsBackend:
    def send(self, *, to: str, text: str, reference: str) -> str:
        logger.info("SMS to %s (%s): %s", to, reference, text)
        return f"console-{reference}"


class FileSmsBackend:
    """Appends one JSON line per message to settings.SMS_FILE_PATH."""

    def send(self, *, to: str, text: str, reference: str) -> str:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"to": to, "text": text, "reference": reference,
                "at": timezone.now().isoformat()}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file-{reference}"


class HttpSmsBackend:
    def send(self, *, to: str, text: str, reference: str) -> str:
        """Post the message to the gateway; any failure is an SmsError (retried by the task)."""
        payload = json.dumps({"to": to, "text": text, "reference": reference}).encode()
        try:
            request = urllib.request.Request(
                settings.SMS_HTTP_URL,
                data=payload,
                method="POST",
                headers={"Content-Type": "application/json",
                         "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}"},
            )
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:
                answer = json.loads(response.read() or b"{}")
        except (OSError, http.client.HTTPException, ValueError) as error:
            # URLError, timeouts and refused connections are OSErrors; a gateway hanging up
            # is an HTTPException; a bad address or a body that is not JSON, ValueError.
            raise SmsError(f"SMS provider: {type(error).__name__}: {error}") from error
        if not isinstance(answer, dict) or not answer.get("id"):
            raise SmsError(f"SMS provider gave no message id: {answer!r}")
        return str(answer["id"])


def get_backend():
    return import_string(settings.SMS_BACKEND)()
