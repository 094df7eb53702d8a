"""The two steps of a fiber cart, for the tests of the other one (docs/fiber.md).

A cart that orders fiber (a `Broadband_Offer` item) has two required configuration steps
besides `terms` and `payment`: `credit`, complete once a credit application's decision is
recorded on the cart, and `appointment`, completed only by express submit booking the slot
its body's `appointment` names (one checkout's `appointmentDates` offers). Neither alone
makes the cart ready. The appointment tests take the credit step here, and the credit
tests the appointment step, so that each tests its own step on a cart that lacks nothing
else; each step is taken one way, here, over HTTP and as a use case.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from omnicart.services.credit import CreditService
from omnicart.services.orders import OrderService
from omnicart.wire.credit import CreditApplicationRequest
from omnicart.wire.decoding import convert
from tests.appointment_world import DALLAS, FIBER_TERMS, fiber_cart_request
from tests.credentials import PARTNER

CARTS = "/omni-svcs/v1/carts"
CHECKOUT = "/omni-svcs/v1/checkout"
CREDIT = "/omni-svcs/v1/credit-application"


# -- over HTTP ---------------------------------------------------------------------------


def fiber_cart(client, address: str | None = DALLAS, *, credit: bool = True) -> dict:
    """A draft cart of the seed request's customer (Jordan Rivera) holding one AT&T Fiber
    300 line at `address`, its credit decision recorded unless `credit` is false (without a
    credit bureau there can be none); the cart as it is then."""
    response = client.post(CARTS, json=fiber_cart_request(address))
    assert response.status_code in (200, 201), response.text  # 200 in the carrier's profile
    cart = response.json()
    return record_credit(client, cart["id"]) if credit else cart


def record_credit(client, cart_id: str, headers: dict | None = None) -> dict:
    """The cart's credit step completed by a credit application whose class lets the order
    proceed (the sandbox world's Jordan Rivera, the seed's customer, is LOW); the cart as
    the decision left it. `headers`: the requests' (else the client's own)."""
    response = client.post(CREDIT, json={"cartId": cart_id}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["riskAssessment"]["blocksOrder"] is False, response.text
    return client.get(f"{CARTS}/{cart_id}", headers=headers).json()


def submission_with_a_slot(client, cart_id: str, headers: dict | None = None, **fields: Any) -> dict:
    """Express submit's body for a fiber cart: its terms and, completing its appointment
    step, the first technician slot the cart's checkout offers."""
    response = client.post(CHECKOUT, json={"cartId": cart_id}, headers=headers)
    assert response.status_code == 200, response.text
    slot = response.json()["appointmentDates"]["availableTimeSlot"][0]["id"]
    return {**copy.deepcopy(FIBER_TERMS), **fields, "appointment": {"id": slot}}


# -- as use cases --------------------------------------------------------------------------


async def record_credit_of(credit: CreditService, cart_id: str) -> dict:
    """`record_credit`, through the use case: the cart as the decision left it."""
    answer, changed = await credit.apply(PARTNER, convert({"cartId": cart_id}, CreditApplicationRequest))
    assert json.loads(answer)["riskAssessment"]["blocksOrder"] is False, answer
    return json.loads(changed.wire)


async def submission_with_a_slot_of(orders: OrderService, cart_id: str, **fields: Any) -> dict:
    """`submission_with_a_slot`, through the use case: express submit's body, undecoded."""
    dates = (await orders.checkout(PARTNER, cart_id)).appointmentDates
    assert dates is not None and dates.availableTimeSlot, "the cart's checkout offers no slot"
    return {**copy.deepcopy(FIBER_TERMS), **fields, "appointment": {"id": dates.availableTimeSlot[0].id}}
