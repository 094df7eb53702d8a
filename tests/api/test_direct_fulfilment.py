"""The carrier's direct-fulfilment add-a-line calls over HTTP (issue 19; reference §4.2;
docs/direct-fulfilment.md), on both stores: the fulfilment options of an order's physical
items, the choice of a delivery method per item (recorded, priced in the totals, a cart
change), both status profiles, and the whole flow from a named order to the order it
becomes. Terms and billing: test_df_terms.py, test_df_billing.py; offers search:
test_offers_search.py."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import (
    CARTS,
    FULFILLMENT_OPTIONS,
    OFFERS_SEARCH,
    ORDERS,
    PAYMENT_METHODS,
    PLACE,
    TERMS,
    assert_error,
    make_named_cart,
    order_url,
    submit_url,
)
from tests.carts import IPHONE, SIM, VALUE_PLUS, add_a_line, payment_request, total
from tests.credentials import AUTH, OTHER_AUTH

FULFILLMENT_MISSING = "EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
REFUSED = "OMNICART-FULFILLMENT-0001"
NO_ORDER = "OMNICART-CART-0404"
UNKNOWN = "26-00000000000000"  # a customer order id no order has


def dates(ships: tuple[str, str], delivered: tuple[str, str]) -> dict:
    return {
        "shipmentDates": {"dateFrom": ships[0], "dateTo": ships[1]},
        "deliveryDates": {"dateFrom": delivered[0], "dateTo": delivered[1]},
    }


def method(method_id: str, name: str) -> dict:
    return {"id": method_id, "name": name, "productOfferingType": "Delivery_Method"}


def usd(value: float) -> dict:
    return {"dutyFreeAmount": {"unit": "USD", "value": value}}


STANDARD = method("standard-shipping", "Standard Shipping")
EXPRESS = method("express-shipping", "Express Shipping")
PICKUP = method("store-pickup", "Pick up in store")
# Every item to deliver has these, on 2026-01-15 (the fake clock), shipped to PLACE or
# picked up at the cart's dealer location (G5MGG).
OPTIONS_ON_JAN_15 = [
    {
        "dates": dates(("2026-01-16", "2026-01-16"), ("2026-01-18", "2026-01-20")),
        "productOffering": STANDARD,
        "finalPrice": usd(0.0),
        "product": {"place": [{"id": PLACE, "role": "shippingAddress"}]},
    },
    {
        "dates": dates(("2026-01-15", "2026-01-15"), ("2026-01-17", "2026-01-17")),
        "productOffering": EXPRESS,
        "finalPrice": usd(14.99),
        "product": {"place": [{"id": PLACE, "role": "shippingAddress"}]},
    },
    {
        "dates": dates(("2026-01-15", "2026-01-15"), ("2026-01-16", "2026-01-16")),
        "productOffering": PICKUP,
        "finalPrice": usd(0.0),
        "product": {"place": [{"id": "G5MGG", "role": "store"}]},
    },
]


def steps(validation: dict) -> list[tuple[str, str, bool, bool]]:
    return [(c["type"], c["status"], c["required"], c["postOrderConfigurable"]) for c in validation["configuration"]]


def choose(item_id: str, method_id: str, **product) -> dict:
    return {"productOrderItemId": item_id, "productOffering": {"id": method_id}, **product}


class TestFulfillmentOptions:
    def test_each_item_to_deliver_has_its_options_and_the_order_its_validation(self, client, df_order):
        name = df_order["customerOrderId"]
        response = client.post(FULFILLMENT_OPTIONS, json={"orderId": name, "placeid": PLACE})
        assert response.status_code == 200, response.text
        assert response.json() == {
            "selectedOptions": [
                {
                    "options": [
                        {"productOrderItemId": "line-1-phone", "fulfillmentOptions": OPTIONS_ON_JAN_15},
                        {"productOrderItemId": "line-1-sim", "fulfillmentOptions": OPTIONS_ON_JAN_15},
                    ]
                }
            ],
            "validation": df_order["validation"],
        }
        assert steps(df_order["validation"]) == [
            ("terms", "pending", True, False),
            ("payment", "pending", True, False),  # the SIM card is due today
            ("fulfillment", "pending", True, False),
            ("billing", "pending", False, True),
        ]
        assert client.get(f"{CARTS}/{name}").json() == df_order, "a read changes nothing"

    def test_the_cart_id_names_the_order_too_and_without_placeid_shipping_has_no_place(self, client, df_order):
        answer = client.post(FULFILLMENT_OPTIONS, json={"orderId": df_order["id"]}).json()
        (phone, _) = answer["selectedOptions"][0]["options"]
        assert [o["product"] for o in phone["fulfillmentOptions"]] == [
            {"place": []},
            {"place": []},
            {"place": [{"id": "G5MGG", "role": "store"}]},
        ]

    def test_an_order_with_nothing_to_deliver_has_no_options(self, client, named_cart):
        name = named_cart["customerOrderId"]
        plan = add_a_line()[0]
        client.post(f"{CARTS}/{name}/items", json={"items": [plan]})
        answer = client.post(FULFILLMENT_OPTIONS, json={"orderId": name}).json()
        assert answer["selectedOptions"] == []
        assert [step[0] for step in steps(answer["validation"])] == ["terms", "payment", "billing"]

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({}, FULFILLMENT_MISSING, "orderId"),
            ({"placeid": PLACE}, FULFILLMENT_MISSING, "orderId"),
            ({"orderId": 10689838051878453}, INVALID, "orderId"),
            ({"orderId": ""}, INVALID, "orderId"),
            ({"orderId": "x", "placeid": ["a"]}, INVALID, "placeid"),
        ],
        ids=["empty", "no-orderId", "orderId-a-number", "orderId-empty", "placeid-a-list"],
    )
    def test_bad_bodies_answer_400_with_the_carriers_codes(self, client, df_order, body, code, field):
        assert_error(client.post(FULFILLMENT_OPTIONS, json=body), 400, code, field)

    def test_an_unknown_order_and_another_partners_answer_404_alike(self, client, df_order):
        unknown = assert_error(client.post(FULFILLMENT_OPTIONS, json={"orderId": UNKNOWN}), 404, NO_ORDER)
        name = df_order["customerOrderId"]
        theirs = assert_error(client.post(FULFILLMENT_OPTIONS, json={"orderId": name}, headers=OTHER_AUTH), 404)
        assert theirs == {**unknown, "message": unknown["message"].replace(UNKNOWN, name)}
        assert_error(client.post(FULFILLMENT_OPTIONS, json={"orderId": "not-an-order"}), 404, NO_ORDER)


class TestFulfillmentSelection:
    def test_the_choices_are_echoed_recorded_and_priced_in_the_totals(self, client, df_order):
        name = df_order["customerOrderId"]
        body = {
            "placeid": PLACE,
            "selectedOptions": [
                choose("line-1-phone", "express-shipping"),
                # the carrier's example: Standard Shipping with a store place (shipped from there)
                choose("line-1-sim", "standard-shipping", product={"place": [{"id": "D11211", "role": "store"}]}),
            ],
        }
        response = client.post(order_url(name, "fulfillment"), json=body)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "selectedOptions": [
                {
                    "productOrderItemId": "line-1-phone",
                    "productOffering": EXPRESS,
                    "product": {"place": [{"id": PLACE, "role": "shippingAddress"}]},
                    "status": "success",
                },
                {
                    "productOrderItemId": "line-1-sim",
                    "productOffering": STANDARD,
                    "product": {"place": [{"id": "D11211", "role": "store"}, {"id": PLACE, "role": "shippingAddress"}]},
                    "status": "success",
                },
            ]
        }
        cart = client.get(f"{CARTS}/{name}").json()
        assert cart["version"] == df_order["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'
        express = {
            "dutyFreeAmount": {"unit": "USD", "value": 14.99},
            "taxIncludedAmount": {"unit": "USD", "value": 16.23},
        }
        assert [(s["productOrderItemId"], s["itemPrice"]) for s in cart["fulfillment"]] == [
            (
                "line-1-phone",
                [
                    {
                        "name": "Express Shipping",
                        "priceType": "NRC",
                        "price": {**express, "taxRate": 0.0825},
                        "finalPrice": {**express, "taxRate": 0.0825},
                        "taxIncluded": "Excluded",
                    }
                ],
            ),
            ("line-1-sim", [{**cart["fulfillment"][1]["itemPrice"][0], "name": "Standard Shipping"}]),
        ]
        assert cart["fulfillment"][1]["itemPrice"][0]["price"]["dutyFreeAmount"]["value"] == 0.0
        # SIM card 5.00 (+ 0.41 tax) and express shipping 14.99 (+ 1.24); the line's monthly
        # charges (plan 60.99 + 6.10, iPhone 23.06 + 1.90) unchanged.
        assert total(df_order, "NRC") == (5.00, 5.41)
        assert total(cart, "NRC") == (19.99, 21.64)
        assert total(cart, "RC") == total(df_order, "RC") == (84.05, 92.05)
        assert ("fulfillment", "complete", True, False) in steps(cart["validation"])

    def test_a_new_choice_replaces_the_earlier_one(self, client, df_order):
        url = order_url(df_order["customerOrderId"], "fulfillment")
        client.post(url, json={"selectedOptions": [choose("line-1-phone", "express-shipping")]})
        client.post(url, json={"selectedOptions": [choose("line-1-phone", "store-pickup")]})
        cart = client.get(f"{CARTS}/{df_order['id']}").json()
        assert [(s["productOrderItemId"], s["productOffering"]["id"]) for s in cart["fulfillment"]] == [
            ("line-1-phone", "store-pickup")
        ]
        assert cart["fulfillment"][0]["product"] == {"place": [{"id": "G5MGG", "role": "store"}]}
        assert total(cart, "NRC") == (5.00, 5.41)
        assert ("fulfillment", "pending", True, False) in steps(cart["validation"]), "the SIM is still to choose for"

    def test_an_item_removed_takes_its_delivery_and_its_charge_with_it(self, client, df_order):
        name = df_order["customerOrderId"]
        client.post(
            order_url(name, "fulfillment"), json={"selectedOptions": [choose("line-1-phone", "express-shipping")]}
        )
        cart = client.delete(f"{CARTS}/{name}/items/line-1-phone").json()
        assert "fulfillment" not in cart
        assert total(cart, "NRC") == (5.00, 5.41)

    @pytest.mark.parametrize(
        ("chosen", "status", "code", "field"),
        [
            ([choose("line-9", "standard-shipping")], 422, REFUSED, "selectedOptions[0].productOrderItemId"),
            ([choose("line-1", "standard-shipping")], 422, REFUSED, "selectedOptions[0].productOrderItemId"),
            ([choose("line-1-phone", "drone")], 422, REFUSED, "selectedOptions[0].productOffering.id"),
            (
                [choose("line-1-phone", "standard-shipping"), choose("line-1-phone", "express-shipping")],
                422,
                REFUSED,
                "selectedOptions[1].productOrderItemId",
            ),
            (
                [choose("line-1-phone", "store-pickup", product={"place": [{"id": "D11211"}]})],
                422,
                REFUSED,
                "selectedOptions[0].product.place[0]",
            ),
            (
                [{"productOrderItemId": "line-1-phone", "productOffering": {"id": "x", "productOfferingType": "SIM"}}],
                400,
                INVALID,
                "selectedOptions[0].productOffering.productOfferingType",
            ),
            ([{"productOrderItemId": "line-1-phone"}], 400, FULFILLMENT_MISSING, "selectedOptions[0].productOffering"),
            ([], 400, INVALID, "selectedOptions"),
            (None, 400, FULFILLMENT_MISSING, "selectedOptions"),
        ],
        ids=[
            "unknown-item",
            "a-plan",
            "unknown-method",
            "an-item-twice",
            "a-place-without-role",
            "not-a-delivery-method",
            "no-productOffering",
            "none-chosen",
            "no-selectedOptions",
        ],
    )
    def test_refusals_are_clear_and_change_nothing(self, client, df_order, chosen, status, code, field):
        body = {} if chosen is None else {"selectedOptions": chosen}
        response = client.post(order_url(df_order["customerOrderId"], "fulfillment"), json=body)
        assert_error(response, status, code, field)
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_an_unknown_order_and_another_partners_answer_404(self, client, df_order):
        body = {"selectedOptions": [choose("line-1-phone", "standard-shipping")]}
        assert_error(client.post(order_url(UNKNOWN, "fulfillment"), json=body), 404, NO_ORDER)
        url = order_url(df_order["customerOrderId"], "fulfillment")
        assert_error(client.post(url, json=body, headers=OTHER_AUTH), 404, NO_ORDER)
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_if_match_and_an_idempotency_key_work_as_on_every_cart_change(self, client, df_order):
        url = order_url(df_order["customerOrderId"], "fulfillment")
        body = {"selectedOptions": [choose("line-1-phone", "standard-shipping")]}
        stale = assert_error(client.post(url, json=body, headers={"If-Match": '"1"'}), 412)
        assert stale["details"] == {"currentETag": f'"{df_order["version"]}"'}
        key = {"Idempotency-Key": "df-select-1"}
        first = client.post(url, json=body, headers=key)
        again = client.post(url, json=body, headers=key)
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert client.get(f"{CARTS}/{df_order['id']}").json()["version"] == df_order["version"] + 1


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings, seed_request):
    """A client in each status profile, with a named order of the add-a-line items."""
    chosen = dataclasses.replace(settings, profile=request.param)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        order = make_named_cart(client, seed_request)
        client.post(f"{CARTS}/{order['id']}/items", json={"items": add_a_line()})
        yield client, request.param, order["customerOrderId"]


def test_both_profiles_answer_the_same_bodies_with_their_own_statuses(profiled):
    client, profile, name = profiled
    refused = client.post(order_url(name, "fulfillment"), json={"selectedOptions": [choose("line-1", "x")]})
    assert_error(refused, {"omnicart": 422, "carrier": 400}[profile], REFUSED)
    assert_error(client.post(FULFILLMENT_OPTIONS, json={}), 400, FULFILLMENT_MISSING)
    assert_error(
        client.post(order_url(name, "billing"), content=b"x" * 2_000_000), {"omnicart": 413, "carrier": 400}[profile]
    )
    assert_error(
        client.post(TERMS, content=b"{}", headers={"content-type": "text/plain"}),
        {"omnicart": 415, "carrier": 400}[profile],
    )
    for url, body in (
        (order_url(name, "fulfillment"), {"selectedOptions": [choose("line-1-phone", "standard-shipping")]}),
        (order_url(name, "terms"), {"agreements": [{"name": "WCA"}]}),
        (order_url(name, "billing"), {"enrollment": {"paperLess": "enrolled"}}),
        (FULFILLMENT_OPTIONS, {"orderId": name}),
        (TERMS, {"orderId": name}),
        (OFFERS_SEARCH, {"productOfferingTypeGroup": "mobilePlan"}),
    ):
        assert client.post(url, json=body).status_code == 200, url


def test_the_add_a_line_flow_end_to_end(client, named_cart, clock):
    """A named order (as `order/create` makes it) → offers → a new line (plan, phone, SIM) →
    fulfilment options → a delivery method per item → terms → consent → billing → ready
    once payment is registered → express submit by name → the order shows it all."""
    name = named_cart["customerOrderId"]
    plans = client.post(OFFERS_SEARCH, json={"productOfferingTypeGroup": "mobilePlan", "customerType": "CONSUMER"})
    phones = client.post(OFFERS_SEARCH, json={"productOfferingTypeGroup": "mobileDevice", "deviceType": ["Phone"]})
    sims = client.post(OFFERS_SEARCH, json={"productOfferingTypeGroup": "mobileOffer"})
    assert VALUE_PLUS in {o["id"] for o in plans.json()} and IPHONE in {o["id"] for o in phones.json()}
    assert SIM in {o["id"] for o in sims.json()}

    cart = client.post(f"{CARTS}/{name}/items", json={"items": add_a_line()}).json()
    assert cart["validation"]["readyToSubmit"] is False

    options = client.post(FULFILLMENT_OPTIONS, json={"orderId": name, "placeid": PLACE}).json()
    chosen = [
        {**choose(item["productOrderItemId"], "standard-shipping")} for item in options["selectedOptions"][0]["options"]
    ]
    assert [c["productOrderItemId"] for c in chosen] == ["line-1-phone", "line-1-sim"]
    selected = client.post(order_url(name, "fulfillment"), json={"placeid": PLACE, "selectedOptions": chosen})
    assert [s["status"] for s in selected.json()["selectedOptions"]] == ["success", "success"]

    agreements = client.post(TERMS, json={"orderId": name}).json()["agreements"]
    assert [a["name"] for a in agreements] == ["Wireless Customer Agreement", "Installment Agreement"]
    consent = client.post(order_url(name, "terms"), json={"agreements": agreements}).json()
    assert "error" not in consent

    billing = client.post(
        order_url(name, "billing"), json={"enrollment": {"autoPay": "enrolled", "paperLess": "enrolled"}}
    )
    assert steps(billing.json()["validation"]) == [
        ("terms", "complete", True, False),
        ("payment", "pending", True, False),
        ("fulfillment", "complete", True, False),
        ("billing", "pending", False, True),  # AutoPay has nothing to charge yet
    ]
    assert billing.json()["validation"]["readyToSubmit"] is False

    paid = client.post(PAYMENT_METHODS, json=payment_request(name, consent=False))
    assert paid.status_code == 200, paid.text
    cart = client.get(f"{CARTS}/{name}").json()
    assert cart["validation"]["readyToSubmit"] is True
    assert steps(cart["validation"])[1:] == [
        ("payment", "complete", True, False),
        ("fulfillment", "complete", True, False),
        ("billing", "complete", False, True),
    ]

    submitted = client.post(submit_url(name))
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["customerOrderId"] == name
    order = client.get(f"{ORDERS}/{submitted.json()['id']}").json()
    assert [(a["id"], a["version"]) for a in order["agreement"]] == [("WCA", "2025-06"), ("IA", "2024-09")]
    assert [(f["productOrderItemId"], f["productOffering"]["id"], f["product"]) for f in order["fulfillment"]] == [
        ("line-1-phone", "standard-shipping", {"place": [{"id": PLACE, "role": "shippingAddress"}]}),
        ("line-1-sim", "standard-shipping", {"place": [{"id": PLACE, "role": "shippingAddress"}]}),
    ]
    assert order["enrollment"] == {"autoPay": "enrolled", "paperLess": "enrolled"}
    assert order["orderTotalPrice"] == cart["orderTotalPrice"]

    assert_error(client.post(FULFILLMENT_OPTIONS, json={"orderId": name}), 409, "OMNICART-CART-0409")
    assert_error(client.post(TERMS, json={"orderId": name}), 409, "OMNICART-CART-0409")
    for what, body in (
        ("fulfillment", {"selectedOptions": chosen}),
        ("terms", {"agreements": agreements}),
        ("billing", {"enrollment": {"paperLess": "notEnrolled"}}),
    ):
        assert_error(client.post(order_url(name, what), json=body), 409, "OMNICART-CART-0409")
