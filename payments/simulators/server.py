"""What the provider simulators share: an HTTP server in a daemon thread, a record of the
requests received, injected slowness and failures, callback delivery and the control API.

A simulator is a test and demo tool: it listens on loopback by default and checks only what
the real provider checks (its credentials), never who the caller is.
"""

from __future__ import annotations

import html
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit

# How long the simulator waits for our side to answer a callback.
DELIVERY_TIMEOUT = 10.0
# The control API's parameters and their types: anything else in its body is refused.
CONTROL_PARAMETERS: dict[str, type] = {
    "times": int, "amount": int, "mode": str, "network": str, "name": str, "status": str,
}


class UnknownTransaction(KeyError):
    """No transaction of the simulator has this reference."""


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the simulator received it, for tests to assert on."""

    method: str
    path: str  # with its query string
    headers: dict[str, str]
    body: bytes

    @property
    def route(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.path).query))

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data).encode())

    @classmethod
    def page(cls, title: str, content: str, status: int = 200) -> Response:
        return cls(status, render_page(title, content).encode(), "text/html; charset=utf-8")

    @classmethod
    def redirect(cls, location: str) -> Response:
        return cls(303, b"", "text/plain", {"Location": location})


PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111827; }}
main {{ max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff;
        border-radius: .75rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }}
h1 {{ font-size: 1.25rem; margin-top: 0; }}
.amount {{ font-size: 1.75rem; font-weight: 700; }}
.notice {{ background: #fef3c7; padding: .5rem .75rem; border-radius: .5rem; }}
label, fieldset {{ display: block; margin: 1rem 0 .25rem; border: 0; padding: 0; }}
input[type=tel] {{ width: 100%; box-sizing: border-box; padding: .75rem; font-size: 1rem; }}
button {{ width: 100%; padding: .85rem; margin-top: .75rem; font-size: 1rem;
          border: 0; border-radius: .5rem; cursor: pointer; }}
button[value=approve] {{ background: #047857; color: #fff; }}
button[value=decline] {{ background: #e5e7eb; color: #111827; }}
</style>
</head>
<body><main>
<p class="notice">Simulateur de test : aucun argent réel n'est débité.</p>
<h1>{title}</h1>
{content}
</main></body>
</html>
"""


def render_page(title: str, content: str) -> str:
    """A self-contained page (no external asset, no script); `content` is trusted HTML."""
    return PAGE.format(title=html.escape(title), content=content)


def with_query(url: str, **params: str) -> str:
    """`url` with `params` added to its query string (FedaPay-style return addresses)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


class Simulator:
    """Base of the provider simulators. Subclasses implement `route` and the actions."""

    name = "simulator"
    # The control actions reachable over HTTP: POST /_sim/<reference>/<action>.
    control_actions: tuple[str, ...] = ()

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[ReceivedRequest] = []  # all but the control API's
        # Seconds to wait before answering, and an HTTP status to fail with: both apply to
        # everything but the control API, to exercise our timeouts and error handling.
        self.delay = 0.0
        self.fail_status: int | None = None
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"The {self.name} simulator is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._stopping.clear()
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self._server.daemon_threads = True  # a slow answer must not hold stop() up
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"{self.name}-simulator", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends injected delays
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # Requests

    def route(self, request: ReceivedRequest) -> Response:
        raise NotImplementedError

    def handle(self, request: ReceivedRequest) -> Response:
        if request.route.startswith("/_sim/"):
            return self._control(request)  # the test's doing, not our client's: not recorded
        with self._lock:
            self.requests.append(request)
        if self.delay:
            self._stopping.wait(self.delay)
        if self.fail_status:
            return Response.json({"message": "Simulated failure"}, self.fail_status)
        try:
            # No lock here: a route may deliver a callback, and our side may call back in.
            return self.route(request)
        except UnknownTransaction:
            return Response.json({"message": "Transaction not found"}, 404)

    def _control(self, request: ReceivedRequest) -> Response:
        """POST /_sim/config {delay, fail_status}; POST /_sim/<reference>/<action> {...}."""
        if request.method != "POST":
            return Response.json({"message": "Method not allowed"}, 405)
        try:
            is_json = request.headers.get("content-type", "").startswith("application/json")
            params = (request.json or {}) if is_json else request.form
            if not isinstance(params, dict):
                raise ValueError("the body is not an object")
            parts = request.route.split("/")[2:]
            if parts == ["config"]:
                self.delay = float(params.get("delay", 0) or 0)
                self.fail_status = int(params["fail_status"]) if params.get(
                    "fail_status") else None
                return Response.json({"delay": self.delay, "fail_status": self.fail_status})
            if len(parts) != 2 or parts[1] not in self.control_actions:
                return Response.json({"message": "Unknown control action"}, 404)
            unknown = set(params) - set(CONTROL_PARAMETERS)
            if unknown:
                raise ValueError(f"unknown parameters {sorted(unknown)}")
            kwargs = {key: CONTROL_PARAMETERS[key](value) for key, value in params.items()}
            statuses = getattr(self, parts[1])(parts[0], **kwargs)
        except UnknownTransaction:
            return Response.json({"message": "Transaction not found"}, 404)
        except (TypeError, ValueError) as error:
            return Response.json({"message": str(error)}, 400)
        return Response.json({"statuses": statuses})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            server_version = f"{simulator.name}-simulator"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = ReceivedRequest(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                response = simulator.handle(request)
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to tell it

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass  # requests are in `simulator.requests`

        return Handler

    # Callbacks

    @staticmethod
    def deliver(url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST `body` to our side; the HTTP status it answered, 0 if it did not answer."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"Not an HTTP address: {url!r}")
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code
        except OSError:
            return 0
