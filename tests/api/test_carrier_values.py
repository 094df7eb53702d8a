"""The carrier's values are accepted, omnicart's own are marked (issue 20, point 3): every
productOfferingType the reference shows can be bought and is checked as its kind, omnicart's
own three are described as such in the OpenAPI document, and a relatedParty pair the
reference does not show is kept with a warning naming the pairs it does. How each type is
priced under each action: tests/api/test_actions.py."""

from __future__ import annotations

from tests.api.conftest import CARTS, enum_of
from tests.carts import PIXEL, VALUE_PLUS, messages

ACTIVE_ARMOR = "a3c6e9f2-1b4d-4e7a-8c0f-2d5e8b1a4c70"
OFFERINGS = "/omni-svcs/v1/productOfferings"


def _cart_with(client, seed_request, items: list[dict]) -> dict:
    response = client.post(CARTS, json={**seed_request, "items": items})
    assert response.status_code == 201, response.text
    return response.json()


def _item(item_id: str, kind: str, offering: str, **fields) -> dict:
    return {"productOrderItemId": item_id, "productOfferingType": kind, "productOfferingId": offering, **fields}


class TestOfferingTypes:
    def test_a_plan_by_either_of_the_carriers_names_is_one_plan_of_its_line(self, client, seed_request):
        cart = _cart_with(
            client,
            seed_request,
            [
                _item("line", "Mobile_Plan", VALUE_PLUS),
                _item("second", "Mobile_Offer", VALUE_PLUS, **{"rootBundleProductOrderItemId": "line"}),
            ],
        )
        assert messages(cart) == [("MULTIPLE_PLANS_ON_LINE", "error", "second")]

    def test_mobile_plan_naming_a_phone_contradicts_the_catalog(self, client, seed_request):
        cart = _cart_with(client, seed_request, [_item("x", "Mobile_Plan", PIXEL)])
        assert messages(cart) == [("PRODUCT_OFFERING_TYPE_MISMATCH", "error", "x")]

    def test_a_delivery_method_item_names_a_delivery_method(self, client, seed_request):
        cart = _cart_with(client, seed_request, [_item("ship", "Delivery_Method", "drone-drop")])
        assert messages(cart) == [("OFFERING_NOT_FOUND", "error", "ship")]

    def test_a_delivery_method_is_a_fulfilment_line_never_shipped_itself(self, client, seed_request):
        cart = _cart_with(client, seed_request, [_item("ship", "Delivery_Method", "express-shipping")])
        # Due today (14.99 + 8.25 % tax): payment is required; nothing is delivered, so no fulfilment step.
        steps = {(c["type"], c["required"]) for c in cart["validation"]["configuration"]}
        assert steps == {("terms", True), ("payment", True)}
        checkout = client.post("/omni-svcs/v1/checkout", json={"cartId": cart["id"]}).json()
        assert checkout["fulfillmentOptions"] == []

    def test_active_armor_is_an_add_on_service_in_the_catalog(self, client):
        (armor,) = client.get(OFFERINGS, params={"type": "Active_Armor"}).json()
        assert (armor["id"], armor["name"]) == (ACTIVE_ARMOR, "AT&T ActiveArmor")
        assert [
            (p["priceType"], p["price"]["dutyFreeAmount"]["value"], p["price"]["taxIncludedAmount"]["value"])
            for p in armor["productOfferingPrice"]
        ] == [("RC", 3.99, 4.32)]

    def test_every_catalog_sells_the_delivery_methods(self, client):
        methods = client.get(OFFERINGS, params={"type": "Delivery_Method"}).json()
        assert [
            (
                m["id"],
                m["name"],
                [(p["priceType"], p["price"]["dutyFreeAmount"]["value"]) for p in m["productOfferingPrice"]],
            )
            for m in methods
        ] == [
            ("standard-shipping", "Standard Shipping", [("NRC", 0.0)]),
            ("express-shipping", "Express Shipping", [("NRC", 14.99)]),
            ("store-pickup", "Pick up in store", [("NRC", 0.0)]),
        ]

    def test_the_openapi_enum_holds_every_value_and_marks_omnicarts_own(self, client):
        document = client.get("/openapi.json").json()
        schema = document["components"]["schemas"]["ProductOrderItem"]
        (kind, _) = schema["properties"]["productOfferingType"]["anyOf"]
        assert sorted(enum_of(document, kind)) == [
            "Accessory",
            "Active_Armor",
            "Broadband_Offer",
            "Delivery_Method",
            "Device_Protection",
            "Mobile_Device",
            "Mobile_Offer",
            "Mobile_Plan",
            "SIM",
        ]
        own = kind["description"].split("omnicart's own")[1]
        for value in ("`Device_Protection` (for the", "`Accessory` (for the", "`Broadband_Offer` (for the"):
            assert value in own
        action = schema["properties"]["action"]
        assert "`delete` ends an existing product exactly as `terminate` does" in action["description"]


class TestRelatedParties:
    def test_the_carriers_pairs_get_no_warning(self, client, seed_request):
        cart = client.post(CARTS, json=seed_request).json()
        assert messages(cart) == [("CART_EMPTY", "info", None)]

    def test_a_pair_the_carrier_does_not_show_is_kept_with_a_warning_naming_the_seen_ones(self, client, seed_request):
        seed_request["relatedParty"][2]["role"] = "owner"  # the customer as owner
        response = client.post(CARTS, json=seed_request)
        assert response.status_code == 201
        cart = response.json()
        assert cart["relatedParty"][2]["role"] == "owner"
        (empty, warning) = cart["validation"]["validationMessage"]
        assert empty["parameter"][0]["value"] == "CART_EMPTY"
        assert warning == {
            "text": "relatedParty[2] is referredType 'customer' with role 'owner', a pair the carrier's pages do "
            "not show; it is kept, but the carrier may refuse it (seen: individual/owner, dealerLocation/partner, "
            "customer/customer)",
            "type": "warning",
            "parameter": [
                {"name": "code", "value": "UNSEEN_PARTY_PAIR"},
                {"name": "field", "value": "relatedParty[2]"},
            ],
        }
        assert cart["validation"]["status"] == "valid"
