"""The console's order page shows a fiber order's service address and appointment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.appointment_world import DALLAS, submission_with
from tests.carts import COMPLETE, line
from tests.console.conftest import console_settings
from tests.fiber import fiber_cart

CARTS = "/omni-svcs/v1/carts"


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    """The sandbox's visitor (no session needed), with the sandbox world's providers."""
    quiet = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        yield client


def test_a_fiber_order_shows_where_and_when_the_technician_comes(sandbox):
    cart = fiber_cart(sandbox, DALLAS)  # its credit decision recorded
    slot = sandbox.post("/omni-svcs/v1/checkout", json={"cartId": cart["id"]}).json()["appointmentDates"]
    first = slot["availableTimeSlot"][0]
    order = sandbox.post(f"{CARTS}/{cart['id']}/express-submit", json=submission_with(first["id"])).json()
    page = sandbox.get(f"/console/orders/{order['id']}").text
    assert "<code>00000NG3XH</code> 208 S Akard St, Dallas, TX 75202" in page
    assert f'<dd id="appointment">{first["date"]}, 08:00 to 12:00 (<code>{first["id"]}</code>)</dd>' in page


def test_an_order_without_fiber_shows_neither(sandbox, seed_request):
    cart = sandbox.post(CARTS, json={**seed_request, "items": line()}).json()
    order = sandbox.post(f"{CARTS}/{cart['id']}/express-submit", json=COMPLETE).json()
    page = sandbox.get(f"/console/orders/{order['id']}").text
    assert "Service address" not in page and 'id="appointment"' not in page
