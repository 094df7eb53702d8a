"""Cart items over HTTP: add, change (a JSON merge patch) and remove them (Add Items to
Cart v1.0.3 and omnicart's item PATCH/DELETE), and the catalog they come from. What
items cost and what the cart's validation says of them: tests/services/test_items.py."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error
from tests.carts import CHARGER, PIXEL, VALUE_PLUS, line


@pytest.fixture
def add(client, cart):
    def add(items: list[dict], cart_id: str | None = None, **headers):
        return client.post(f"{CARTS}/{cart_id or cart['id']}/items", json={"items": items}, headers=headers)

    return add


class TestAddItems:
    def test_adding_items_answers_200_with_the_cart_and_its_new_etag(self, add):
        response = add(line())
        assert response.status_code == 200
        updated = response.json()
        assert updated["version"] == 2 and response.headers["etag"] == '"2"'
        assert len(updated["productOrderItem"]) == 4

    def test_unknown_item_fields_are_kept(self, add):
        (item,) = add([{"productOfferingId": CHARGER, "giftWrap": {"color": "red"}}]).json()["productOrderItem"]
        assert item["giftWrap"] == {"color": "red"}

    def test_an_empty_item_list_is_refused(self, add):
        assert_error(add([]), 400, field="items")

    def test_adding_to_an_unknown_cart_answers_404(self, add):
        assert_error(add(line(), cart_id="dea79fb0-21c4-11f1-8527-67c36c11d002"), 404)


class TestChangeItem:
    def test_a_patch_merges_into_the_item(self, add, client, cart):
        add([{"productOrderItemId": "c", "productOfferingId": CHARGER, "note": "keep"}])
        response = client.patch(f"{CARTS}/{cart['id']}/items/c", json={"quantity": 2})
        assert response.status_code == 200
        updated = response.json()
        (item,) = updated["productOrderItem"]
        assert (item["quantity"], item["note"]) == (2, "keep")
        assert updated["version"] == 3

    def test_null_in_a_patch_removes_the_field(self, add, client, cart):
        add([{"productOrderItemId": "c", "productOfferingId": CHARGER, "note": "drop me"}])
        (item,) = client.patch(f"{CARTS}/{cart['id']}/items/c", json={"note": None}).json()["productOrderItem"]
        assert "note" not in item

    def test_an_invalid_patch_changes_nothing(self, add, client, cart):
        add([{"productOrderItemId": "c", "productOfferingId": CHARGER}])
        assert_error(client.patch(f"{CARTS}/{cart['id']}/items/c", json={"quantity": "many"}), 400, field="quantity")
        assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == 2

    def test_the_item_id_cannot_be_patched(self, add, client, cart):
        add([{"productOrderItemId": "c", "productOfferingId": CHARGER}])
        assert_error(client.patch(f"{CARTS}/{cart['id']}/items/c", json={"productOrderItemId": "d"}), 400)

    def test_patching_an_unknown_item_answers_404(self, client, cart):
        assert_error(client.patch(f"{CARTS}/{cart['id']}/items/nope", json={"quantity": 2}), 404, "OMNICART-ITEM-0404")


class TestRemoveItem:
    def test_removing_a_child_keeps_its_bundle(self, add, client, cart):
        add(line())
        updated = client.delete(f"{CARTS}/{cart['id']}/items/line-1-sim").json()
        assert len(updated["productOrderItem"]) == 3

    def test_removing_an_unknown_item_answers_404(self, client, cart):
        assert_error(client.delete(f"{CARTS}/{cart['id']}/items/nope"), 404, "OMNICART-ITEM-0404")


class TestProductOfferings:
    def test_the_catalog_lists_every_type(self, client):
        offerings = client.get("/omni-svcs/v1/productOfferings").json()
        assert {o["productOfferingType"] for o in offerings} == {
            "Mobile_Device",
            "Mobile_Offer",
            "SIM",
            "Active_Armor",
            "Delivery_Method",
            "Device_Protection",
            "Accessory",
            "Broadband_Offer",
        }

    def test_offerings_filter_by_type_with_carrier_prices(self, client):
        plans = client.get("/omni-svcs/v1/productOfferings", params={"type": "Mobile_Offer"}).json()
        assert {o["productOfferingType"] for o in plans} == {"Mobile_Offer"}
        (value_plus,) = [o for o in plans if o["id"] == VALUE_PLUS]
        amounts = {
            "dutyFreeAmount": {"unit": "USD", "value": 60.99},
            "taxIncludedAmount": {"unit": "USD", "value": 67.09},
            "taxRate": 0.1,
        }
        assert value_plus["productOfferingPrice"] == [
            {
                "name": "Value Plus VL",
                "priceType": "RC",
                "recurringChargePeriod": "month",
                "recurringChargePeriodLength": 1,
                "price": amounts,
                "finalPrice": amounts,
                "taxIncluded": "Excluded",
            }
        ]

    def test_catalog_cart_and_order_show_one_price_shape(self, client, seed_request):
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        for item in cart["productOrderItem"]:
            offering = client.get(f"/omni-svcs/v1/productOfferings/{item['productOfferingId']}").json()
            assert item["itemPrice"] == offering["productOfferingPrice"]  # quantity 1: the same prices
        prices = [p for item in cart["productOrderItem"] for p in item["itemPrice"]] + cart["orderTotalPrice"]
        for price in prices:
            assert price["finalPrice"] == price["price"] and price["taxIncluded"] == "Excluded"
            recurring = price["priceType"] == "RC"
            assert ("recurringChargePeriod" in price) is recurring
            assert price.get("recurringChargePeriodLength") == (1 if recurring else None)

    def test_an_unknown_type_is_a_clear_error(self, client):
        assert_error(client.get("/omni-svcs/v1/productOfferings", params={"type": "Phone"}), 400, field="type")

    def test_one_offering_reads_by_id(self, client):
        assert client.get(f"/omni-svcs/v1/productOfferings/{PIXEL}").json()["name"] == "Google Pixel 9 128GB"
        assert_error(client.get("/omni-svcs/v1/productOfferings/nope"), 404)
