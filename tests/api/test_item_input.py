"""Item input a partner gets wrong is caught (issue 10, point 1): a closed field outside
its set is a 400 naming the path and listing the accepted values, and changes nothing; a
type contradicting the catalog is a validation error naming the item; an unknown field is
a warning naming it, with the closest known field, and is still kept."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error
from tests.carts import CHARGER, PIXEL, VALUE_PLUS, line

ACTIONS = "add, delete, modify, noChange, swap;add, terminate"
TYPES = (
    "Accessory, Active_Armor, Broadband_Offer, Delivery_Method, Device_Protection, Mobile_Device, Mobile_Offer, "
    "Mobile_Plan, SIM"
)
BAD = [("action", "frobnicate", ACTIONS), ("productOfferingType", "Banana", TYPES)]


def messages(cart: dict, code: str) -> list[dict]:
    found = []
    for message in cart["validation"]["validationMessage"]:
        params = {p["name"]: p["value"] for p in message["parameter"]}
        if params["code"] == code:
            found.append({"type": message["type"], "text": message["text"], **params})
    return found


@pytest.mark.parametrize(("field", "value", "accepted"), BAD)
class TestClosedSets:
    def test_create_with_items_refuses_and_creates_nothing(self, client, seed_request, field, value, accepted):
        items = line()
        items[1][field] = value
        seed_request["items"] = items
        body = assert_error(client.post(CARTS, json=seed_request), 400, field=f"items[1].{field}")
        assert accepted in body["details"]["errors"][0]["reason"]
        assert client.get(CARTS).json() == []

    def test_add_items_refuses_and_the_cart_is_unchanged(self, client, cart, field, value, accepted):
        before = client.get(f"{CARTS}/{cart['id']}").json()
        item = {"productOfferingType": "Accessory", "productOfferingId": CHARGER, field: value}
        response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]})
        body = assert_error(response, 400, field=f"items[0].{field}")
        assert body["details"]["errors"][0]["reason"].endswith(f"accepted values: {accepted}")
        assert client.get(f"{CARTS}/{cart['id']}").json() == before

    def test_patch_refuses_and_the_cart_is_unchanged(self, client, cart, field, value, accepted):
        client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()})
        before = client.get(f"{CARTS}/{cart['id']}").json()
        response = client.patch(f"{CARTS}/{cart['id']}/items/line-1-phone", json={field: value})
        body = assert_error(response, 400, field=field)
        assert accepted in body["details"]["errors"][0]["reason"]
        after = client.get(f"{CARTS}/{cart['id']}").json()
        assert after == before and after["version"] == 2


def test_every_action_of_the_carrier_is_accepted(client, cart):
    items = [
        {
            "productOfferingType": "Accessory",
            "productOfferingId": CHARGER,
            "action": action,
            "subscriberNumber": "4690002221",
        }
        for action in ACTIONS.split(", ")
    ]
    response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": items})
    assert response.status_code == 200, response.text


class TestTypeAgainstTheCatalog:
    def test_a_plan_sent_as_a_device_is_an_error_naming_the_item(self, client, cart):
        item = {"productOrderItemId": "plan", "productOfferingType": "Mobile_Device", "productOfferingId": VALUE_PLUS}
        updated = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]}).json()
        (found,) = messages(updated, "PRODUCT_OFFERING_TYPE_MISMATCH")
        assert found["type"] == "error" and found["productOrderItemId"] == "plan"
        assert "Mobile_Offer" in found["text"]
        assert updated["validation"]["readyToSubmit"] is False

    def test_the_same_on_create_and_patch(self, client, seed_request):
        seed_request["items"] = line()
        cart = client.post(CARTS, json=seed_request).json()
        assert messages(cart, "PRODUCT_OFFERING_TYPE_MISMATCH") == []
        patched = client.patch(f"{CARTS}/{cart['id']}/items/line-1-phone", json={"productOfferingType": "SIM"}).json()
        (found,) = messages(patched, "PRODUCT_OFFERING_TYPE_MISMATCH")
        assert found["productOrderItemId"] == "line-1-phone"
        fixed = client.patch(
            f"{CARTS}/{cart['id']}/items/line-1-phone", json={"productOfferingType": "Mobile_Device"}
        ).json()
        assert messages(fixed, "PRODUCT_OFFERING_TYPE_MISMATCH") == [] and fixed["validation"]["status"] == "valid"


class TestUnknownFields:
    def test_a_misspelled_field_is_a_warning_suggesting_the_right_one_and_is_kept(self, client, cart):
        item = {
            "productOrderItemId": "phone",
            "productOfferingType": "Mobile_Device",
            "productOfferingId": PIXEL,
            "characteristics": [{"name": "isBYOD", "value": "true"}],
        }
        updated = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]}).json()
        (found,) = messages(updated, "UNKNOWN_FIELD")
        assert found["type"] == "warning" and found["field"] == "characteristics"
        assert found["productOrderItemId"] == "phone"
        assert "did you mean `characteristic`?" in found["text"]
        assert updated["productOrderItem"][0]["characteristics"] == [{"name": "isBYOD", "value": "true"}]
        assert updated["validation"]["status"] == "valid"  # a warning, not an error

    def test_a_field_close_to_nothing_gets_no_suggestion(self, client, seed_request):
        seed_request["items"] = [{"productOfferingId": CHARGER, "giftWrap": {"color": "red"}}]
        created = client.post(CARTS, json=seed_request).json()
        (found,) = messages(created, "UNKNOWN_FIELD")
        assert found["field"] == "giftWrap" and "did you mean" not in found["text"]
        assert created["productOrderItem"][0]["giftWrap"] == {"color": "red"}

    def test_patch_adding_a_misspelled_field_warns(self, client, cart):
        client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()})
        patched = client.patch(f"{CARTS}/{cart['id']}/items/line-1", json={"subscriberNumbr": "4690002221"}).json()
        (found,) = messages(patched, "UNKNOWN_FIELD")
        assert found["field"] == "subscriberNumbr" and "`subscriberNumber`" in found["text"]
