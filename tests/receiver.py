"""A partner's webhook receiver on a local port: it records every delivery and answers
with the statuses the test scripts (200 once the script runs out)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)  # when it arrived (unix seconds)

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def signature(self) -> str:
        return self.headers["x-omnicart-signature"]

    def expected_signature(self, secret: str) -> str:
        """docs/events.md, by hand: `t=<t>,v1=<hex HMAC-SHA256 keyed by the secret of
        "<t>.<body>">`, `t` the time it was signed (unix seconds, within 5 minutes of now)."""
        at = self.signature.split(",", 1)[0].removeprefix("t=")
        assert at.isdigit() and abs(int(at) - time.time()) < 300, self.signature
        digest = hmac.new(secret.encode(), at.encode() + b"." + self.body, hashlib.sha256).hexdigest()
        return f"t={at},v1={digest}"


class Receiver:
    def __init__(self, port: int = 0) -> None:
        self.received: list[Received] = []
        self.statuses: list[int] = []  # answers to the next deliveries, in order
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/events"
        # Polled often, so that shutting it down at a test's end takes no half second.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.event for r in self.received]

    def event_types(self) -> list[str]:
        return [event["eventType"] for event in self.events()]

    def wait_for(self, condition, timeout: float = 20.0) -> bool:
        """`eventually(condition(self))`."""
        return eventually(lambda: condition(self), timeout)


def eventually(condition, timeout: float = 20.0) -> bool:
    """Poll until `condition()` holds (live-server tests, where delivery is a background
    job); the test then asserts on what it waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
