"""Every item action on every productOfferingType, over HTTP on both stores: what the item
is charged (`itemPrice`), what the cart's totals become and what its validation says
(docs/decisions.md, "Item actions" and "Product offering types").

Each row is one cart: Create Cart, then Add Items with the item under test, `it`. Items
that act on an existing product name one (`product.id`) and, when they end it, the reason
the carrier requires; a `swap;add` hangs under a kept line, as in the carrier's BYOD
example (`line`, a `noChange` root that names no offering and is charged nothing).
Protection names the IMEI of the customer's own device, so it needs no device item.
Every figure is written out by hand: catalog price x quantity 1, plus tax rounded half
up to the cent (plans 10 %, protection 0 %, anything else 8.25 %).
"""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS
from tests.carts import CHARGER, IMEI, MEMO, PIXEL, PROTECT, SIM, VALUE_PLUS, messages

FIBER_300 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50"  # 55.00 / month
ACTIVE_ARMOR = "a3c6e9f2-1b4d-4e7a-8c0f-2d5e8b1a4c70"  # AT&T ActiveArmor, 3.99 / month
EXISTING = "47777581441708014"  # the carrier's example product id

# The offering each type's items name (a plan sent as "Mobile_Plan" names a Mobile_Offer).
OFFERING = {
    "Mobile_Offer": VALUE_PLUS,
    "Mobile_Plan": VALUE_PLUS,
    "Mobile_Device": PIXEL,
    "SIM": SIM,
    "Active_Armor": ACTIVE_ARMOR,
    "Delivery_Method": "express-shipping",
    "Device_Protection": PROTECT,
    "Accessory": CHARGER,
    "Broadband_Offer": FIBER_300,
}

NONE: list = []
NOTHING = (0, 0, 0, 0)
TMF = [("NOT_A_CARRIER_ACTION", "warning", "it")]

# (action, productOfferingType, the item's itemPrice [(priceType, duty free, tax included)],
#  the cart's totals (due today duty free, tax included, monthly duty free, tax included),
#  the cart's messages [(code, type, productOrderItemId)])
ROWS = [
    ("add", "Mobile_Offer", [("RC", 60.99, 67.09)], (0, 0, 60.99, 67.09), NONE),
    ("add", "Mobile_Plan", [("RC", 60.99, 67.09)], (0, 0, 60.99, 67.09), NONE),
    ("add", "Mobile_Device", [("NRC", 799.99, 865.99)], (799.99, 865.99, 0, 0), NONE),
    ("add", "SIM", [("NRC", 5.00, 5.41)], (5.00, 5.41, 0, 0), NONE),
    ("add", "Active_Armor", [("RC", 3.99, 4.32)], (0, 0, 3.99, 4.32), NONE),
    ("add", "Delivery_Method", [("NRC", 14.99, 16.23)], (14.99, 16.23, 0, 0), NONE),
    ("add", "Device_Protection", [("RC", 17.00, 17.00)], (0, 0, 17.00, 17.00), NONE),
    ("add", "Accessory", [("NRC", 19.99, 21.64)], (19.99, 21.64, 0, 0), NONE),
    ("add", "Broadband_Offer", [("RC", 55.00, 59.54)], (0, 0, 55.00, 59.54), NONE),
    ("swap;add", "Mobile_Offer", [("RC", 60.99, 67.09)], (0, 0, 60.99, 67.09), NONE),
    ("swap;add", "Mobile_Plan", [("RC", 60.99, 67.09)], (0, 0, 60.99, 67.09), NONE),
    ("swap;add", "Mobile_Device", [("NRC", 799.99, 865.99)], (799.99, 865.99, 0, 0), NONE),
    ("swap;add", "SIM", [("NRC", 5.00, 5.41)], (5.00, 5.41, 0, 0), NONE),
    ("swap;add", "Active_Armor", [("RC", 3.99, 4.32)], (0, 0, 3.99, 4.32), NONE),
    ("swap;add", "Delivery_Method", [("NRC", 14.99, 16.23)], (14.99, 16.23, 0, 0), NONE),
    ("swap;add", "Device_Protection", [("RC", 17.00, 17.00)], (0, 0, 17.00, 17.00), NONE),
    ("swap;add", "Accessory", [("NRC", 19.99, 21.64)], (19.99, 21.64, 0, 0), NONE),
    ("swap;add", "Broadband_Offer", [("RC", 55.00, 59.54)], (0, 0, 55.00, 59.54), NONE),
    ("noChange", "Mobile_Offer", [], NOTHING, NONE),
    ("noChange", "Mobile_Plan", [], NOTHING, NONE),
    ("noChange", "Mobile_Device", [], NOTHING, NONE),
    ("noChange", "SIM", [], NOTHING, NONE),
    ("noChange", "Active_Armor", [], NOTHING, NONE),
    ("noChange", "Delivery_Method", [], NOTHING, NONE),
    ("noChange", "Device_Protection", [], NOTHING, NONE),
    ("noChange", "Accessory", [], NOTHING, NONE),
    ("noChange", "Broadband_Offer", [], NOTHING, NONE),
    ("terminate", "Mobile_Offer", [], NOTHING, NONE),
    ("terminate", "Mobile_Plan", [], NOTHING, NONE),
    ("terminate", "Mobile_Device", [], NOTHING, NONE),
    ("terminate", "SIM", [], NOTHING, NONE),
    ("terminate", "Active_Armor", [], NOTHING, NONE),
    ("terminate", "Delivery_Method", [], NOTHING, NONE),
    ("terminate", "Device_Protection", [], NOTHING, NONE),
    ("terminate", "Accessory", [], NOTHING, NONE),
    ("terminate", "Broadband_Offer", [], NOTHING, NONE),
    # TMF622's two: never charged, accepted with a warning that they are not the carrier's.
    ("modify", "Mobile_Offer", [], NOTHING, TMF),
    ("modify", "Mobile_Plan", [], NOTHING, TMF),
    ("modify", "Mobile_Device", [], NOTHING, TMF),
    ("modify", "SIM", [], NOTHING, TMF),
    ("modify", "Active_Armor", [], NOTHING, TMF),
    ("modify", "Delivery_Method", [], NOTHING, TMF),
    ("modify", "Device_Protection", [], NOTHING, TMF),
    ("modify", "Accessory", [], NOTHING, TMF),
    ("modify", "Broadband_Offer", [], NOTHING, TMF),
    ("delete", "Mobile_Offer", [], NOTHING, TMF),
    ("delete", "Mobile_Plan", [], NOTHING, TMF),
    ("delete", "Mobile_Device", [], NOTHING, TMF),
    ("delete", "SIM", [], NOTHING, TMF),
    ("delete", "Active_Armor", [], NOTHING, TMF),
    ("delete", "Delivery_Method", [], NOTHING, TMF),
    ("delete", "Device_Protection", [], NOTHING, TMF),
    ("delete", "Accessory", [], NOTHING, TMF),
    ("delete", "Broadband_Offer", [], NOTHING, TMF),
]

ACTIONS = ["add", "swap;add", "noChange", "terminate", "modify", "delete"]
TYPES = list(OFFERING)


def test_the_table_holds_every_action_on_every_type():
    assert sorted((action, kind) for action, kind, *_ in ROWS) == sorted((a, t) for a in ACTIONS for t in TYPES)


def _item(action: str, kind: str, **fields) -> dict:
    item = {
        "productOrderItemId": "it",
        "action": action,
        "productOfferingType": kind,
        "productOfferingId": OFFERING[kind],
    }
    if action not in ("add", "swap;add"):
        item["product"] = {"id": EXISTING}
    if action in ("terminate", "delete"):
        item["actionReason"] = MEMO
    if action == "swap;add":
        item["rootBundleProductOrderItemId"] = "line"
    if kind == "Device_Protection":
        item["characteristic"] = [{"name": "IMEI", "value": IMEI}]
    return {**item, **fields}


KEPT_LINE = {"productOrderItemId": "line", "action": "noChange", "subscriberNumber": "4690002221"}


def _added(client, seed_request, items: list[dict]) -> dict:
    cart = client.post(CARTS, json=seed_request).json()
    response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": items})
    assert response.status_code == 200, response.text
    return response.json()


def _amounts(price: dict) -> tuple[float, float]:
    return price["price"]["dutyFreeAmount"]["value"], price["price"]["taxIncludedAmount"]["value"]


def test_every_action_on_every_type_is_priced_and_validated_as_the_table_says(client, seed_request):
    found = []
    for action, kind, *_ in ROWS:
        items = [KEPT_LINE, _item(action, kind)] if action == "swap;add" else [_item(action, kind)]
        cart = _added(client, seed_request, items)
        (item,) = [i for i in cart["productOrderItem"] if i["productOrderItemId"] == "it"]
        due, monthly = cart["orderTotalPrice"]
        assert (due["priceType"], monthly["priceType"]) == ("NRC", "RC")
        found.append(
            (
                action,
                kind,
                [(p["priceType"], *_amounts(p)) for p in item["itemPrice"]],
                (*_amounts(due), *_amounts(monthly)),
                messages(cart),
            )
        )
    assert found == ROWS


def test_ending_an_existing_plan_by_delete_lowers_nothing_and_charges_nothing(client, seed_request):
    """The issue's case: a line's new plan, and the line's old plan removed by `delete`."""
    new_plan = {"productOrderItemId": "new", "action": "add", "productOfferingType": "Mobile_Offer"}
    new_plan["productOfferingId"] = VALUE_PLUS
    cart = _added(client, seed_request, [new_plan, _item("delete", "Mobile_Offer")])
    assert [_amounts(p) for p in cart["orderTotalPrice"]] == [(0, 0), (60.99, 67.09)]


@pytest.mark.parametrize(
    ("action", "fields", "expected"),
    [
        # Nothing to end or change: the text names the carrier's way instead.
        (
            "delete",
            {"product": None},
            [
                (
                    "EXISTING_PRODUCT_REQUIRED",
                    "error",
                    "action 'delete' needs the existing product: product.id or subscriberNumber (the carrier "
                    "ends an existing product with 'terminate'; an item of this cart leaves it by DELETE "
                    "/omni-svcs/v1/carts/{cartId}/items/{itemId})",
                ),
                (
                    "NOT_A_CARRIER_ACTION",
                    "warning",
                    "action 'delete' is TMF622's, not the carrier's: omnicart accepts it and it ends the "
                    "existing product exactly as 'terminate', the carrier's action for it, does",
                ),
            ],
        ),
        (
            "modify",
            {"product": None},
            [
                (
                    "EXISTING_PRODUCT_REQUIRED",
                    "error",
                    "action 'modify' needs the existing product: product.id or subscriberNumber (a product "
                    "the customer does not have yet is ordered with 'add')",
                ),
                (
                    "NOT_A_CARRIER_ACTION",
                    "warning",
                    "action 'modify' is TMF622's, not the carrier's: omnicart accepts it and it changes the "
                    "existing product's characteristics without charging it again; the carrier's pages keep "
                    "a product with 'noChange' and change it by the items of its bundle ('swap;add', "
                    "'terminate')",
                ),
            ],
        ),
        # `delete` is `terminate`: the carrier's reason is required with it too.
        (
            "delete",
            {"actionReason": None},
            [
                (
                    "ACTION_REASON_REQUIRED",
                    "error",
                    "action 'delete' needs its actionReason: name and reasonText missing "
                    '(the reason code, e.g. "LC", and its memo text)',
                ),
                (
                    "NOT_A_CARRIER_ACTION",
                    "warning",
                    "action 'delete' is TMF622's, not the carrier's: omnicart accepts it and it ends the "
                    "existing product exactly as 'terminate', the carrier's action for it, does",
                ),
            ],
        ),
    ],
    ids=["delete-of-nothing", "modify-of-nothing", "delete-without-reason"],
)
def test_a_tmf_action_without_what_it_acts_on_is_flagged(client, seed_request, action, fields, expected):
    item = {k: v for k, v in _item(action, "Mobile_Offer", **fields).items() if v is not None}
    cart = _added(client, seed_request, [item])
    assert cart["validation"]["status"] == "invalid"
    assert [(m["parameter"][0]["value"], m["type"], m["text"]) for m in cart["validation"]["validationMessage"]] == (
        expected
    )
    assert [_amounts(p) for p in cart["orderTotalPrice"]] == [(0, 0), (0, 0)]
