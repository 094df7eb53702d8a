"""Checkout and express submit over HTTP: from a draft cart to exactly one order
(Checkout v1.0.1, Order Submission v1.0.2; docs/orders.md)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import msgspec
import pytest

from omnicart.wire.cart import CartCreate
from omnicart.wire.orders import Submission
from tests.api.conftest import CARTS, CHECKOUT, COMPLETE, ORDERS, assert_error, complete_configuration, submit_url
from tests.api.test_items import IMEI, IPHONE, PROTECT, RETIRED, SIM, VALUE_PLUS, line
from tests.credentials import PARTNER
from tests.live import LiveServer
from tests.outbox import outbox

FIVE_FIELDS = {"id", "customerOrderId", "state", "submissionDate", "orderSummaryAccessToken"}
NOT_READY = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock, set before any cart is made."""


def orders(client) -> list[dict]:
    return client.get(ORDERS, params={"limit": 100}).json()


def error_codes(body: dict) -> list[str]:
    return [
        next(p["value"] for p in m["parameter"] if p["name"] == "code") for m in body["details"]["validationMessage"]
    ]


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

    def test_the_order_and_its_create_event_are_committed_together(self, client, ready_cart, database_url):
        order_id = client.post(submit_url(ready_cart["id"])).json()["id"]
        ((kind, envelope),) = outbox(database_url, "productOrder")
        assert kind == envelope["eventType"] == "ProductOrderCreateEvent"
        assert envelope["event"]["productOrder"]["id"] == order_id
        assert envelope["event"]["productOrder"]["state"] == "Submitted"

    def test_the_body_is_optional_and_kept_with_the_order_as_sent(self, client, ready_cart):
        body = {
            "paymentMethods": [{"id": "paymentmethod_1", "amount": 871.4, "encPaymentMethod": "<encrypted>"}],
            "enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""},
            "oneTimePayment": {"paymentMethodId": "paymentmethod_1"},
            "terms": {"WCA": True, "DP-TC": True},
            "fulfillmentOption": {"id": "standard-shipping"},  # not modelled: kept too
        }
        order_id = client.post(submit_url(ready_cart["id"]), json=body).json()["id"]
        assert client.get(f"{ORDERS}/{order_id}").json()["submission"] == body

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

    def test_the_submitted_cart_is_frozen(self, client, ready_cart):
        cart_url = f"{CARTS}/{ready_cart['id']}"
        client.post(submit_url(ready_cart["id"]))

        submitted = client.get(cart_url).json()
        assert (submitted["state"], submitted["version"]) == ("Submitted", ready_cart["version"] + 1)
        for refused in (
            client.post(f"{cart_url}/items", json={"items": [{"productOfferingId": SIM}]}),
            client.patch(f"{cart_url}/items/line-1-sim", json={"quantity": 2}),
            client.delete(f"{cart_url}/items/line-1-sim"),
            client.delete(cart_url),
        ):
            body = assert_error(refused, 409, "OMNICART-CART-0409")
            assert "Submitted" in body["message"]
        assert client.get(cart_url).json() == submitted

    def test_an_invalid_cart_is_refused_with_its_validation_messages(self, client, cart):
        client.post(
            f"{CARTS}/{cart['id']}/items",
            json={
                "items": [
                    {
                        "productOrderItemId": "p",
                        "productOfferingType": "Device_Protection",
                        "productOfferingId": PROTECT,
                    },
                    {"productOrderItemId": "x", "productOfferingId": "no-such-offering"},
                ]
            },
        )
        body = assert_error(client.post(submit_url(cart["id"])), 422, NOT_READY)
        assert error_codes(body) == ["PROTECTION_WITHOUT_DEVICE", "OFFERING_NOT_FOUND"]
        assert client.get(f"{CARTS}/{cart['id']}").json()["state"] == "Draft"
        assert orders(client) == []

    def test_an_empty_cart_is_refused_saying_so(self, client, cart):
        body = assert_error(client.post(submit_url(cart["id"])), 422, NOT_READY)
        assert error_codes(body) == ["CART_EMPTY"]

    def test_validation_is_checked_again_at_submit_time(self, client, clock, seed_request):
        # The iPhone 15 was on sale until 2025-09-19: ready when the cart was made, not a day later.
        clock.now = clock.now.replace(year=2025, month=9, day=18)
        seed_request["items"] = [
            {"productOrderItemId": "line", "productOfferingType": "Mobile_Offer", "productOfferingId": VALUE_PLUS},
            {"productOrderItemId": "phone", "productOfferingId": RETIRED, "rootBundleProductOrderItemId": "line"},
        ]
        cart = client.post(CARTS, json=seed_request).json()
        complete_configuration(client, cart["id"])
        cart = client.get(f"{CARTS}/{cart['id']}").json()
        assert cart["validation"]["readyToSubmit"]
        clock.advance(2 * 86400)

        body = assert_error(client.post(submit_url(cart["id"])), 422, NOT_READY)
        assert error_codes(body) == ["OFFERING_NOT_SELLABLE"]
        assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == cart["version"]

    @pytest.mark.parametrize("cart_id", ["dea79fb0-21c4-11f1-8527-67c36c11d002", "not-a-cart"])
    def test_an_unknown_cart_answers_404(self, client, cart_id):
        assert_error(client.post(submit_url(cart_id)), 404, "OMNICART-CART-0404")

    def test_another_partners_cart_answers_404(self, client):
        from tests.conftest import SEED_REQUEST

        theirs = client.portal.call(
            client.app.state.services.carts.create_cart, "partner-b", msgspec.convert(SEED_REQUEST, CartCreate)
        )
        assert_error(client.post(submit_url(theirs.id)), 404, "OMNICART-CART-0404")

    def test_if_match_must_name_the_current_version(self, client, ready_cart):
        stale = client.post(submit_url(ready_cart["id"]), headers={"If-Match": '"0"'})
        assert_error(stale, 412, "OMNICART-CART-0412")
        assert orders(client) == []
        current = client.post(submit_url(ready_cart["id"]), headers={"If-Match": f'"{ready_cart["version"]}"'})
        assert current.status_code == 200


class TestSubmittingTwice:
    def test_a_second_submit_answers_the_same_order(self, client, ready_cart, clock):
        first = client.post(submit_url(ready_cart["id"]))
        clock.advance(60)
        again = client.post(submit_url(ready_cart["id"]), json={"terms": {"WCA": True}})
        assert again.status_code == 200 and again.content == first.content
        assert len(orders(client)) == 1

    def test_it_answers_as_submitted_whatever_the_order_became(self, client, ready_cart):
        first = client.post(submit_url(ready_cart["id"])).json()
        client.post(f"{ORDERS}/{first['id']}/cancel")
        assert client.post(submit_url(ready_cart["id"])).json() == first

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

    def test_concurrent_submits_through_the_service_make_exactly_one_order(self, client, ready_cart):
        service = client.app.state.services.orders

        async def race():
            return await asyncio.gather(*(service.submit(PARTNER, ready_cart["id"], Submission()) for _ in range(16)))

        placed = client.portal.call(race)
        assert len({order.id for order, _ in placed}) == 1
        assert len(orders(client)) == 1

    def test_a_taken_customer_order_id_is_drawn_again(self, client, ready_cart, seed_request):
        first = client.post(submit_url(ready_cart["id"])).json()
        other = client.post(CARTS, json={**seed_request, "items": line()}).json()
        service = client.app.state.services.orders
        drawn = iter([first["customerOrderId"], "26-00000000000002"])
        service.customer_order_ids = lambda at: next(drawn)
        assert client.post(submit_url(other["id"]), json=COMPLETE).json()["customerOrderId"] == "26-00000000000002"


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
    def test_it_answers_validation_totals_terms_and_options_and_changes_nothing(self, client, ready_cart):
        response = client.post(CHECKOUT, json={"cartId": ready_cart["id"]})

        assert response.status_code == 200
        checkout = response.json()
        assert (checkout["cartId"], checkout["version"], checkout["state"]) == (
            ready_cart["id"],
            ready_cart["version"],
            "Draft",
        )
        assert checkout["validation"] == ready_cart["validation"]
        assert checkout["orderTotalPrice"] == ready_cart["orderTotalPrice"]
        assert [t["id"] for t in checkout["termsAndConditions"]] == ["WCA", "DP-TC"]
        assert all(t["name"] and t["text"] and t["version"] and t["required"] for t in checkout["termsAndConditions"])
        assert [(o["id"], o["fulfillmentMethod"]) for o in checkout["fulfillmentOptions"]] == [
            ("standard-shipping", "DF"),
            ("express-shipping", "DF"),
            ("store-pickup", "ISPU"),
        ]
        assert checkout["fulfillmentOptions"][0]["dates"] == {
            "deliveryDates": {"dateFrom": "2026-01-18", "dateTo": "2026-01-20"}
        }
        assert checkout["fulfillmentOptions"][1]["finalPrice"] == {"dutyFreeAmount": {"unit": "USD", "value": 14.99}}
        assert "fulfillmentAddressId" not in checkout
        assert client.get(f"{CARTS}/{ready_cart['id']}").json() == ready_cart

    def test_terms_and_options_follow_what_is_ordered(self, client, cart):
        client.post(
            f"{CARTS}/{cart['id']}/items",
            json={
                "items": [
                    {
                        "productOrderItemId": "line",
                        "productOfferingType": "Mobile_Offer",
                        "productOfferingId": VALUE_PLUS,
                    },
                    {
                        "productOrderItemId": "byod",
                        "productOfferingId": IPHONE,
                        "rootBundleProductOrderItemId": "line",
                        "characteristic": [{"name": "isBYOD", "value": "true"}, {"name": "IMEI", "value": IMEI}],
                    },
                ]
            },
        )
        checkout = client.post(CHECKOUT, json={"cartId": cart["id"]}).json()
        # The customer's own phone: nothing to ship, nothing paid in installments.
        assert [t["id"] for t in checkout["termsAndConditions"]] == ["WCA"]
        assert checkout["fulfillmentOptions"] == []

        client.post(
            f"{CARTS}/{cart['id']}/items",
            json={
                "items": [
                    {"productOrderItemId": "phone", "productOfferingId": IPHONE, "rootBundleProductOrderItemId": "line"}
                ]
            },
        )
        checkout = client.post(CHECKOUT, json={"cartId": cart["id"]}).json()
        assert [t["id"] for t in checkout["termsAndConditions"]] == ["WCA", "IA"]
        assert len(checkout["fulfillmentOptions"]) == 3

    def test_an_empty_cart_has_nothing_to_accept(self, client, cart):
        checkout = client.post(CHECKOUT, json={"cartId": cart["id"]}).json()
        assert (checkout["termsAndConditions"], checkout["fulfillmentOptions"]) == ([], [])
        assert checkout["validation"]["readyToSubmit"] is False

    def test_the_fulfillment_address_is_echoed(self, client, ready_cart):
        body = {"cartId": ready_cart["id"], "fulfillmentAddressId": "00000NG3XH"}
        assert client.post(CHECKOUT, json=body).json()["fulfillmentAddressId"] == "00000NG3XH"

    def test_it_validates_as_of_now_without_storing_it(self, client, clock, seed_request):
        clock.now = clock.now.replace(year=2025, month=9, day=18)
        seed_request["items"] = [{"productOrderItemId": "phone", "productOfferingId": RETIRED}]
        cart = client.post(CARTS, json=seed_request).json()
        clock.advance(2 * 86400)
        checkout = client.post(CHECKOUT, json={"cartId": cart["id"]}).json()
        assert checkout["validation"]["readyToSubmit"] is False
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart

    def test_a_missing_cart_id_is_refused(self, client):
        assert_error(client.post(CHECKOUT, json={}), 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001", field="cartId")

    def test_an_unknown_cart_answers_404(self, client):
        assert_error(
            client.post(CHECKOUT, json={"cartId": "dea79fb0-21c4-11f1-8527-67c36c11d002"}), 404, "OMNICART-CART-0404"
        )

    def test_a_submitted_cart_has_no_checkout(self, client, ready_cart):
        client.post(submit_url(ready_cart["id"]))
        assert_error(client.post(CHECKOUT, json={"cartId": ready_cart["id"]}), 409, "OMNICART-CART-0409")
