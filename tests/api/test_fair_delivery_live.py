"""Delivery is fair between partners on a real server (issue 21): while partner A's 20
hubs never answer, or answer 200 only after 9 s (so their circuit never opens), partner
B's events arrive within 5 s of their creation, with one worker and with two. Before, A
held every delivery slot: B's events took 12-52 s."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.api.conftest import CARTS
from tests.credentials import OTHER_AUTH
from tests.live import LiveServer
from tests.receiver import Receiver, eventually

pytestmark = pytest.mark.slow

HUB = "/omni-svcs/v1/hub"
DELIVERY = {"OMNICART_WEBHOOK_PRIVATE_CALLBACKS": "1", "OMNICART_WEBHOOK_POLL_SECONDS": "0.1"}
NEVER = 60.0  # longer than the test: the delivery timeout (10 s) ends the attempt first


class SlowListener:
    """Partner A's listeners: each POST is held `delay` seconds, then answered 200."""

    def __init__(self, delay: float) -> None:
        self.arrived = 0
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                listener.arrived += 1
                time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> SlowListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def created_at(event: dict) -> float:
    return datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize("a_hubs", [NEVER, 9.0], ids=["A's hubs never answer", "A's hubs answer after 9 s"])
def test_partner_b_is_delivered_within_5_s_while_partner_a_hubs_hang(database_url, seed_request, tmp_path, a_hubs):
    workers = 1 if database_url.startswith("sqlite") else 2
    with (
        SlowListener(a_hubs) as listener,
        Receiver() as receiver,
        LiveServer(database_url, workers=workers, env=DELIVERY, log=tmp_path / "server.log") as live,
        httpx.Client(base_url=live.url, headers=live.headers) as a,
        httpx.Client(base_url=live.url, headers=OTHER_AUTH) as b,
    ):
        for i in range(20):
            assert a.post(HUB, json={"callback": f"{listener.url}/a{i}"}).status_code == 201
        assert b.post(HUB, json={"callback": receiver.url}).status_code == 201
        for _ in range(3):
            assert a.post(CARTS, json=seed_request).status_code == 201  # 60 deliveries to A's hubs
        # A's hubs hold their share (5 of 10) of the slots of the worker, or the workers,
        # that claimed their deliveries before B's events exist.
        assert eventually(lambda: listener.arrived >= 5)
        for _ in range(5):
            assert b.post(CARTS, json=seed_request).status_code == 201
            time.sleep(0.2)
        assert receiver.wait_for(lambda r: len(r.received) >= 5)
        latencies = [r.at - created_at(r.event) for r in receiver.received]
    assert max(latencies) < 5.0, latencies
