"""One order, two shapes: omnicart's order and TMF622's ProductOrder (domain/tmf_orders.py).

Each case is a pair of literal documents, written by hand: the order as omnicart keeps it
and the ProductOrder it reads as; a TMF622 ProductOrder_Create and the cart parts it makes.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from omnicart.domain.order import Order
from omnicart.domain.tmf_orders import STATES, cancel_task, cart_parts, product_order, states_named
from omnicart.wire.cart import State
from omnicart.wire.tmf.product_order import ProductOrderCreate

HREF = "http://127.0.0.1:8000/tmf-api/productOrderingManagement/v4/productOrder/9d1f2a10-cb0e-11f0-8de9-0242ac120002"
CANCEL_HREF = (
    "http://127.0.0.1:8000/tmf-api/productOrderingManagement/v4/cancelProductOrder/9d1f2a10-cb0e-11f0-8de9-0242ac120002"
)
ORDER_ID = "9d1f2a10-cb0e-11f0-8de9-0242ac120002"
USD0 = {"unit": "USD", "value": 0.0}


def money(value: float) -> dict[str, Any]:
    return {"unit": "USD", "value": value}


def cart(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "9c000000-cb0e-11f0-8de9-0242ac120002",
        "version": 5,
        "state": "Submitted",
        "creationDate": "2026-11-28T12:00:00.000Z",
        "lastUpdate": "2026-11-28T12:05:00.000Z",
        "channel": {"id": "IND", "name": "IND"},
        "relatedParty": [
            {"id": "2f3ca666", "role": "owner", "referredType": "individual"},
            {"id": "G5MGG", "role": "partner", "referredType": "dealerLocation", "name": "RS and I Inc"},
        ],
        "productOrderItem": [
            {
                "productOrderItemId": "line-1",
                "action": "add",
                "quantity": 1,
                "productOfferingType": "Mobile_Plan",
                "productOfferingId": "PLAN-UNL-STARTER",
                "itemPrice": [
                    {
                        "name": "Monthly",
                        "priceType": "RC",
                        "price": {"dutyFreeAmount": money(65.0), "taxIncludedAmount": money(70.69), "taxRate": 0.0875},
                    }
                ],
            },
            {"productOrderItemId": "line-1-sim", "action": "terminate", "quantity": 2},
        ],
        "orderTotalPrice": [
            {"name": "Due today", "priceType": "NRC", "price": {"dutyFreeAmount": USD0, "taxIncludedAmount": USD0}},
        ],
        "agreement": [{"id": "WCA", "name": "Wireless Customer Agreement"}],
        **overrides,
    }


def order(**overrides: Any) -> Order:
    document = {
        "id": ORDER_ID,
        "owner": "partner-a",
        "customerOrderId": "26-12345678901234",
        "orderSummaryAccessToken": "0" * 41,
        "cartId": "9c000000-cb0e-11f0-8de9-0242ac120002",
        "state": "Submitted",
        "submissionDate": "2026-11-28T12:05:00.000Z",
        "lastUpdate": "2026-11-28T12:05:00.000Z",
        "cart": cart(),
        "stateHistory": [{"state": "Submitted", "date": "2026-11-28T12:05:00.000Z", "reason": "express-submit"}],
        **overrides,
    }
    return msgspec.convert(document, Order)


PLACED = {
    "id": ORDER_ID,
    "href": HREF,
    "orderDate": "2026-11-28T12:05:00.000Z",
    "state": "acknowledged",
    "channel": [{"id": "IND", "name": "IND", "@referredType": "SalesChannel"}],
    "relatedParty": [
        {"id": "2f3ca666", "role": "owner", "@referredType": "individual"},
        {"id": "G5MGG", "name": "RS and I Inc", "role": "partner", "@referredType": "dealerLocation"},
    ],
    "productOrderItem": [
        {
            "id": "line-1",
            "action": "add",
            "quantity": 1,
            "state": "acknowledged",
            "productOffering": {"id": "PLAN-UNL-STARTER", "@referredType": "ProductOffering"},
            "itemPrice": [
                {
                    "name": "Monthly",
                    "priceType": "recurring",
                    "recurringChargePeriod": "month",
                    "price": {
                        "dutyFreeAmount": money(65.0),
                        "taxIncludedAmount": money(70.69),
                        "taxRate": 0.0875,
                        "@type": "Price",
                    },
                    "@type": "OrderPrice",
                }
            ],
            "@type": "ProductOrderItem",
        },
        {
            "id": "line-1-sim",
            "action": "delete",
            "quantity": 2,
            "state": "acknowledged",
            "itemPrice": [],
            "@type": "ProductOrderItem",
        },
    ],
    "orderTotalPrice": [
        {
            "name": "Due today",
            "priceType": "oneTime",
            "price": {"dutyFreeAmount": USD0, "taxIncludedAmount": USD0, "@type": "Price"},
            "@type": "OrderPrice",
        }
    ],
    "agreement": [{"id": "WCA", "name": "Wireless Customer Agreement", "@referredType": "Agreement"}],
    "@type": "ProductOrder",
    "@baseType": "ProductOrder",
}

CANCELLED = {
    **PLACED,
    "state": "cancelled",
    "cancellationDate": "2026-11-28T12:07:00.000Z",
    "cancellationReason": "customer changed their mind",
    "productOrderItem": [{**item, "state": "cancelled"} for item in PLACED["productOrderItem"]],
}

DESCRIBED = {
    **PLACED,
    "description": "Spring promotion",
    "priority": "1",
    "note": [{"text": "call before delivery"}],
}

# (the order, its ProductOrder)
ORDERS = [
    pytest.param(order(), PLACED, id="placed"),
    pytest.param(
        order(
            state="Cancelled",
            cancellationDate="2026-11-28T12:07:00.000Z",
            cancellationReason="customer changed their mind",
        ),
        CANCELLED,
        id="cancelled",
    ),
    pytest.param(
        order(details={"description": "Spring promotion", "priority": "1", "note": [{"text": "call before delivery"}]}),
        DESCRIBED,
        id="described",
    ),
]


@pytest.mark.parametrize(("ours", "theirs"), ORDERS)
def test_an_order_reads_as_its_product_order(ours: Order, theirs: dict[str, Any]) -> None:
    assert msgspec.to_builtins(product_order(ours, HREF)) == theirs


# omnicart's order states → TMF622's, written out by hand.
STATE_TABLE = {
    "Submitted": "acknowledged",
    "Acknowledged": "acknowledged",
    "InProgress": "inProgress",
    "Held": "held",
    "Fallout": "pending",
    "PendingCancel": "pendingCancellation",
    "Cancelled": "cancelled",
    "Completed": "completed",
    "Partial": "partial",
    "Failed": "failed",
}


def test_every_order_state_has_its_tmf622_state() -> None:
    assert {ours.value: theirs for ours, theirs in STATES.items()} == STATE_TABLE


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("acknowledged", ("Submitted", "Acknowledged")),
        ("inProgress", ("InProgress",)),
        ("held", ("Held",)),
        ("pending", ("Fallout",)),
        ("pendingCancellation", ("PendingCancel",)),
        ("cancelled", ("Cancelled",)),
        ("completed", ("Completed",)),
        ("partial", ("Partial",)),
        ("failed", ("Failed",)),
        ("rejected", ()),
        ("assessingCancellation", ()),
    ],
)
def test_a_tmf622_state_names_the_order_states_it_reads_back_as(theirs: str, ours: tuple[str, ...]) -> None:
    assert states_named(theirs) == tuple(State(state) for state in ours)


# (ProductOrder_Create, the cart's channel, parties and items)
CREATES = [
    pytest.param(
        {
            "productOrderItem": [{"id": "123", "action": "add"}],
            "relatedParty": [{"id": "456-dd-df45", "@referredType": "Individual"}],
        },
        {
            "channel": {"id": "TMF622", "name": "TM Forum Product Ordering"},
            "relatedParty": [{"id": "456-dd-df45", "role": "owner", "referredType": "Individual"}],
            "items": [
                {"productOrderItemId": "123", "action": "add", "quantity": 1, "characteristic": [], "itemPrice": []}
            ],
        },
        id="the CTK's",
    ),
    pytest.param(
        {
            "description": "ignored by the cart",
            "channel": [{"id": "IND", "name": "IND", "@referredType": "SalesChannel"}],
            "relatedParty": [{"id": "3f7f9189", "role": "customer", "name": "Pat", "@referredType": "customer"}],
            "productOrderItem": [
                {"id": "line-1", "action": "add", "quantity": 2, "productOffering": {"id": "PLAN-UNL-STARTER"}},
                {"id": "line-2", "action": "noChange"},
            ],
        },
        {
            "channel": {"id": "IND", "name": "IND"},
            "relatedParty": [{"id": "3f7f9189", "role": "customer", "referredType": "customer", "name": "Pat"}],
            "items": [
                {
                    "productOrderItemId": "line-1",
                    "action": "add",
                    "quantity": 2,
                    "productOfferingId": "PLAN-UNL-STARTER",
                    "characteristic": [],
                    "itemPrice": [],
                },
                {
                    "productOrderItemId": "line-2",
                    "action": "noChange",
                    "quantity": 1,
                    "characteristic": [],
                    "itemPrice": [],
                },
            ],
        },
        id="with offerings and a channel",
    ),
]


@pytest.mark.parametrize(("theirs", "ours"), CREATES)
def test_a_product_order_create_makes_these_cart_parts(theirs: dict[str, Any], ours: dict[str, Any]) -> None:
    channel, parties, items = cart_parts(msgspec.convert(theirs, ProductOrderCreate))
    made = {"channel": channel, "relatedParty": parties, "items": items}
    assert msgspec.to_builtins(made) == ours


def test_a_cancellation_reads_as_its_cancel_product_order_task() -> None:
    pending = order(
        state="PendingCancel",
        cancellationReason="moved abroad",
        stateHistory=[
            {"state": "Submitted", "date": "2026-11-28T12:05:00.000Z", "reason": "express-submit"},
            {"state": "PendingCancel", "date": "2026-11-28T12:06:00.000Z", "reason": "moved abroad"},
        ],
    )
    assert msgspec.to_builtins(cancel_task(pending, CANCEL_HREF, HREF)) == {
        "id": ORDER_ID,
        "href": CANCEL_HREF,
        "productOrder": {"id": ORDER_ID, "href": HREF, "@referredType": "ProductOrder"},
        "state": "inProgress",
        "creationDate": "2026-11-28T12:06:00.000Z",
        "cancellationReason": "moved abroad",
        "@type": "CancelProductOrder",
    }
    assert cancel_task(order(), CANCEL_HREF, HREF) is None
