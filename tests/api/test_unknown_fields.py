"""Nothing a partner sends disappears without a word (issue 20, point 2).

- Create Cart's items sent as `productOrderItem` (the answer's name) are read as `items`,
  with a warning naming `items`; both at once is a 400.
- Every unknown top-level field of every request body is a `Warning` header with a "did
  you mean" (RFC 7234's `299 - "text"`); one omnicart keeps is still echoed, and Create
  Cart's are also UNKNOWN_FIELD warnings in the cart's validation, as an item's are.
- A field dropped deeper down, or one the service owns, is a warning too.
"""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import CARTS, CHECKOUT, PAYMENT_METHODS, assert_error, submit_url
from tests.carts import line, payment_request

HUB = "/omni-svcs/v1/hub"


def warnings(response) -> list[str]:
    """The texts of the Warning header, in order."""
    value = response.headers.get("warning")
    if value is None:
        return []
    return [json.loads(part) for part in value.removeprefix("299 - ").split(", 299 - ")]


def cart_warnings(cart: dict) -> list[tuple[str, dict[str, str]]]:
    """The cart's UNKNOWN_FIELD messages: (type, their parameters)."""
    return [
        (m["type"], {p["name"]: p["value"] for p in m["parameter"]})
        for m in cart["validation"]["validationMessage"]
        if {"name": "code", "value": "UNKNOWN_FIELD"} in m["parameter"]
    ]


class TestProductOrderItemOnCreateCart:
    def test_is_read_as_items_with_a_warning_naming_items(self, client, seed_request):
        seed_request["productOrderItem"] = line()
        response = client.post(CARTS, json=seed_request)
        assert response.status_code == 201
        cart = response.json()
        assert [item["productOrderItemId"] for item in cart["productOrderItem"]] == [
            "line-1",
            "line-1-phone",
            "line-1-sim",
            "line-1-protect",
        ]
        assert cart["orderTotalPrice"][1]["price"]["dutyFreeAmount"]["value"] > 0
        assert warnings(response) == [
            "`productOrderItem` was read as `items`: the request's field is `items`"
            " (`productOrderItem` is the answer's)"
        ]
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart

    def test_with_items_too_is_refused_naming_items(self, client, seed_request):
        seed_request["items"] = line()
        seed_request["productOrderItem"] = line("line-2")
        body = assert_error(
            client.post(CARTS, json=seed_request),
            400,
            "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002",
            "productOrderItem",
        )
        assert "`items`" in body["details"]["errors"][0]["reason"]
        assert client.get(CARTS).json() == []

    def test_the_older_order_create_reads_it_too(self, client, seed_request):
        seed_request["productOrderItem"] = line()
        response = client.post("/omni-svcs/v1/order/create", json=seed_request)
        assert response.status_code == 201
        assert len(client.get(response.headers["location"]).json()["productOrderItem"]) == 4
        assert warnings(response)[0].startswith("`productOrderItem` was read as `items`")


class TestCreateCart:
    @pytest.mark.parametrize(
        ("field", "text", "suggestion"),
        [
            (
                "relatedparty",
                "unknown field `relatedparty` was kept but not used; did you mean `relatedParty`?",
                "relatedParty",
            ),
            ("cartItems", "unknown field `cartItems` was kept but not used; did you mean `items`?", "items"),
            ("chanel", "unknown field `chanel` was kept but not used; did you mean `channel`?", "channel"),
            ("partnerNote", "unknown field `partnerNote` was kept but not used", None),
        ],
    )
    def test_an_unknown_field_is_warned_kept_and_echoed(self, client, seed_request, field, text, suggestion):
        seed_request[field] = [{"x": 1}]
        response = client.post(CARTS, json=seed_request)
        assert response.status_code == 201
        cart = response.json()
        assert cart[field] == [{"x": 1}]
        assert warnings(response) == [text]
        parameters = {"code": "UNKNOWN_FIELD", "field": field, **({"didYouMean": suggestion} if suggestion else {})}
        assert cart_warnings(cart) == [("warning", parameters)]
        assert cart["validation"]["status"] == "valid"
        # A warning of the cart's, as an item's: still there on every later answer.
        added = client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()})
        assert cart_warnings(added.json()) == [("warning", parameters)]
        assert "warning" not in added.headers

    def test_fields_the_service_owns_are_ignored_with_a_warning(self, client, seed_request):
        seed_request["state"] = "Submitted"
        seed_request["items"] = [{**line()[0], "itemPrice": [{"name": "free"}]}]
        response = client.post(CARTS, json=seed_request)
        assert response.json()["state"] == "Draft"
        assert warnings(response) == [
            "`state` is the service's and was ignored",
            "`items[0].itemPrice` is the service's and was ignored",
        ]

    def test_a_request_with_nothing_unknown_has_no_warning(self, client, seed_request):
        response = client.post(CARTS, json=seed_request)
        assert "warning" not in response.headers
        assert cart_warnings(response.json()) == []

    def test_a_replay_says_it_again(self, client, seed_request):
        seed_request["cartItems"] = []
        key = {"Idempotency-Key": "unknown-1"}
        first = client.post(CARTS, json=seed_request, headers=key)
        again = client.post(CARTS, json=seed_request, headers=key)
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["warning"] == first.headers["warning"]

    def test_many_unknown_fields_make_a_bounded_header(self, client, seed_request):
        for index in range(30):
            seed_request[f"note{index}{'x' * 300}"] = index
        found = warnings(client.post(CARTS, json=seed_request))
        assert len(found) == 11 and found[-1] == "and 20 more fields not used"
        assert all(len(text) < 200 for text in found)

    def test_a_field_name_cannot_break_the_header(self, client, seed_request):
        seed_request['x"\r\nSet-Cookie: a=b\\é'] = 1
        response = client.post(CARTS, json=seed_request)
        assert "set-cookie" not in response.headers
        assert warnings(response) == ['unknown field `x"\r\nSet-Cookie: a=b\\é` was kept but not used']


class TestReads:
    """A read sends the stored document as it is when the store knows it holds no unknown
    fields (`plain`, migration 0014), else with them put back: either way, exactly what
    the change that wrote it answered."""

    def test_reads_answer_what_each_change_answered_with_or_without_unknown_fields(self, client, seed_request):
        plain = client.post(CARTS, json=seed_request)
        kept = client.post(CARTS, json={**seed_request, "partnerNote": [{"x": 1}]})
        for answer in (plain, kept):
            assert client.get(f"{CARTS}/{answer.json()['id']}").content == answer.content
        assert client.get(f"{CARTS}/{kept.json()['id']}").json()["partnerNote"] == [{"x": 1}]
        item = {**line()[0], "giftWrap": "blue"}  # the first change with unknown fields of a plain cart
        added = client.post(f"{CARTS}/{plain.json()['id']}/items", json={"items": [item]})
        read = client.get(f"{CARTS}/{plain.json()['id']}")
        assert read.content == added.content
        assert read.json()["productOrderItem"][0]["giftWrap"] == "blue"
        assert b"__extra__" not in read.content and b"__extra__" not in client.get(CARTS).content
        listed = {cart["id"]: cart for cart in client.get(CARTS).json()}
        assert listed[kept.json()["id"]] == kept.json() and listed[plain.json()["id"]] == added.json()


class TestOtherRequests:
    def test_add_items(self, client, cart):
        response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": line(), "item": []})
        assert response.status_code == 200
        assert warnings(response) == ["unknown field `item` was ignored; did you mean `items`?"]

    def test_payment_methods(self, client, cart):
        body = {**payment_request(cart["id"]), "paymentMethod": []}
        response = client.post(PAYMENT_METHODS, json=body)
        assert response.status_code == 200
        assert warnings(response) == ["unknown field `paymentMethod` was ignored; did you mean `paymentMethods`?"]

    def test_a_field_dropped_deeper_down(self, client):
        body = {"productOfferingTypeGroup": "mobileDevice", "BYOD": {"edModels": "iPh11PMA2161", "edModel": "x"}}
        response = client.post("/omni-svcs/v1/offers/search", json=body)
        assert response.status_code == 200
        assert warnings(response) == ["unknown field `BYOD.edModel` was ignored; did you mean `edModels`?"]

    def test_one_kept_deeper_down_is_echoed_without_a_warning(self, client, cart):
        body = payment_request(cart["id"])
        body["paymentMethods"][0]["amout"] = 2
        response = client.post(PAYMENT_METHODS, json=body)
        assert response.status_code == 200
        assert "warning" not in response.headers

    def test_checkout(self, client, cart):
        response = client.post(CHECKOUT, json={"cartId": cart["id"], "cartID": "x"})
        assert response.status_code == 200
        assert warnings(response) == ["unknown field `cartID` was ignored; did you mean `cartId`?"]

    def test_express_submit(self, client, ready_cart):
        response = client.post(submit_url(ready_cart["id"]), json={"paymentMethod": []})
        assert response.status_code == 200
        assert warnings(response) == [
            "unknown field `paymentMethod` was kept but not used; did you mean `paymentMethods`?"
        ]

    def test_hub_registration(self, client):
        response = client.post(HUB, json={"callback": "https://partner.example.com/events", "qeury": "x"})
        assert response.status_code == 201
        assert warnings(response) == ["unknown field `qeury` was ignored; did you mean `query`?"]

    def test_an_error_answer_still_names_the_field(self, client, cart):
        response = client.post(f"{CARTS}/{cart['id']}/items", json={"item": line()})
        assert_error(response, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001", "items")
