"""Orders over HTTP: reading them, their lifecycle under the fulfilment simulator, and
cancelling (omnicart extensions; docs/orders.md)."""

from __future__ import annotations

import time
from datetime import timedelta

import msgspec
import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.domain.ids import time_uuid
from omnicart.wire.cart import CartCreate
from omnicart.wire.orders import Submission
from tests.api.conftest import CARTS, COMPLETE, ORDERS, advance, assert_error, submit_url
from tests.api.test_items import line
from tests.conftest import SEED_REQUEST
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.outbox import outbox

STEP = 5.0  # the default OMNICART_FULFILMENT_STEP_SECONDS


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode: the simulator is on, but its loop never fires during a test; the tests
    make the due steps themselves with the fake clock (`advance`)."""
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


def history(client, order: dict) -> list[tuple[str, str]]:
    return [(c["state"], c["date"]) for c in client.get(f"{ORDERS}/{order['id']}").json()["stateHistory"]]


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

    def test_orders_are_listed_newest_first_and_filtered_by_state(self, client, clock, seed_request):
        ids = []
        for _ in range(3):
            cart = client.post(CARTS, json={**seed_request, "items": line()}).json()
            ids.append(client.post(submit_url(cart["id"]), json=COMPLETE).json()["id"])
            clock.advance(1)
        client.post(f"{ORDERS}/{ids[1]}/cancel")

        listed = client.get(ORDERS)
        assert [o["id"] for o in listed.json()] == ids[::-1] and listed.headers["x-result-count"] == "3"
        assert [o["id"] for o in client.get(ORDERS, params={"state": "PendingCancel"}).json()] == [ids[1]]
        assert [o["id"] for o in client.get(ORDERS, params={"limit": 1, "offset": 1}).json()] == [ids[1]]

    @pytest.mark.parametrize(
        ("query", "field"), [({"state": "Draft"}, "state"), ({"state": "done"}, "state"), ({"limit": 0}, "limit")]
    )
    def test_a_bad_query_is_refused(self, client, query, field):
        assert_error(client.get(ORDERS, params=query), 400, field=field)


class TestSimulatedFulfilment:
    def test_an_order_goes_from_submitted_to_completed_one_step_at_a_time(self, client, clock, order):
        assert advance(client, clock, STEP - 0.001) == 0
        assert state_of(client, order) == "Submitted"
        for state in ("Acknowledged", "InProgress", "Completed"):
            assert advance(client, clock, 0.001) == 1
            assert state_of(client, order) == state
            clock.advance(STEP - 0.001)
        completed = client.get(f"{ORDERS}/{order['id']}").json()
        assert completed["completionDate"] == completed["lastUpdate"] == "2026-01-15T12:00:15.250Z"
        assert history(client, order)[1:] == [
            ("Acknowledged", "2026-01-15T12:00:05.250Z"),
            ("InProgress", "2026-01-15T12:00:10.250Z"),
            ("Completed", "2026-01-15T12:00:15.250Z"),
        ]
        assert advance(client, clock, 3600) == 0

    def test_every_change_is_committed_with_its_event(self, client, clock, order, database_url):
        advance(client, clock, 3 * STEP)
        events = outbox(database_url, "productOrder")
        assert [kind for kind, _ in events] == ["ProductOrderCreateEvent"] + ["ProductOrderStateChangeEvent"] * 3
        snapshots = [envelope["event"]["productOrder"] for _, envelope in events]
        assert [s["state"] for s in snapshots] == ["Submitted", "Acknowledged", "InProgress", "Completed"]
        assert {s["id"] for s in snapshots} == {order["id"]} and all("href" not in s for s in snapshots)
        assert [len(s["stateHistory"]) for s in snapshots] == [1, 2, 3, 4]

    def test_steps_that_fell_due_meanwhile_are_made_in_order(self, client, clock, order):
        assert advance(client, clock, 3600) == 1
        assert [state for state, _ in history(client, order)] == [
            "Submitted",
            "Acknowledged",
            "InProgress",
            "Completed",
        ]

    def test_a_failure_rate_of_one_fails_every_order(self, database_url, ready_cart_request):
        settings = Settings(
            api_keys=API_KEYS,
            jwt_secret=JWT_SECRET,
            database_url=database_url,
            pool_size=4,
            sandbox=True,
            fulfilment_poll_seconds=3600,
            fulfilment_failure_rate=1.0,
            fulfilment_step_seconds=1,
        )
        with TestClient(create_app(settings), headers=AUTH) as client:
            cart = client.post(CARTS, json=ready_cart_request).json()
            placed = client.post(submit_url(cart["id"]), json=COMPLETE).json()
            client.portal.call(
                client.app.state.services.orders.advance_due_orders,
                client.app.state.services.orders.clock() + timedelta(seconds=3),
            )
            final = client.get(f"{ORDERS}/{placed['id']}").json()
        assert final["state"] == "Failed" and "failure rate 1" in final["stateHistory"][-1]["reason"]

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

    def test_outside_sandbox_mode_orders_stay_as_submitted(self, database_url, ready_cart_request):
        with TestClient(
            create_app(Settings(api_keys=API_KEYS, jwt_secret=JWT_SECRET, database_url=database_url, pool_size=4)),
            headers=AUTH,
        ) as client:
            cart = client.post(CARTS, json=ready_cart_request).json()
            placed = client.post(submit_url(cart["id"]), json=COMPLETE).json()
            later = client.app.state.services.orders.clock() + timedelta(days=1)
            assert client.portal.call(client.app.state.services.orders.advance_due_orders, later) == 0
            assert state_of(client, placed) == "Submitted"


@pytest.fixture
def ready_cart_request(seed_request) -> dict:
    return {**seed_request, "items": line()}


class TestCancel:
    def test_a_running_order_is_pending_cancel_then_cancelled_one_step_later(self, client, clock, order, database_url):
        advance(client, clock, STEP)  # Acknowledged
        response = client.post(
            f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": "customer changed their mind"}
        )
        assert response.status_code == 200
        pending = response.json()
        assert (pending["state"], pending["cancellationReason"]) == ("PendingCancel", "customer changed their mind")
        assert "cancellationDate" not in pending

        assert advance(client, clock, STEP - 0.001) == 0  # the rest of the plan is gone
        assert advance(client, clock, 0.001) == 1
        cancelled = client.get(f"{ORDERS}/{order['id']}").json()
        assert (cancelled["state"], cancelled["cancellationDate"]) == ("Cancelled", "2026-01-15T12:00:10.250Z")
        assert [state for state, _ in history(client, order)] == [
            "Submitted",
            "Acknowledged",
            "PendingCancel",
            "Cancelled",
        ]
        assert [envelope["event"]["productOrder"]["state"] for _, envelope in outbox(database_url, "productOrder")] == [
            "Submitted",
            "Acknowledged",
            "PendingCancel",
            "Cancelled",
        ]
        assert advance(client, clock, 3600) == 0

    def test_the_body_is_optional(self, client, order):
        cancelled = client.post(f"{ORDERS}/{order['id']}/cancel").json()
        assert cancelled["state"] == "PendingCancel" and "cancellationReason" not in cancelled
        assert cancelled["stateHistory"][-1]["reason"] == "cancellation requested"

    def test_cancelling_again_changes_nothing(self, client, clock, order):
        first = client.post(f"{ORDERS}/{order['id']}/cancel").json()
        assert client.post(f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": "again"}).json() == first
        advance(client, clock, STEP)
        cancelled = client.get(f"{ORDERS}/{order['id']}").json()
        assert client.post(f"{ORDERS}/{order['id']}/cancel").json() == cancelled

    def test_a_completed_order_cannot_be_cancelled(self, client, clock, order):
        advance(client, clock, 3 * STEP)
        body = assert_error(client.post(f"{ORDERS}/{order['id']}/cancel"), 409, "OMNICART-ORDER-0409")
        assert "from Completed to PendingCancel" in body["message"]
        assert body["details"] == {"state": "Completed", "requestedState": "PendingCancel", "allowedStates": []}
        assert state_of(client, order) == "Completed"

    def test_without_the_simulator_a_cancellation_completes_at_once(self, database_url, ready_cart_request):
        settings = Settings(
            api_keys=API_KEYS,
            jwt_secret=JWT_SECRET,
            database_url=database_url,
            pool_size=4,
            sandbox=True,
            fulfilment=False,
        )
        with TestClient(create_app(settings), headers=AUTH) as client:
            cart = client.post(CARTS, json=ready_cart_request).json()
            placed = client.post(submit_url(cart["id"]), json=COMPLETE).json()
            cancelled = client.post(f"{ORDERS}/{placed['id']}/cancel").json()
        assert cancelled["state"] == "Cancelled"
        assert [c["state"] for c in cancelled["stateHistory"]] == ["Submitted", "PendingCancel", "Cancelled"]
        assert [envelope["event"]["productOrder"]["state"] for _, envelope in outbox(database_url, "productOrder")] == [
            "Submitted",
            "PendingCancel",
            "Cancelled",
        ]

    def test_a_reason_of_the_wrong_type_is_refused(self, client, order):
        assert_error(
            client.post(f"{ORDERS}/{order['id']}/cancel", json={"cancellationReason": 7}),
            400,
            field="cancellationReason",
        )
        assert state_of(client, order) == "Submitted"
