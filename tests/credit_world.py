"""What the credit tests take from the sandbox world (src/omnicart/data/world.json, listed
in docs/sandbox.md), written out by hand: each test customer and the risk class the
sandbox's credit bureau answers for them, a customer nobody knows, and the requests that
build a fiber cart for a customer and apply for its credit. A fiber cart needs an
appointment too before it is submitted: tests/fiber.py books one."""

from __future__ import annotations

import copy
from typing import Any

from tests.appointment_world import fiber_item
from tests.conftest import SEED_REQUEST

# customer id → the risk class credit-application answers for them (world.json creditRisk)
JORDAN = "3f7f9189-974e-4639-8343-4a1819a98c7e"  # the carrier's seed Create Cart customer
MORGAN = "8a4c2e10-5b6d-4f7a-9c8b-1d2e3f4a5b60"
CASEY = "b7d3f1a2-6c8e-4d9f-8a1b-2c3d4e5f6a71"
TAYLOR = "c1e2d3f4-7a8b-4c9d-8e0f-3a4b5c6d7e82"
RILEY = "d2f3e4a5-8b9c-4dae-9f10-4b5c6d7e8f93"
AVERY = "e3a4f5b6-9cad-4ebf-a021-5c6d7e8f9a04"
RISK_OF = {
    JORDAN: "LOW",
    MORGAN: "MEDIUM",
    CASEY: "HIGH",
    TAYLOR: "Fraud Risk",
    RILEY: "Abusive Risk",
    AVERY: "Analyst Review",
}
STRANGER = "00000000-0000-4000-8000-000000000000"  # no customer of the sandbox world

# mock-scenario `credit_risk;class=…` values and the class each answers
SCENARIO_CLASSES = {
    "low": "LOW",
    "medium": "MEDIUM",
    "high": "HIGH",
    "fraud_risk": "Fraud Risk",
    "abusive_risk": "Abusive Risk",
    "analyst_review": "Analyst Review",
}
BLOCKING = {"Fraud Risk", "Abusive Risk", "Analyst Review"}

# The carrier's id formats (reference §4.3: U35456657879, 602177078164, P20210818000068739)
UNIFIED_CREDIT_TRANSACTION_ID = r"U[0-9]{11}"
CAS_APPLICATION_ID = r"[1-9][0-9]{11}"
UNIFIED_POLICY_TRANSACTION_ID = r"P[0-9]{8}[0-9]{9}"


def cart_request(customer_id: str | None = JORDAN, *, fiber: bool = True) -> dict[str, Any]:
    """The seed Create Cart request with `customer_id` as its customer party (None: the cart
    has no customer party), holding a fiber line (AT&T Fiber 300 at the service address
    tests/appointment_world.py's DALLAS, where its technician can be booked) unless `fiber`
    is false."""
    request = copy.deepcopy(SEED_REQUEST)
    parties = [p for p in request["relatedParty"] if p["role"] != "customer"]
    customer = next(p for p in request["relatedParty"] if p["role"] == "customer")
    if customer_id is not None:
        parties.append({**customer, "id": customer_id})
    request["relatedParty"] = parties
    if fiber:
        request["items"] = [fiber_item()]
    return request


def application(cart_id: str, **fields: Any) -> dict[str, Any]:
    """A first credit application for the cart, as the carrier's body has it (§4.3)."""
    return {
        "cartId": cart_id,
        "userInfo": {
            "birthdate": "1959-01-01",
            "legalId": [{"identificationId": "123456789", "identificationType": "SocialSecurityNumber"}],
        },
        **fields,
    }
