"""Fixtures starting the payment provider simulators on loopback and pointing the settings
at them, and a recorder standing in for our notification view where none is wanted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from payments.simulators import FedaPaySimulator, PayGateSimulator

FEDAPAY_SECRET_KEY = "sk_test_simulated"
FEDAPAY_WEBHOOK_SECRET = "wh_test_simulated"
PAYGATE_AUTH_TOKEN = "pg_test_simulated"


def _point_at(settings, code: str, config: dict[str, Any]) -> None:
    # A new dict: the settings fixture restores the original one afterwards.
    settings.PAYMENT_PROVIDERS = {**settings.PAYMENT_PROVIDERS, code: config}


@pytest.fixture
def fedapay_simulator(settings) -> Iterator[FedaPaySimulator]:
    """A FedaPay simulator; set its `webhook_url` to receive its webhooks."""
    with FedaPaySimulator(
        secret_key=FEDAPAY_SECRET_KEY, webhook_secret=FEDAPAY_WEBHOOK_SECRET
    ) as simulator:
        _point_at(settings, "fedapay", {
            "BASE_URL": simulator.base_url,
            "SECRET_KEY": FEDAPAY_SECRET_KEY,
            "WEBHOOK_SECRET": FEDAPAY_WEBHOOK_SECRET,
            "TOLERANCE": 300,
        })
        yield simulator


@pytest.fixture
def paygate_simulator(settings) -> Iterator[PayGateSimulator]:
    """A PayGate simulator; set its `callback_url` to receive its callbacks."""
    with PayGateSimulator(auth_token=PAYGATE_AUTH_TOKEN) as simulator:
        _point_at(settings, "paygate", {
            "BASE_URL": simulator.base_url, "AUTH_TOKEN": PAYGATE_AUTH_TOKEN,
        })
        yield simulator


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class NotificationRecorder:
    """Answers `status` to every POST and keeps what it received."""

    status: int = 200
    received: list[Received] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def notification_recorder() -> Iterator[NotificationRecorder]:
    recorder = NotificationRecorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            recorder.received.append(Received(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
            ))
            self.send_response(recorder.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_port}/notifications/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield recorder
    server.shutdown()
    server.server_close()
