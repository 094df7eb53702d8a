"""An omnicart app served in-process over HTTP, on each database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings

CARTS = "/omni-svcs/v1/carts"
PARTNER = "sandbox"  # the partner every test request acts for


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, pool_size=4)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def cart(client: TestClient, seed_request: dict) -> dict:
    """A freshly created draft cart, as the API returned it."""
    response = client.post(CARTS, json=seed_request)
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """The one error format: code, message, status, details (with the bad field's path)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "status", "details"}
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert [e["field"] for e in body["details"]["errors"]] == [field]
    return body


@pytest.fixture
def live_server(database_url: str, tmp_path):
    """`omnicart serve` with two worker processes on the test database."""
    from tests.live import LiveServer

    with LiveServer(database_url, workers=2, log=tmp_path / "server.log") as server:
        yield server


# -- ordering ----------------------------------------------------------------------------

ORDERS = "/omni-svcs/v1/orders"
CHECKOUT = "/omni-svcs/v1/checkout"


def submit_url(cart_id: str) -> str:
    return f"{CARTS}/{cart_id}/express-submit"


class FakeClock:
    """The services' clock, moved by the test: submission dates and fulfilment steps are
    exact, and no test waits for a step to fall due."""

    def __init__(self, now) -> None:
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock(client) -> FakeClock:
    from datetime import UTC, datetime

    fake = FakeClock(datetime(2026, 1, 15, 12, 0, 0, 250000, tzinfo=UTC))
    client.app.state.service.clock = fake
    return fake


@pytest.fixture
def ready_cart(client, seed_request) -> dict:
    """A draft cart holding a whole new line (plan, phone, SIM, protection): ready to submit."""
    from tests.api.test_items import line

    seed_request["items"] = line()
    response = client.post(CARTS, json=seed_request)
    assert response.status_code == 201 and response.json()["validation"]["readyToSubmit"], response.text
    return response.json()


def advance(client, clock: FakeClock, seconds: float) -> int:
    """Move the clock and let the fulfilment simulator make what is due; how many orders changed."""
    return client.portal.call(client.app.state.orders.advance_due_orders, clock.advance(seconds))
