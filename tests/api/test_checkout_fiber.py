"""Checkout Configuration (`getCheckoutConfigurableOptions`) of fiber carts over HTTP: the
technician slots (`appointmentDates`) at the cart's service address or at the
`fulfillmentAddressId` of a move, the input errors in the operation's own codes, 501
without a scheduling provider, and the downstream failure, in both status profiles."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, CHECKOUT, assert_error, sandbox_settings, submit_url
from tests.appointment_world import (
    AMARILLO,
    DALLAS,
    FIRST_DAY_AT_DALLAS,
    NOWHERE,
    OFFERED_DAYS,
    PACIFIC,
    submission_with,
)
from tests.carts import line
from tests.conftest import START, FakeClock
from tests.credentials import API_KEYS, AUTH, JWT_SECRET, OTHER_AUTH
from tests.fiber import fiber_cart

CHECKOUT_FIELDS = {
    "cartId",
    "version",
    "state",
    "validation",
    "orderTotalPrice",
    "termsAndConditions",
    "fulfillmentOptions",
}
MISSING = "EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
DOWNSTREAM = "EXTSALESOPS-ORDER_CREATE-PURCHASE_ORDER-0002"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode: the providers are the sandbox world's."""
    return sandbox_settings(database_url)


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every test here runs on the fake clock: slots from Friday 2026-01-16."""


def checkout(client, cart_id: str, **fields):
    return client.post(CHECKOUT, json={"cartId": cart_id, **fields})


class TestFiberCheckout:
    def test_it_answers_the_technician_slots_at_the_service_address(self, client):
        cart = fiber_cart(client)
        response = checkout(client, cart["id"])
        assert response.status_code == 200
        body = response.json()
        assert set(body) == CHECKOUT_FIELDS | {"appointmentDates"}
        dates = body["appointmentDates"]
        assert dates["relatedPlace"] == {"id": DALLAS, "role": "serviceAddress"}
        assert dates["availableTimeSlot"][:3] == FIRST_DAY_AT_DALLAS
        assert sorted({slot["date"] for slot in dates["availableTimeSlot"]}) == OFFERED_DAYS
        assert [t["id"] for t in body["termsAndConditions"]] == ["WCA"]
        assert body["fulfillmentOptions"] == []

    def test_its_validation_says_the_appointment_is_pending(self, client):
        validation = checkout(client, fiber_cart(client)["id"]).json()["validation"]
        assert validation["readyToSubmit"] is False
        assert validation["configuration"][-1] == {
            "type": "appointment",
            "status": "pending",
            "required": True,
            "postOrderConfigurable": False,
        }

    def test_a_move_asks_for_the_slots_at_the_fulfillment_address(self, client):
        body = checkout(client, fiber_cart(client)["id"], fulfillmentAddressId=PACIFIC).json()
        assert body["fulfillmentAddressId"] == PACIFIC
        assert body["appointmentDates"]["relatedPlace"]["id"] == PACIFIC
        assert body["appointmentDates"]["availableTimeSlot"][0]["id"] == "000011VYAA-20260116-AM"

    def test_the_cart_is_not_changed(self, client):
        cart = fiber_cart(client)
        checkout(client, cart["id"])
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart

    def test_a_cart_without_fiber_has_no_appointment_dates(self, client, ready_cart):
        body = checkout(client, ready_cart["id"], fulfillmentAddressId=DALLAS).json()
        assert set(body) == CHECKOUT_FIELDS | {"fulfillmentAddressId"}


class TestBadInput:
    def test_a_missing_cart_id_is_the_operations_own_code(self, client):
        assert_error(client.post(CHECKOUT, json={"fulfillmentAddressId": DALLAS}), 400, MISSING, field="cartId")

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"cartId": 57}, "cartId"),
            ({"cartId": ""}, "cartId"),
            ({"cartId": "x", "fulfillmentAddressId": 5}, "fulfillmentAddressId"),
            ({"cartId": "x", "fulfillmentAddressId": ""}, "fulfillmentAddressId"),
            ({"cartId": "x", "fulfillmentAddressId": ["00000NG3XH"]}, "fulfillmentAddressId"),
        ],
        ids=["number", "empty cart id", "number address", "empty address", "list address"],
    )
    def test_wrong_types_are_refused(self, client, body, field):
        assert_error(client.post(CHECKOUT, json=body), 400, INVALID, field=field)

    def test_an_unknown_cart_answers_404(self, client):
        assert_error(checkout(client, "dea79fb0-21c4-11f1-8527-67c36c11d002"), 404, "OMNICART-CART-0404")

    def test_another_partners_cart_answers_404(self, client):
        cart = fiber_cart(client)
        assert_error(client.post(CHECKOUT, json={"cartId": cart["id"]}, headers=OTHER_AUTH), 404, "OMNICART-CART-0404")

    @pytest.mark.parametrize(
        ("address", "reason"),
        [
            (NOWHERE, "the address '00000XXXXX' is unknown to the address provider"),
            (AMARILLO, "the address '00000ZX9OR' is not fiber-eligible: the address is out of the fiber footprint"),
        ],
        ids=["unknown", "not eligible"],
    )
    def test_an_address_the_technician_cannot_go_to_is_refused(self, client, address, reason):
        body = assert_error(
            checkout(client, fiber_cart(client)["id"], fulfillmentAddressId=address),
            400,
            INVALID,
            field="fulfillmentAddressId",
        )
        assert body["details"]["errors"][0]["reason"] == reason

    def test_a_fiber_item_at_an_unknown_address_is_refused(self, client):
        assert_error(
            checkout(client, fiber_cart(client, NOWHERE)["id"]), 400, INVALID, field="productOrderItem[0].product.place"
        )

    def test_a_submitted_cart_has_no_checkout(self, client):
        cart = fiber_cart(client)
        slot = checkout(client, cart["id"]).json()["appointmentDates"]["availableTimeSlot"][0]["id"]
        assert client.post(submit_url(cart["id"]), json=submission_with(slot)).status_code == 200
        assert_error(checkout(client, cart["id"]), 409, "OMNICART-CART-0409")


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings):
    """A sandbox client in each profile, and its name."""
    chosen = dataclasses.replace(settings, profile=request.param)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        client.app.state.services.carts.clock = FakeClock(START)
        yield client, request.param


class TestProfiles:
    def test_a_downstream_failure_answers_the_carriers_code(self, profiled):
        client, profile = profiled
        cart = fiber_cart(client)
        response = client.post(CHECKOUT, json={"cartId": cart["id"]}, headers={"mock-scenario": "downstream_failure"})
        body = assert_error(response, {"omnicart": 502, "carrier": 500}[profile], DOWNSTREAM)
        assert body["details"] == {"provider": "scheduling"}

    def test_input_errors_are_400_in_both(self, profiled):
        client, _ = profiled
        assert_error(client.post(CHECKOUT, json={}), 400, MISSING, field="cartId")
        cart = fiber_cart(client)
        assert_error(checkout(client, cart["id"], fulfillmentAddressId=NOWHERE), 400, INVALID)

    def test_the_slots_are_the_same_in_both(self, profiled):
        client, _ = profiled
        body = checkout(client, fiber_cart(client)["id"]).json()
        assert body["appointmentDates"]["availableTimeSlot"][:3] == FIRST_DAY_AT_DALLAS


@pytest.fixture
def production(database_url: str):
    """Not a sandbox, and no provider configured (OMNICART_PROVIDERS unset)."""
    settings = Settings(api_keys=API_KEYS, jwt_secret=JWT_SECRET, database_url=database_url, pool_size=4)
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        yield client


class TestWithoutAProvider:
    def test_a_fiber_carts_checkout_answers_501(self, production):
        cart = fiber_cart(production, credit=False)  # no credit bureau either
        body = assert_error(checkout(production, cart["id"]), 501, "OMNICART-PROVIDER-0501")
        assert body["details"] == {"provider": "scheduling"}

    def test_a_cart_without_fiber_needs_none(self, production, seed_request):
        cart = production.post(CARTS, json={**seed_request, "items": line()}).json()
        response = checkout(production, cart["id"], fulfillmentAddressId=DALLAS)
        assert response.status_code == 200
        assert "appointmentDates" not in response.json()
