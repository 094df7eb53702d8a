"""The partner kit's pytest plugin (entry point `pytest11`, loaded by `pip install omnicart`).

    def test_submit(omnicart_server, omnicart_events):
        api = omnicart_server.client
        cart = api.create_cart(...)
        omnicart_events.wait("ShoppingCartCreateEvent", cart_id=cart.id)

- `omnicart_server`: a sandbox (`omnicart serve --sandbox`) on a free port with a throw-away
  SQLite file, started once per session (per carrier profile), with a ready `Client`.
- `@pytest.mark.omnicart(profile="carrier", scenario="submit_rejected")`: the server's
  profile (passed as OMNICART_PROFILE) and a mock-scenario the test's client sends on every
  call. The same keys work as an indirect parameter of `omnicart_server`.
- `omnicart_events`: a listener on 127.0.0.1 registered as a hub for the test, collecting
  the events the test's carts emit, signatures checked.

The fixtures' types, for a partner's annotated tests (`mypy --strict` passes over
examples/partner_tests): `OmnicartServer` and `Events`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from omnicart.client import Client, verify_webhook

# The sandbox polls its outbox and steps fulfilment quickly: a test waits fractions of a
# second for an event, not the production defaults. The caller's environment wins.
SANDBOX_DEFAULTS = {
    "OMNICART_LOG_LEVEL": "warning",
    "OMNICART_WEBHOOK_POLL_SECONDS": "0.1",
    "OMNICART_WEBHOOK_RETRY_BASE_SECONDS": "1",
    "OMNICART_FULFILMENT_POLL_SECONDS": "0.2",
    "OMNICART_FULFILMENT_STEP_SECONDS": "1",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "omnicart(profile=None, scenario=None): the omnicart sandbox's carrier profile"
        " (OMNICART_PROFILE) and a mock-scenario every call of the test's client sends",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Sandbox:
    """One `omnicart serve --sandbox` process."""

    def __init__(self, directory: Path, profile: str | None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.profile = profile
        self.log = directory / "server.log"
        env = {**SANDBOX_DEFAULTS, **os.environ, "OMNICART_DATABASE_URL": f"sqlite:///{directory / 'sandbox.db'}"}
        for name in ("OMNICART_API_KEYS", "OMNICART_SANDBOX"):  # the sandbox partner, no keys needed
            env.pop(name, None)
        if profile is not None:
            env["OMNICART_PROFILE"] = profile
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "omnicart.cli", "serve", "--sandbox", "--port", str(self.port)],
                env=env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"omnicart serve --sandbox exited with {self.process.returncode}:\n{self._tail()}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"omnicart serve --sandbox was not ready in {timeout:g} s:\n{self._tail()}")

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Sandboxes:
    """The session's sandboxes, one per profile, each started when first asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: dict[str | None, Sandbox] = {}

    def get(self, profile: str | None) -> Sandbox:
        if profile not in self.running:
            directory = Path(tempfile.mkdtemp(prefix=f"sandbox-{profile or 'default'}-", dir=self.root))
            sandbox = Sandbox(directory, profile)
            sandbox.wait_ready()
            self.running[profile] = sandbox
        return self.running[profile]

    def stop(self) -> None:
        for sandbox in self.running.values():
            sandbox.stop()


@dataclass
class OmnicartServer:
    """What `omnicart_server` gives a test: the sandbox's `url`, a `client` for it (sending
    the test's mock-`scenario`), and the carrier `profile` it runs (None: omnicart's)."""

    url: str
    client: Client
    profile: str | None
    scenario: str | None


@pytest.fixture(scope="session")
def _omnicart_sandboxes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandboxes]:
    sandboxes = Sandboxes(tmp_path_factory.mktemp("omnicart"))
    try:
        yield sandboxes
    finally:
        sandboxes.stop()


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    marker = request.node.get_closest_marker("omnicart")
    if marker is not None:
        options.update(marker.kwargs)
    options.update(getattr(request, "param", None) or {})  # indirect parametrization wins
    unknown = set(options) - {"profile", "scenario"}
    if unknown:
        raise pytest.UsageError(f"omnicart: unknown option(s) {sorted(unknown)}; use profile= and scenario=")
    return options


@pytest.fixture
def omnicart_server(request: pytest.FixtureRequest, _omnicart_sandboxes: Sandboxes) -> Iterator[OmnicartServer]:
    """A running sandbox (shared by the session) and a Client for this test."""
    options = _options(request)
    sandbox = _omnicart_sandboxes.get(options.get("profile"))
    with Client(sandbox.url, scenario=options.get("scenario")) as client:
        yield OmnicartServer(sandbox.url, client, sandbox.profile, options.get("scenario"))


class Events:
    """Deliveries to this test's listener, each checked against the hub's secret."""

    def __init__(self) -> None:
        self.secret = ""
        self._received: list[tuple[bytes, dict[str, str]]] = []
        self._arrived = threading.Condition()

    def receive(self, body: bytes, headers: dict[str, str]) -> None:
        with self._arrived:
            self._received.append((body, headers))
            self._arrived.notify_all()

    @property
    def all(self) -> list[dict[str, Any]]:
        """Every event received so far (envelopes: eventId, eventType, eventTime, event)."""
        with self._arrived:
            received = list(self._received)
        return [verify_webhook(self.secret, body, headers) for body, headers in received]

    def matching(self, event_type: str | None = None, cart_id: str | None = None) -> list[dict[str, Any]]:
        return [
            event
            for event in self.all
            if (event_type is None or event["eventType"] == event_type)
            and (cart_id is None or cart_id in _cart_ids(event))
        ]

    def wait(
        self, event_type: str | None = None, *, cart_id: str | None = None, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """At least `count` events of that type (of that cart), waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.matching(event_type, cart_id)
            remaining = deadline - time.monotonic()
            if len(found) >= count or remaining <= 0:
                break
            with self._arrived:
                self._arrived.wait(min(remaining, 0.2))
        if len(found) < count:
            seen = [event["eventType"] for event in self.all]
            raise AssertionError(
                f"expected {count} {event_type or 'event'}(s) for cart {cart_id}, got"
                f" {len(found)} in {timeout:g} s; received: {seen}"
            )
        return found


def _cart_ids(event: dict[str, Any]) -> set[str]:
    body = event.get("event", {})
    cart = body.get("shoppingCart") or {}
    order = body.get("productOrder") or {}
    return {value for value in (cart.get("id"), order.get("cartId")) if value}


@pytest.fixture
def omnicart_events(omnicart_server: OmnicartServer) -> Iterator[Events]:
    """A listener registered for this test: the events of the carts the test changes."""
    events = Events()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            events.receive(body, dict(self.headers.items()))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep the test's output clean
            pass

    listener = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    # A client of its own: the test's may carry a mock-scenario (transient_503 …).
    with Client(omnicart_server.url) as client:
        hub = client.register_hub(f"http://127.0.0.1:{listener.server_address[1]}/events")
        events.secret = hub.secret or ""
        try:
            yield events
        finally:
            client.delete_hub(hub.id)
            listener.shutdown()
            listener.server_close()
