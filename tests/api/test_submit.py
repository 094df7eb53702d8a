"""Checkout and express submit over HTTP: their requests and answers (Checkout v1.0.1,
Order Submission v1.0.2; docs/orders.md), and exactly one order however many requests,
threads and worker processes submit a cart. Their business rules: tests/services/test_submit.py."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.conftest import CARTS, CHECKOUT, ORDERS, assert_error, submit_url
from tests.carts import COMPLETE, line
from tests.live import LiveServer
from tests.outbox import outbox

FIVE_FIELDS = {"id", "customerOrderId", "state", "submissionDate", "orderSummaryAccessToken"}
CHECKOUT_FIELDS = {
    "cartId",
    "version",
    "state",
    "validation",
    "orderTotalPrice",
    "termsAndConditions",
    "fulfillmentOptions",
}


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock, set before any cart is made."""


def orders(client) -> list[dict]:
    return client.get(ORDERS, params={"limit": 100}).json()


class TestExpressSubmit:
    def test_a_ready_cart_becomes_an_order_answered_with_the_carriers_five_fields(self, client, ready_cart):
        response = client.post(submit_url(ready_cart["id"]), headers={"accept": "application/json"})

        assert response.status_code == 200
        body = response.json()
        assert set(body) == FIVE_FIELDS
        assert uuid.UUID(body["id"]).version == 1
        assert re.fullmatch(r"26-\d{14}", body["customerOrderId"])
        assert body["state"] == "Submitted"
        assert body["submissionDate"] == "2026-01-15T12:00:00.250Z"
        assert re.fullmatch(r"[0-9a-f]{41}", body["orderSummaryAccessToken"])
        order = client.get(f"{ORDERS}/{body['id']}").json()
        assert (order["cartId"], order["state"], order["customerOrderId"]) == (
            ready_cart["id"],
            "Submitted",
            body["customerOrderId"],
        )
        assert order["productOrderItem"] == ready_cart["productOrderItem"]
        assert order["orderTotalPrice"] == ready_cart["orderTotalPrice"]

    @pytest.mark.parametrize(("body", "field"), [
        ({"paymentMethods": "card"}, "paymentMethods"),
        ({"paymentMethods": ["card"]}, "paymentMethods[0]"),
        ({"enrollment": "autopay"}, "enrollment"),
        ({"terms": ["WCA"]}, "terms"),
    ])  # fmt: skip
    def test_carrier_fields_of_the_wrong_type_are_refused_and_nothing_changes(self, client, ready_cart, body, field):
        assert_error(client.post(submit_url(ready_cart["id"]), json=body), 400, field=field)
        assert client.get(f"{CARTS}/{ready_cart['id']}").json()["state"] == "Draft"
        assert orders(client) == []

    def test_a_body_that_is_not_json_is_refused(self, client, ready_cart):
        assert_error(
            client.post(submit_url(ready_cart["id"]), content=b"terms", headers={"content-type": "text/plain"}), 415
        )
        assert_error(client.post(submit_url(ready_cart["id"]), json=[1]), 400)

    @pytest.mark.parametrize("cart_id", ["dea79fb0-21c4-11f1-8527-67c36c11d002", "not-a-cart"])
    def test_an_unknown_cart_answers_404(self, client, cart_id):
        assert_error(client.post(submit_url(cart_id)), 404, "OMNICART-CART-0404")

    def test_if_match_must_name_the_current_version(self, client, ready_cart):
        stale = client.post(submit_url(ready_cart["id"]), headers={"If-Match": '"0"'})
        assert_error(stale, 412, "OMNICART-CART-0412")
        assert orders(client) == []
        current = client.post(submit_url(ready_cart["id"]), headers={"If-Match": f'"{ready_cart["version"]}"'})
        assert current.status_code == 200


class TestSubmittingTwice:
    def test_with_an_idempotency_key_the_first_answer_is_replayed(self, client, ready_cart):
        key = {"Idempotency-Key": "submit-7f3a"}
        first = client.post(submit_url(ready_cart["id"]), headers=key)
        again = client.post(submit_url(ready_cart["id"]), headers=key)
        assert (first.status_code, again.status_code) == (200, 200)
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert len(orders(client)) == 1

    def test_parallel_http_submits_make_exactly_one_order(self, client, ready_cart):
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(lambda _: client.post(submit_url(ready_cart["id"])), range(8)))
        assert [r.status_code for r in responses] == [200] * 8
        assert len({r.content for r in responses}) == 1
        assert len(orders(client)) == 1


@pytest.mark.slow
def test_two_worker_processes_place_each_order_once_and_fulfil_it_once(database_url, seed_request, tmp_path):
    """Parallel submits of each cart, spread over two workers, make one order per cart; the
    simulators of both workers then make each state change exactly once."""
    env = {"OMNICART_FULFILMENT_STEP_SECONDS": "0.2", "OMNICART_FULFILMENT_POLL_SECONDS": "0.05"}
    with LiveServer(database_url, workers=2, env=env, args=["--sandbox"], log=tmp_path / "server.log") as server:
        seed_request["items"] = line()
        carts = [httpx.post(f"{server.url}{CARTS}", json=seed_request, headers=server.headers).json() for _ in range(4)]

        async def race() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=server.url, headers=server.headers, timeout=60) as client:
                return await asyncio.gather(
                    *(client.post(submit_url(c["id"]), json=COMPLETE) for c in carts for _ in range(8))
                )

        responses = asyncio.run(race())
        assert [r.status_code for r in responses] == [200] * 32
        placed = {r.json()["id"] for r in responses}
        assert len(placed) == 4

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            listed = httpx.get(f"{server.url}{ORDERS}", headers=server.headers).json()
            if {o["state"] for o in listed} == {"Completed"}:
                break
            time.sleep(0.1)
        assert {o["id"] for o in listed} == placed and {o["state"] for o in listed} == {"Completed"}

    events = Counter(
        (envelope["event"]["productOrder"]["id"], envelope["event"]["productOrder"]["state"])
        for _, envelope in outbox(database_url, "productOrder")
    )
    assert events == Counter(
        {(order, state): 1 for order in placed for state in ("Submitted", "Acknowledged", "InProgress", "Completed")}
    )


class TestCheckout:
    def test_it_answers_the_carts_checkout_view_without_an_address_unless_given(self, client, ready_cart):
        response = client.post(CHECKOUT, json={"cartId": ready_cart["id"]})
        assert response.status_code == 200
        checkout = response.json()
        assert set(checkout) == CHECKOUT_FIELDS
        assert (checkout["cartId"], checkout["version"], checkout["state"]) == (
            ready_cart["id"],
            ready_cart["version"],
            "Draft",
        )
        assert [t["id"] for t in checkout["termsAndConditions"]] == ["WCA", "DP-TC"]

    def test_the_fulfillment_address_is_echoed(self, client, ready_cart):
        body = {"cartId": ready_cart["id"], "fulfillmentAddressId": "00000NG3XH"}
        assert client.post(CHECKOUT, json=body).json()["fulfillmentAddressId"] == "00000NG3XH"

    def test_a_missing_cart_id_is_refused(self, client):
        # Checkout Configuration's own code for missing fields (reference §7.2).
        assert_error(
            client.post(CHECKOUT, json={}), 400, "EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001", field="cartId"
        )

    def test_an_unknown_cart_answers_404(self, client):
        assert_error(
            client.post(CHECKOUT, json={"cartId": "dea79fb0-21c4-11f1-8527-67c36c11d002"}), 404, "OMNICART-CART-0404"
        )
