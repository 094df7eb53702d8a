"""The carrier's fiber move, end to end through the HTTP API (docs/fiber.md, issue 18):
find the customer, authenticate them, qualify the new address, create their cart, add a
qualified offer there, run the credit check, check out and pick a technician slot,
consent to the terms with a payment method, submit with the appointment, and read the
order that shows the fiber line, the address and the appointment; and the slot is gone
for the next customer. Every expected value is written here by hand."""

from __future__ import annotations

import re

import pytest

from tests.api.sandbox import CUSTOMER_AUTH, QUALIFICATION, SEARCH, sandbox_client
from tests.carts import payment_request
from tests.world import AKARD, JORDAN, qualification_request

CARTS = "/omni-svcs/v1/carts"
ONE_GIG = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a52"  # AT&T Fiber 1 GIG, 80.00 a month
SLOT = re.compile(r"^00000NG3XH-\d{8}-(AM|PM|EVE)$")


@pytest.fixture
def client(settings):
    with sandbox_client(settings) as client:
        yield client


def ok(response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_a_fiber_move_from_search_to_the_order(client, seed_request):
    found = ok(
        client.post(SEARCH, json={"serviceType": "FIBER", "pageSize": 5, "pageOffset": 1, "familyName": "Rivera"})
    )
    assert [c["id"] for c in found["individuals"]] == [JORDAN] and found["totalCount"] == 1

    assert ok(client.post(CUSTOMER_AUTH, json={"partnerCustomerUUID": JORDAN, "last4SSN": "1234"})) == {
        "status": "SUCCESS"
    }

    qualified = ok(client.post(QUALIFICATION, json=qualification_request()))
    assert qualified["addressValidation"]["validationResult"] == "success"
    assert qualified["addressValidation"]["validGeographicAddress"]["id"] == AKARD
    [offer] = [o for o in qualified["offers"] if o["id"] == ONE_GIG]
    assert (offer["name"], offer["productOfferingType"]) == ("AT&T Fiber 1 GIG", "Broadband_Offer")
    assert offer["productOfferingPrice"][0]["price"]["dutyFreeAmount"] == {"unit": "USD", "value": 80.0}

    cart = ok(client.post(CARTS, json=seed_request))  # the carrier's example: Jordan's cart
    item = {
        "productOrderItemId": "fiber-1",
        "action": "add",
        "productOfferingType": offer["productOfferingType"],
        "productOfferingId": offer["id"],
        "product": {"place": [{"role": "serviceAddress", "id": AKARD}]},
    }
    added = ok(client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]}))
    steps = {step["type"]: (step["status"], step["required"]) for step in added["validation"]["configuration"]}
    assert steps["credit"] == ("pending", True) and steps["appointment"] == ("pending", True)
    assert added["validation"]["readyToSubmit"] is False

    credit = ok(client.post("/omni-svcs/v1/credit-application", json={"cartId": cart["id"]}))
    assert credit["creditRisk"] == "LOW"
    assert client.get(f"{CARTS}/{cart['id']}").json()["creditDecision"]["creditRisk"] == "LOW"

    checkout = ok(client.post("/omni-svcs/v1/checkout", json={"cartId": cart["id"]}))
    slot = checkout["appointmentDates"]["availableTimeSlot"][0]
    assert SLOT.match(slot["id"]) and (slot["startTime"], slot["endTime"]) == ("08:00:00", "12:00:00")

    ok(client.post("/omni-svcs/v1/payment-methods", json=payment_request(cart["id"])))
    submitted = ok(client.post(f"{CARTS}/{cart['id']}/express-submit", json={"appointment": {"id": slot["id"]}}))
    assert set(submitted) == {"id", "customerOrderId", "state", "submissionDate", "orderSummaryAccessToken"}

    order = ok(client.get(f"/omni-svcs/v1/orders/{submitted['id']}"))
    assert [i["productOfferingId"] for i in order["productOrderItem"]] == [ONE_GIG]
    assert order["serviceAddress"]["id"] == AKARD and order["serviceAddress"]["city"] == "Dallas"
    assert order["appointment"]["id"] == slot["id"] and order["appointment"]["date"] == slot["date"]

    # The AM window takes two a day: one is left of this slot for the next customer.
    again = ok(
        client.post(
            "/omni-svcs/v1/checkout",
            json={"cartId": ok(client.post(CARTS, json={**seed_request, "items": [item]}))["id"]},
        )
    )
    [same] = [s for s in again["appointmentDates"]["availableTimeSlot"] if s["id"] == slot["id"]]
    assert (slot["remaining"], same["remaining"]) == (2, 1)
