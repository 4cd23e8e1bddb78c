"""The SMS backends: console and file for development, and the HTTP protocol spoken to a
gateway (POST {to, text, reference} with a bearer token, answer {"id": ...}); anything but
a message id is an SmsError the delivery task can record and retry."""

from __future__ import annotations

import json
import logging
import socket
import time
from datetime import datetime

import pytest

from notifications.sms import (
    ConsoleSmsBackend,
    FileSmsBackend,
    HttpSmsBackend,
    SmsError,
    get_backend,
)

from .gateway import Answer, Gateway

TEXT = "Guichet unique : dossier CFE-2026-000042 reçu, en cours d'instruction."


@pytest.fixture
def http(settings):
    def configure(gateway: Gateway, *, timeout: float = 5) -> HttpSmsBackend:
        settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
        settings.SMS_HTTP_URL = gateway.url
        settings.SMS_HTTP_TOKEN = "jeton-secret"
        settings.SMS_HTTP_TIMEOUT = timeout
        return get_backend()
    return configure


def send(backend) -> str:
    return backend.send(to="+22890123456", text=TEXT, reference="delivery-7")


# --- Development backends ---------------------------------------------------------------


def test_the_console_backend_logs_the_message_and_its_reference(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        reference = send(ConsoleSmsBackend())

    assert reference == "console-delivery-7"
    [record] = caplog.records
    assert "+22890123456" in record.getMessage()
    assert "delivery-7" in record.getMessage()
    assert TEXT in record.getMessage()


def test_the_file_backend_appends_one_readable_json_line_per_message(settings, tmp_path):
    path = tmp_path / "var" / "sms" / "envoyes.jsonl"  # the folders do not exist yet
    settings.SMS_FILE_PATH = str(path)
    backend = FileSmsBackend()

    first = backend.send(to="+22890123456", text=TEXT, reference="delivery-7")
    backend.send(to="+22891000000", text="Deuxième message", reference="delivery-8")

    assert first == "file-delivery-7"
    raw = path.read_text(encoding="utf-8")
    assert "reçu" in raw  # written as people read it, not \u00e7
    lines = [json.loads(line) for line in raw.splitlines()]
    assert [(line["to"], line["reference"]) for line in lines] == [
        ("+22890123456", "delivery-7"), ("+22891000000", "delivery-8")
    ]
    assert lines[0]["text"] == TEXT
    assert datetime.fromisoformat(lines[0]["at"]).tzinfo is not None


def test_the_backend_is_the_one_the_settings_name(settings):
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    assert isinstance(get_backend(), FileSmsBackend)

    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    assert isinstance(get_backend(), ConsoleSmsBackend)


# --- The HTTP protocol ------------------------------------------------------------------


def test_the_message_is_posted_as_json_with_the_bearer_token(http):
    with Gateway() as gateway:
        reference = send(http(gateway))

    assert reference == "gw-1"
    [request] = gateway.received
    assert request.path == "/sms/send"
    assert request.headers["Authorization"] == "Bearer jeton-secret"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {"to": "+22890123456", "text": TEXT, "reference": "delivery-7"}


def test_a_numeric_message_id_is_kept_as_text(http):
    with Gateway([Answer(body=b'{"id": 424242, "status": "queued"}')]) as gateway:
        assert send(http(gateway)) == "424242"


@pytest.mark.parametrize(("answer", "says"), [
    (Answer(status=500, body=b'{"error": "panne"}'), "500"),
    (Answer(status=401, body=b'{"error": "jeton invalide"}'), "401"),
    (Answer(status=429, body=b""), "429"),
    (Answer(body=b"{}"), "no message id"),
    (Answer(body=b'{"id": ""}'), "no message id"),
    (Answer(body=b'{"id": null, "error": "numero invalide"}'), "numero invalide"),
    (Answer(body=b""), "no message id"),
    (Answer(body=b"<html>Service indisponible</html>"), "SMS provider"),
])
def test_anything_but_a_message_id_is_an_sms_error(http, answer, says):
    with Gateway([answer]) as gateway, pytest.raises(SmsError) as refused:
        send(http(gateway))

    assert says in str(refused.value)
    assert len(gateway.received) == 1  # the backend itself never retries


def test_an_unreachable_gateway_is_an_sms_error(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{port}/sms"
    settings.SMS_HTTP_TOKEN = "jeton-secret"
    settings.SMS_HTTP_TIMEOUT = 2

    with pytest.raises(SmsError, match="SMS provider"):
        send(HttpSmsBackend())


def test_a_gateway_slower_than_the_timeout_is_an_sms_error_in_time(http):
    with Gateway([Answer(delay=3)]) as gateway:
        backend = http(gateway, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(SmsError):
            send(backend)
        elapsed = time.monotonic() - started

    assert elapsed < 2.5


@pytest.mark.parametrize("answer", [Answer(hang_up=True), Answer(body=b'["gw-1"]')],
                         ids=["hang-up", "json-list"])
def test_a_gateway_that_hangs_up_or_answers_nonsense_is_an_sms_error(http, answer):
    with Gateway([answer]) as gateway, pytest.raises(SmsError):
        send(http(gateway))


def test_an_unset_gateway_address_is_an_sms_error(settings):
    settings.SMS_HTTP_URL = ""
    settings.SMS_HTTP_TOKEN = "jeton-secret"

    with pytest.raises(SmsError):
        send(HttpSmsBackend())
