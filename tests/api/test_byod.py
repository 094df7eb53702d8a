"""The carrier's BYOD flow over HTTP (issue 19; reference §4.1): the older "order" flavour's
`POST /omni-svcs/v1/order/create` and `POST /omni-svcs/v1/order/{orderId}/items`, on each
store and in each status profile, with the customer directory of the sandbox world (the
seed customer Jordan Rivera owns the carrier's example line). What each BYOD rule says, rule
by rule: tests/unit/test_rules.py; here, that the API says it on the cart."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path

import pytest

from omnicart.config import Settings
from tests.api.conftest import CARTS, ORDERS, PAYMENT_METHODS, assert_error, submit_url
from tests.carts import IMEI, MEMO, byod_items, codes, payment_request
from tests.credentials import OTHER_AUTH

ORDER = "/omni-svcs/v1/order"
CREATE = f"{ORDER}/create"
NAME = re.compile(r"^\d{2}-\d{14}$")  # a customer order id as omnicart draws it (the carrier's 26-46236265737394)
TIME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
UNKNOWN_CART = "dea79fb0-21c4-11f1-8527-67c36c11d002"  # a cart id of the carrier's example, nobody's here
ROOT = "10000001-3f41-49bf-a6cf-6f65caa650ca"  # the example's bundle root: Jordan's line 4690002221
EXAMPLES = Path(__file__).parents[2] / "examples"
MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
NOT_READY = "OMNICART-CART-0001"
# Created: omnicart answers 201, the carrier's profile 200 (as Create Cart).
CREATED = {"omnicart": 201, "carrier": 200}


@pytest.fixture
def settings(settings: Settings, profile: str) -> Settings:
    """The sandbox world as the customer directory (what a sandbox serves), in each profile."""
    return dataclasses.replace(settings, providers="sandbox", profile=profile)


@pytest.fixture
def order_request() -> dict:
    """The carrier's create order example (BYOD 1.0.0): Create Cart's body, channel extension
    `Application`, the seed's parties (the customer: Jordan Rivera)."""
    return json.loads((EXAMPLES / "create-order.json").read_text())


@pytest.fixture
def order(client, order_request) -> str:
    """A new order's name (order/create's id)."""
    response = client.post(CREATE, json=order_request)
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


def items_url(order_id: str) -> str:
    return f"{ORDER}/{order_id}/items"


def named(items: list[dict]) -> list[dict]:
    """The example's items with ids of their own, so that messages can name them."""
    items = copy.deepcopy(items)
    for item, item_id in zip(items[1:], ("old-phone", "own-phone", "old-sim"), strict=True):
        item["productOrderItemId"] = item_id
    return items


def test_the_example_files_are_the_carriers_example(order_request):
    shipped = Path(__file__).parents[2] / "src" / "omnicart" / "data" / "examples"
    for name in ("create-order.json", "byod-items.json"):
        assert json.loads((shipped / name).read_text()) == json.loads((EXAMPLES / name).read_text()), name
    assert order_request["channel"] == {
        "id": "IND",
        "name": "IND",
        "extensions": [{"name": "Application", "value": "bestbuyMST"}],
    }
    assert [(i["action"], i["productOfferingType"]) for i in byod_items()] == [
        ("noChange", "Mobile_Offer"),
        ("terminate", "Mobile_Device"),
        ("swap;add", "Mobile_Device"),
        ("terminate", "SIM"),
    ]


# -- order/create ---------------------------------------------------------------------------


class TestCreateOrder:
    def test_answers_only_the_orders_id_with_the_carts_location_and_etag(self, client, profile, order_request):
        response = client.post(CREATE, json=order_request)
        assert response.status_code == CREATED[profile], response.text
        body = response.json()
        assert set(body) == {"id"} and NAME.match(body["id"])
        assert response.headers["etag"] == '"1"'
        cart_url = response.headers["location"]
        assert re.search(r"/omni-svcs/v1/carts/[0-9a-f-]{36}$", cart_url)
        cart = client.get(cart_url).json()
        assert TIME_UUID.match(cart["id"]) and cart["customerOrderId"] == body["id"]

    def test_the_order_is_a_draft_cart_read_by_either_name(self, client, order_request, order):
        by_name = client.get(f"{CARTS}/{order}")
        assert by_name.status_code == 200, by_name.text
        cart = by_name.json()
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart
        assert (cart["state"], cart["version"], cart["customerOrderId"]) == ("Draft", 1, order)
        assert cart["channel"] == order_request["channel"] and cart["relatedParty"] == order_request["relatedParty"]
        assert cart["productOrderItem"] == [] and cart["validation"]["status"] == "valid"

    def test_every_order_gets_a_name_of_its_own(self, client, order_request):
        names = {client.post(CREATE, json=order_request).json()["id"] for _ in range(3)}
        assert len(names) == 3

    @pytest.mark.parametrize(
        ("change", "code", "field"),
        [
            ({"channel": None}, MISSING, "channel"),
            ({"relatedParty": None}, MISSING, "relatedParty"),
            ({"channel": "IND"}, INVALID, "channel"),
            ({"relatedParty": {"id": "x"}}, INVALID, "relatedParty"),
            ({"channel": {"name": "IND"}}, MISSING, "channel.id"),
            ({"channel": {"id": ""}}, INVALID, "channel.id"),
        ],
        ids=["no channel", "no relatedParty", "channel not an object", "relatedParty not a list", "no channel.id",
             "empty channel.id"],
    )  # fmt: skip
    def test_bad_input_is_a_400_with_create_carts_codes_and_nothing_made(
        self, client, order_request, change, code, field
    ):
        body = {k: v for k, v in {**order_request, **change}.items() if v is not None}
        assert_error(client.post(CREATE, json=body), 400, code, field)
        assert client.get(CARTS).json() == []

    def test_a_body_that_is_not_json(self, client, profile):
        response = client.post(CREATE, content=b"channel=IND", headers={"content-type": "text/plain"})
        assert_error(response, 400 if profile == "carrier" else 415, "OMNICART-REQUEST-0002")

    def test_an_idempotency_key_replays_the_first_answer(self, client, profile, order_request):
        key = {"Idempotency-Key": "byod-create-1"}
        first = client.post(CREATE, json=order_request, headers=key)
        again = client.post(CREATE, json=order_request, headers=key)
        assert again.status_code == first.status_code == CREATED[profile]
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert (again.headers["location"], again.headers["etag"]) == (first.headers["location"], first.headers["etag"])
        assert len(client.get(CARTS).json()) == 1
        other = client.post(CREATE, json={**order_request, "channel": {"id": "ATTR"}}, headers=key)
        assert_error(other, 400 if profile == "carrier" else 422, "OMNICART-IDEMPOTENCY-0001")

    def test_another_partner_does_not_find_the_order(self, client, order):
        unknown = "26-00000000000000"
        theirs = client.get(f"{CARTS}/{order}", headers=OTHER_AUTH)
        nobodys = client.get(f"{CARTS}/{unknown}", headers=OTHER_AUTH)
        assert_error(theirs, 404, "OMNICART-CART-0404")
        assert theirs.json() == {**nobodys.json(), "message": nobodys.json()["message"].replace(unknown, order)}


# -- order/{orderId}/items --------------------------------------------------------------------


class TestAddOrderItems:
    def test_the_carriers_four_items_as_given(self, client, order):
        response = client.post(items_url(order), json={"items": byod_items()})
        assert response.status_code == 200, response.text
        cart = response.json()
        assert response.headers["etag"] == '"2"' and cart["version"] == 2
        assert cart["customerOrderId"] == order and TIME_UUID.match(cart["id"])
        assert cart["href"].endswith(f"/omni-svcs/v1/carts/{cart['id']}")
        assert [(i["action"], i.get("rootBundleProductOrderItemId")) for i in cart["productOrderItem"]] == [
            ("noChange", None),
            ("terminate", ROOT),
            ("swap;add", ROOT),
            ("terminate", ROOT),
        ]
        # Checked against Jordan's line, and clean: only the terms are still to accept (an
        # order's billing enrollment may come after it, docs/direct-fulfilment.md).
        assert cart["validation"] == {
            "status": "valid",
            "readyToSubmit": False,
            "validationMessage": [],
            "configuration": [
                {"type": "terms", "status": "pending", "required": True, "postOrderConfigurable": False},
                {"type": "payment", "status": "pending", "required": False, "postOrderConfigurable": True},
                {"type": "billing", "status": "pending", "required": False, "postOrderConfigurable": True},
            ],
        }
        own = cart["productOrderItem"][2]
        assert own["characteristic"] == [
            {"name": "isBYOD", "value": "true"},
            {"name": "IMEI", "value": IMEI},
            {"name": "eSIM_Enabled", "value": "true"},
        ]
        assert own["product"] == {"place": [{"role": "PPU", "name": "ppuAddress", "id": "000011VYAA"}]}
        # The customer's own phone costs nothing; nothing else is bought.
        assert own["itemPrice"] == []
        assert [(t["name"], t["price"]["dutyFreeAmount"]["value"]) for t in cart["orderTotalPrice"]] == [
            ("Due today", 0.0),
            ("Monthly recurring", 0.0),
        ]
        assert client.get(f"{CARTS}/{order}").json() == cart

    def test_the_carts_uuid_names_the_order_too(self, client, order):
        cart_id = client.get(f"{CARTS}/{order}").json()["id"]
        response = client.post(items_url(cart_id), json={"items": byod_items()})
        assert response.status_code == 200, response.text
        assert response.json()["customerOrderId"] == order

    def test_a_phone_the_customer_does_not_bring_is_charged(self, client, order):
        items = byod_items()
        items[2]["characteristic"][0]["value"] = "false"
        cart = client.post(items_url(order), json={"items": items}).json()
        prices = cart["productOrderItem"][2]["itemPrice"]
        assert [(p["priceType"], p["price"]["dutyFreeAmount"]["value"]) for p in prices] == [("RC", 23.06)]

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({}, MISSING, "items"),
            ({"items": []}, INVALID, "items"),
            ({"items": "all"}, INVALID, "items"),
            ({"items": [{"action": "swap"}]}, INVALID, "items[0].action"),
            ({"items": [{"characteristic": [{"name": "IMEI"}]}]}, MISSING, "items[0].characteristic[0].value"),
            ({"items": [{"quantity": "1"}]}, INVALID, "items[0].quantity"),
        ],
        ids=["no items", "no item", "items not a list", "unknown action", "characteristic without value",
             "quantity a string"],
    )  # fmt: skip
    def test_bad_input_is_a_400_with_add_items_codes_and_nothing_changed(self, client, order, body, code, field):
        before = client.get(f"{CARTS}/{order}").json()
        assert_error(client.post(items_url(order), json=body), 400, code, field)
        assert client.get(f"{CARTS}/{order}").json() == before

    @pytest.mark.parametrize("order_id", ["26-00000000000000", "26-4623626573739", "not-an-order", UNKNOWN_CART])
    def test_an_unknown_order_is_a_404(self, client, order, order_id):
        assert_error(client.post(items_url(order_id), json={"items": byod_items()}), 404, "OMNICART-CART-0404")

    def test_another_partners_order_answers_exactly_as_an_unknown_one(self, client, order):
        unknown = "26-00000000000000"
        theirs = client.post(items_url(order), json={"items": byod_items()}, headers=OTHER_AUTH)
        nobodys = client.post(items_url(unknown), json={"items": byod_items()}, headers=OTHER_AUTH)
        assert_error(theirs, 404, "OMNICART-CART-0404")
        assert theirs.json() == {**nobodys.json(), "message": nobodys.json()["message"].replace(unknown, order)}
        assert client.get(f"{CARTS}/{order}").json()["version"] == 1

    def test_if_match_guards_the_change(self, client, order):
        stale = client.post(items_url(order), json={"items": byod_items()}, headers={"If-Match": '"7"'})
        assert_error(stale, 412, "OMNICART-CART-0412")
        assert stale.json()["details"]["currentETag"] == '"1"'
        fresh = client.post(items_url(order), json={"items": byod_items()}, headers={"If-Match": '"1"'})
        assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'

    def test_an_idempotency_key_replays_the_first_answer(self, client, order):
        key = {"Idempotency-Key": "byod-items-1"}
        first = client.post(items_url(order), json={"items": byod_items()}, headers=key)
        again = client.post(items_url(order), json={"items": byod_items()}, headers=key)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert again.headers["etag"] == first.headers["etag"] == '"2"'
        assert len(client.get(f"{CARTS}/{order}").json()["productOrderItem"]) == 4

    def test_an_item_id_used_twice_is_a_409(self, client, order):
        assert client.post(items_url(order), json={"items": byod_items()}).status_code == 200
        again = client.post(items_url(order), json={"items": byod_items()[:1]})
        assert_error(again, 409, "OMNICART-ITEM-0409")


# -- BYOD is checked, not just stored -----------------------------------------------------------


def _with(index: int, **fields) -> list[dict]:
    items = named(byod_items())
    for name, value in fields.items():
        if value is None:
            items[index].pop(name, None)
        else:
            items[index][name] = value
    return items


def _characteristics(**values: str) -> list[dict]:
    return [{"name": name, "value": value} for name, value in {"isBYOD": "true", "IMEI": IMEI, **values}.items()]


@pytest.mark.parametrize(
    ("items", "found"),
    [
        # The line is someone else's (Taylor Brooks'), and so is the account:
        (_with(0, subscriberNumber="2145550192"), [("UNKNOWN_TO_CUSTOMER", ROOT)]),
        (_with(0, billingAccount={"ratingType": "postpaid", "id": "556165899577"}), [("UNKNOWN_TO_CUSTOMER", ROOT)]),
        # A phone that is not Jordan's, and Jordan's fiber on their other line:
        (_with(1, product={"id": "47777581441708017"}), [("UNKNOWN_TO_CUSTOMER", "old-phone")]),
        (_with(1, product={"id": "51000000000000001"}), [("PRODUCT_NOT_ON_LINE", "old-phone")]),
        # The old phone ended without the reason's memo:
        (_with(1, actionReason={"name": "LC"}), [("ACTION_REASON_REQUIRED", "old-phone")]),
        (_with(3, actionReason=None), [("ACTION_REASON_REQUIRED", "old-sim")]),
        # The swap in no line's bundle, or in a line that is new:
        (_with(2, rootBundleProductOrderItemId=None), [("SWAP_WITHOUT_LINE", "own-phone")]),
        (_with(0, action="add"), [("SWAP_WITHOUT_LINE", "own-phone")]),
        # The customer's phone: its IMEI, and its booleans:
        (_with(2, characteristic=_characteristics(IMEI="358073464620281")), [("BYOD_IMEI_INVALID", "own-phone")]),
        (_with(2, characteristic=[{"name": "isBYOD", "value": "true"}]), [("BYOD_IMEI_MISSING", "own-phone")]),
        (
            _with(2, characteristic=_characteristics(eSIM_Enabled="yes")),
            [("BOOLEAN_CHARACTERISTIC_INVALID", "own-phone")],
        ),
    ],
    ids=["someone else's line", "someone else's account", "someone else's phone", "a product of another line",
         "no memo", "no actionReason", "swap outside a line", "swap into a new line", "bad IMEI", "no IMEI",
         "eSIM_Enabled not a boolean"],
)  # fmt: skip
def test_a_swap_is_checked_against_the_customers_line(client, order, items, found):
    cart = client.post(items_url(order), json={"items": items}).json()
    assert codes(cart) == found
    assert (cart["validation"]["status"], cart["validation"]["readyToSubmit"]) == ("invalid", False)


def test_a_swap_that_breaks_a_rule_cannot_be_submitted(client, order):
    client.post(items_url(order), json={"items": _with(1, actionReason=None)})
    complete = client.post(PAYMENT_METHODS, json=payment_request(order))
    assert complete.status_code == 200, complete.text
    refused = client.post(submit_url(order))
    assert refused.status_code in (422, 500)
    assert refused.json()["code"] == NOT_READY
    assert [m["parameter"][0]["value"] for m in refused.json()["details"]["validationMessage"]] == [
        "ACTION_REASON_REQUIRED"
    ]


# -- the whole flow --------------------------------------------------------------------------------


def test_the_whole_byod_flow_by_the_orders_name(client, order_request):
    # 1. order/create: the carrier's answer, the order's name.
    name = client.post(CREATE, json=order_request).json()["id"]
    assert NAME.match(name)
    # 2. The carrier's four items, by that name: valid, only the terms still to accept.
    cart = client.post(items_url(name), json={"items": byod_items()}).json()
    assert (cart["validation"]["status"], cart["validation"]["validationMessage"]) == ("valid", [])
    assert [(c["type"], c["status"], c["required"]) for c in cart["validation"]["configuration"]] == [
        ("terms", "pending", True),
        ("payment", "pending", False),
        ("billing", "pending", False),
    ]
    # 3. Payment methods, for the order's name: the customer's consent completes the terms.
    paid = client.post(PAYMENT_METHODS, json=payment_request(name))
    assert paid.status_code == 200, paid.text
    assert client.get(f"{CARTS}/{name}").json()["validation"]["readyToSubmit"] is True
    # 4. Express submit by the name: the BYOD submission.
    submitted = client.post(submit_url(name))
    assert submitted.status_code == 200, submitted.text
    acknowledged = submitted.json()
    assert set(acknowledged) == {"id", "customerOrderId", "state", "submissionDate", "orderSummaryAccessToken"}
    assert (acknowledged["customerOrderId"], acknowledged["state"]) == (name, "Submitted")
    # 5. The order: its customerOrderId is the name, its cart the named cart, as submitted.
    placed = client.get(f"{ORDERS}/{acknowledged['id']}").json()
    assert (placed["customerOrderId"], placed["cartId"]) == (name, cart["id"])
    assert [i["action"] for i in placed["productOrderItem"]] == [
        "noChange",
        "terminate",
        "swap;add",
        "terminate",
    ]
    assert [o["id"] for o in client.get(ORDERS, params={"customerOrderId": name}).json()] == [acknowledged["id"]]
    # The order is no draft any more: adding to it is refused, and submitting again answers it again.
    assert_error(client.post(items_url(name), json={"items": byod_items()[:1]}), 409, "OMNICART-CART-0409")
    assert client.post(submit_url(name)).json() == acknowledged


def test_the_memo_the_carrier_requires_is_its_examples(client, order):
    """The reference's terminate items carry `{"reasonText": "Memo text required if selected", "name": "LC"}`."""
    items = byod_items()
    assert [items[1]["actionReason"], items[3]["actionReason"]] == [MEMO, MEMO]
    assert client.post(items_url(order), json={"items": items}).json()["validation"]["validationMessage"] == []


def test_express_submits_own_terms_complete_a_byod_order(client, order):
    """Nothing is due today: accepting the Wireless Customer Agreement in the submit's body
    is all a clean swap still needs (the README's BYOD walk-through)."""
    client.post(items_url(order), json={"items": byod_items()})
    refused = client.post(submit_url(order))
    assert refused.json()["code"] == NOT_READY
    assert [(c["type"], c["status"]) for c in refused.json()["details"]["configuration"]] == [("terms", "pending")]
    submitted = client.post(submit_url(order), json={"terms": {"WCA": True}})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["customerOrderId"] == order
