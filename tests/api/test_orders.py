"""Orders over HTTP: reading them, the fulfilment simulator running by itself in sandbox
mode, and cancelling (omnicart extensions; docs/orders.md). Their lifecycle and the
rules of cancelling: tests/services/test_orders.py."""

from __future__ import annotations

import time

import msgspec
import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.domain.ids import time_uuid
from omnicart.wire.cart import CartCreate
from omnicart.wire.orders import Submission
from tests.api.conftest import CARTS, ORDERS, assert_error, complete_configuration, submit_url
from tests.carts import COMPLETE, line
from tests.conftest import SEED_REQUEST
from tests.credentials import API_KEYS, AUTH, JWT_SECRET


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode: the simulator is on, but its loop never fires during a test, so an
    order stays as submitted while a test reads it."""
    return Settings(
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        database_url=database_url,
        pool_size=4,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock, set before any cart is made."""


@pytest.fixture
def order(client, ready_cart) -> dict:
    """A freshly submitted order, as GET shows it."""
    submitted = client.post(submit_url(ready_cart["id"])).json()
    return client.get(f"{ORDERS}/{submitted['id']}").json()


def state_of(client, order: dict) -> str:
    return client.get(f"{ORDERS}/{order['id']}").json()["state"]


class TestReadingOrders:
    def test_an_order_shows_the_cart_as_submitted_and_its_state(self, client, ready_cart, order):
        assert order["href"] == f"http://testserver{ORDERS}/{order['id']}"
        assert (order["state"], order["cartId"]) == ("Submitted", ready_cart["id"])
        assert order["submissionDate"] == order["lastUpdate"] == "2026-01-15T12:00:00.250Z"
        for field in ("channel", "relatedParty", "productOrderItem", "orderTotalPrice"):
            assert order[field] == ready_cart[field]
        assert order["submission"] == {}
        assert order["stateHistory"] == [
            {"state": "Submitted", "date": "2026-01-15T12:00:00.250Z", "reason": "express-submit"}
        ]
        assert "completionDate" not in order and "mockScenario" not in order

    def test_a_page_of_orders_is_each_order_as_its_own_get_answers_it(self, client, ready_cart_request):
        # Listed orders are sent as stored (their view); a GET renders the order itself.
        channel = {**ready_cart_request["channel"], "storeNote": "kept as sent"}
        placed = []
        for _ in range(3):
            cart = client.post(CARTS, json={**ready_cart_request, "channel": channel}).json()
            complete_configuration(client, cart["id"])
            placed.append(client.post(submit_url(cart["id"])).json()["id"])
        client.post(f"{ORDERS}/{placed[1]}/cancel", json={"cancellationReason": "customer changed their mind"})
        page = client.get(ORDERS)
        listed = page.json()
        assert sorted(order["id"] for order in listed) == sorted(placed)
        assert page.content == b"[" + b",".join(client.get(f"{ORDERS}/{o['id']}").content for o in listed) + b"]"
        by_id = {order["id"]: order for order in listed}
        assert [by_id[i]["state"] for i in placed] == ["Submitted", "PendingCancel", "Submitted"]
        assert by_id[placed[1]]["cancellationReason"] == "customer changed their mind"
        assert [by_id[i]["href"] for i in placed] == [f"http://testserver{ORDERS}/{i}" for i in placed]
        assert {by_id[i]["channel"]["storeNote"] for i in placed} == {"kept as sent"}
        assert page.headers["X-Total-Count"] == "3"

    @pytest.mark.parametrize("order_id", ["177a1210-f019-11f0-a4f6-dd46c526bb51", "not-an-order"])
    def test_an_unknown_order_answers_404(self, client, order_id):
        assert_error(client.get(f"{ORDERS}/{order_id}"), 404, "OMNICART-ORDER-0404")

    def test_another_partners_order_answers_404_like_an_unknown_one(self, client):
        services = client.app.state.services
        request = msgspec.convert({**SEED_REQUEST, "items": line()}, CartCreate)
        theirs = client.portal.call(services.carts.create_cart, "partner-b", request)
        placed, _ = client.portal.call(
            services.orders.submit, "partner-b", theirs.id, msgspec.convert(COMPLETE, Submission)
        )
        theirs_answer = assert_error(client.get(f"{ORDERS}/{placed.id}"), 404, "OMNICART-ORDER-0404")
        unknown_answer = assert_error(client.get(f"{ORDERS}/{time_uuid()}"), 404, "OMNICART-ORDER-0404")
        assert theirs_answer["details"] == unknown_answer["details"] == {}
        assert client.get(ORDERS).json() == []
        assert_error(client.post(f"{ORDERS}/{placed.id}/cancel"), 404, "OMNICART-ORDER-0404")

    @pytest.mark.parametrize(
        ("query", "field"), [({"state": "Draft"}, "state"), ({"state": "done"}, "state"), ({"limit": 0}, "limit")]
    )
    def test_a_bad_query_is_refused(self, client, query, field):
        assert_error(client.get(ORDERS, params=query), 400, field=field)


class TestSimulatedFulfilment:
    def test_the_simulator_runs_by_itself_in_sandbox_mode(self, database_url, ready_cart_request):
        settings = Settings(
            api_keys=API_KEYS,
            jwt_secret=JWT_SECRET,
            database_url=database_url,
            pool_size=4,
            sandbox=True,
            fulfilment_step_seconds=0.05,
            fulfilment_poll_seconds=0.02,
        )
        with TestClient(create_app(settings), headers=AUTH) as client:
            cart = client.post(CARTS, json=ready_cart_request).json()
            placed = client.post(submit_url(cart["id"]), json=COMPLETE).json()
            deadline = time.monotonic() + 5
            while state_of(client, placed) != "Completed" and time.monotonic() < deadline:
                time.sleep(0.02)
            assert state_of(client, placed) == "Completed"


@pytest.fixture
def ready_cart_request(seed_request) -> dict:
    return {**seed_request, "items": line()}


class TestCancel:
    def test_the_reason_sent_is_kept(self, client, order):
        response = client.post(
            f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": "customer changed their mind"}
        )
        assert response.status_code == 200
        pending = response.json()
        assert (pending["state"], pending["cancellationReason"]) == ("PendingCancel", "customer changed their mind")
        assert pending["href"] == f"http://testserver{ORDERS}/{order['id']}"

    def test_the_body_is_optional(self, client, order):
        cancelled = client.post(f"{ORDERS}/{order['id']}/cancel").json()
        assert cancelled["state"] == "PendingCancel" and "cancellationReason" not in cancelled
        assert cancelled["stateHistory"][-1]["reason"] == "cancellation requested"

    def test_a_reason_of_the_wrong_type_is_refused(self, client, order):
        assert_error(
            client.post(f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": 7}),
            400,
            field="cancellationReason",
        )
        assert state_of(client, order) == "Submitted"
