"""Event delivery by the background job of a real multi-worker server: each event once
when all is well, and nothing lost across a restart while the receiver was down."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from tests.api.conftest import CARTS
from tests.live import LiveServer, free_port
from tests.outbox import deliveries
from tests.receiver import Receiver, eventually

pytestmark = pytest.mark.slow

HUB = "/omni-svcs/v1/hub"
SIM = "SIM_pkey80001_sku6001001"
FAST_DELIVERY = {
    "OMNICART_WEBHOOK_PRIVATE_CALLBACKS": "1",
    "OMNICART_WEBHOOK_POLL_SECONDS": "0.1",
    "OMNICART_WEBHOOK_RETRY_BASE_SECONDS": "0.3",
    "OMNICART_WEBHOOK_RETRY_CAP_SECONDS": "1",
    "OMNICART_WEBHOOK_TIMEOUT_SECONDS": "2",
}


def server(database_url: str, tmp_path) -> LiveServer:
    return LiveServer(database_url, workers=2, env=FAST_DELIVERY, log=tmp_path / "server.log")


def make_changes(live: LiveServer, carts: int) -> int:
    """Create carts and add an item to each: two events per cart."""
    with httpx.Client(base_url=live.url, headers=live.headers) as client:
        for _ in range(carts):
            cart = client.post(CARTS, json={"channel": {"id": "IND"}, "relatedParty": []}).json()
            added = client.post(
                f"{CARTS}/{cart['id']}/items", json={"items": [{"productOrderItemId": "sim", "productOfferingId": SIM}]}
            )
            assert added.status_code == 200, added.text
    return 2 * carts


def register(live: LiveServer, callback: str) -> str:
    response = httpx.post(f"{live.url}{HUB}", json={"callback": callback}, headers=live.headers)
    assert response.status_code == 201, response.text
    return response.json()["secret"]


def test_with_two_workers_polling_each_event_is_delivered_once(database_url, tmp_path):
    with Receiver() as receiver, server(database_url, tmp_path) as live:
        secret = register(live, receiver.url)
        expected = make_changes(live, 10)
        assert receiver.wait_for(lambda r: len(r.received) >= expected)
        live.stop()
    ids = Counter(event["eventId"] for event in receiver.events())
    assert len(ids) == expected and set(ids.values()) == {1}
    assert all(r.signature == r.expected_signature(secret) for r in receiver.received)


def test_events_pending_when_the_server_stops_are_delivered_after_its_restart(database_url, tmp_path):
    port = free_port()  # the receiver is down: nothing listens there yet
    with server(database_url, tmp_path) as live:
        secret = register(live, f"http://127.0.0.1:{port}/events")
        expected = make_changes(live, 3)
        # Every event is waiting for the hub, and the first has been tried and has failed before
        # the stop (the others wait behind the hub's open circuit, attempted or not: that depends
        # on timing, since each failure reopens the circuit).
        assert eventually(
            lambda: len(rows := deliveries(database_url)) == expected and any(error is not None for _, error in rows)
        )
    with Receiver(port) as receiver, server(database_url, tmp_path):
        assert receiver.wait_for(lambda r: len({e["eventId"] for e in r.events()}) >= expected)
    assert len({event["eventId"] for event in receiver.events()}) == expected
    assert all(r.signature == r.expected_signature(secret) for r in receiver.received)
    # Tried while the receiver was down (the first; the rest waited behind the hub's open
    # circuit without spending an attempt), then delivered after the restart.
    assert any(int(r.headers["x-omnicart-delivery-attempt"]) >= 2 for r in receiver.received)
