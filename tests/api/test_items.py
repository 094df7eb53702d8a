"""Cart items over HTTP: add, change, remove, bundles, prices and validation status
(Add Items to Cart v1.0.3 and omnicart's item PATCH/DELETE)."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error

PIXEL = "Mobile_Device_pkey72544_sku2675503"  # 799.99 one-time
IPHONE = "Mobile_Device_pkey73001_sku2680262"  # 23.06 / month
VALUE_PLUS = "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"  # 60.99 / month, plans taxed 10 %
SIM = "SIM_pkey80001_sku6001001"  # 5.00 one-time
PROTECT = "4b9f1e2a-7c3d-4e8f-9a10-2b3c4d5e6f70"  # 17.00 / month, untaxed
CHARGER = "Accessory_pkey90011_sku6550021"  # 19.99 one-time
RETIRED = "Mobile_Device_pkey69030_sku2609415"  # validFor ended 2025-09-19
ATTR_ONLY = "Mobile_Device_pkey71002_sku2651180"  # channel ATTR only
IMEI = "358073464620280"  # the carrier's example IMEI (Luhn-valid)


def line(root: str = "line-1") -> list[dict]:
    """A new line: plan as bundle root, with a phone, a SIM and protection."""
    return [
        {
            "productOrderItemId": root,
            "action": "add",
            "productOfferingType": "Mobile_Offer",
            "productOfferingId": VALUE_PLUS,
        },
        {
            "productOrderItemId": f"{root}-phone",
            "action": "add",
            "productOfferingType": "Mobile_Device",
            "productOfferingId": PIXEL,
            "rootBundleProductOrderItemId": root,
        },
        {
            "productOrderItemId": f"{root}-sim",
            "action": "add",
            "productOfferingType": "SIM",
            "productOfferingId": SIM,
            "rootBundleProductOrderItemId": root,
        },
        {
            "productOrderItemId": f"{root}-protect",
            "action": "add",
            "productOfferingType": "Device_Protection",
            "productOfferingId": PROTECT,
            "rootBundleProductOrderItemId": root,
        },
    ]


@pytest.fixture
def add(client, cart):
    def add(items: list[dict], cart_id: str | None = None, **headers):
        return client.post(f"{CARTS}/{cart_id or cart['id']}/items", json={"items": items}, headers=headers)

    return add


def codes(cart: dict) -> list[tuple[str, str | None]]:
    """(code, productOrderItemId) of every error message of the cart's validation."""
    found = []
    for message in cart["validation"]["validationMessage"]:
        if message["type"] != "error":
            continue
        params = {p["name"]: p["value"] for p in message["parameter"]}
        found.append((params["code"], params.get("productOrderItemId")))
    return found


def total(cart: dict, price_type: str) -> tuple[float, float]:
    (entry,) = [p for p in cart["orderTotalPrice"] if p["priceType"] == price_type]
    return entry["price"]["dutyFreeAmount"]["value"], entry["price"]["taxIncludedAmount"]["value"]


class TestAddItems:
    def test_a_whole_line_is_added_priced_and_valid(self, add, cart):
        response = add(line())
        assert response.status_code == 200
        updated = response.json()
        assert updated["version"] == 2 and response.headers["etag"] == '"2"'
        assert [i["productOrderItemId"] for i in updated["productOrderItem"]] == [
            "line-1",
            "line-1-phone",
            "line-1-sim",
            "line-1-protect",
        ]
        assert updated["validation"]["status"] == "valid"
        # Valid, but payment (a phone is due today) and terms are still to be completed.
        assert updated["validation"]["readyToSubmit"] is False
        assert [(c["type"], c["status"], c["required"]) for c in updated["validation"]["configuration"]] == [
            ("terms", "pending", True),
            ("payment", "pending", True),
        ]

    def test_prices_match_hand_computed_totals_with_tax(self, add):
        updated = add(line()).json()
        # One-time: Pixel 799.99 + 8.25 % = 865.99 (tax 65.999175 → 66.00); SIM 5.00 + 0.41 = 5.41.
        assert total(updated, "NRC") == (804.99, 871.40)
        # Monthly: plan 60.99 + 10 % = 67.09 (6.099 → 6.10); protection 17.00, untaxed.
        assert total(updated, "RC") == (77.99, 84.09)
        phone = updated["productOrderItem"][1]
        amounts = {
            "dutyFreeAmount": {"unit": "USD", "value": 799.99},
            "taxIncludedAmount": {"unit": "USD", "value": 865.99},
            "taxRate": 0.0825,
        }
        assert phone["itemPrice"] == [
            {
                "name": "Google Pixel 9 128GB full retail price",
                "priceType": "NRC",
                "price": amounts,
                "finalPrice": amounts,
                "taxIncluded": "Excluded",
            }
        ]
        (monthly,) = [p for p in updated["orderTotalPrice"] if p["priceType"] == "RC"]
        assert monthly["recurringChargePeriod"] == "month" and monthly["recurringChargePeriodLength"] == 1
        assert monthly["finalPrice"] == monthly["price"] and monthly["taxIncluded"] == "Excluded"

    def test_quantity_multiplies_the_price(self, add):
        updated = add(
            [{"action": "add", "productOfferingType": "Accessory", "productOfferingId": CHARGER, "quantity": 3}]
        ).json()
        assert total(updated, "NRC") == (59.97, 64.92)  # 3 x 19.99; tax 4.947… → 4.95

    def test_the_server_assigns_missing_item_ids(self, add):
        (item,) = add([{"productOfferingType": "Accessory", "productOfferingId": CHARGER}]).json()["productOrderItem"]
        assert item["productOrderItemId"] and item["action"] == "add" and item["quantity"] == 1

    def test_the_carriers_byod_example_is_a_valid_cart(self, add):
        root = "10000001-3f41-49bf-a6cf-6f65caa650ca"
        items = [
            {
                "action": "noChange",
                "productOfferingType": "Mobile_Offer",
                "productOfferingId": "0b690f7e-3f41-49bf-a6cf-6f65caa650ca",
                "productOrderItemId": root,
                "billingAccount": {"ratingType": "postpaid", "id": "556165899573"},
                "subscriberNumber": "4690002221",
            },
            {
                "action": "terminate",
                "productOfferingType": "Mobile_Device",
                "rootBundleProductOrderItemId": root,
                "actionReason": {"reasonText": "Memo text required if selected", "name": "LC"},
                "product": {"id": "47777581441708014", "primaryProductId": "47777581441708014"},
            },
            {
                "action": "swap;add",
                "productOfferingType": "Mobile_Device",
                "productOfferingId": IPHONE,
                "rootBundleProductOrderItemId": root,
                "actionReason": {"reasonText": "Memo text required if selected", "name": "LC", "action": "swap"},
                "product": {"place": [{"role": "PPU", "name": "ppuAddress", "id": "000011VYAA"}]},
                "characteristic": [
                    {"name": "isBYOD", "value": "true"},
                    {"name": "IMEI", "value": IMEI},
                    {"name": "eSIM_Enabled", "value": "true"},
                ],
            },
            {
                "action": "terminate",
                "productOfferingType": "SIM",
                "rootBundleProductOrderItemId": root,
                "actionReason": {"reasonText": "Memo text required if selected", "name": "LC"},
                "subscriberNumber": "4690002221",
            },
        ]
        updated = add(items).json()
        assert codes(updated) == []
        assert updated["productOrderItem"][0]["billingAccount"] == {"ratingType": "postpaid", "id": "556165899573"}
        assert updated["productOrderItem"][2]["characteristic"][1] == {"name": "IMEI", "value": IMEI}
        # Nothing is charged: the plan is kept, the old device and SIM end, the BYOD phone is the customer's.
        assert total(updated, "NRC") == (0, 0) and total(updated, "RC") == (0, 0)

    def test_initial_items_of_create_cart_are_priced_and_validated(self, client, seed_request):
        seed_request["items"] = line()
        created = client.post(CARTS, json=seed_request).json()
        assert len(created["productOrderItem"]) == 4 and created["version"] == 1
        assert total(created, "RC") == (77.99, 84.09)

    def test_unknown_item_fields_are_kept(self, add):
        (item,) = add([{"productOfferingId": CHARGER, "giftWrap": {"color": "red"}}]).json()["productOrderItem"]
        assert item["giftWrap"] == {"color": "red"}

    def test_a_client_item_id_must_be_unique_in_the_cart(self, add, client, cart):
        add(line())
        assert_error(add([{"productOrderItemId": "line-1", "productOfferingId": CHARGER}]), 409, "OMNICART-ITEM-0409")
        assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == 2

    def test_an_empty_item_list_is_refused(self, add):
        assert_error(add([]), 400, field="items")

    def test_adding_to_an_unknown_cart_answers_404(self, add):
        assert_error(add(line(), cart_id="dea79fb0-21c4-11f1-8527-67c36c11d002"), 404)

    def test_a_cart_holds_at_most_200_items(self, add, client, cart):
        for _ in range(2):
            assert add([{"productOfferingId": CHARGER} for _ in range(100)]).status_code == 200
        assert_error(add([{"productOfferingId": CHARGER}]), 422, "OMNICART-LIMIT-0001")
        assert len(client.get(f"{CARTS}/{cart['id']}").json()["productOrderItem"]) == 200


class TestValidationStatus:
    @pytest.mark.parametrize(
        ("item", "code"),
        [
            ({"productOfferingId": "no-such-offering"}, "OFFERING_NOT_FOUND"),
            ({"productOfferingId": RETIRED}, "OFFERING_NOT_SELLABLE"),
            ({"productOfferingId": ATTR_ONLY}, "OFFERING_NOT_SELLABLE"),
            ({"productOfferingId": PROTECT, "productOfferingType": "Device_Protection"}, "PROTECTION_WITHOUT_DEVICE"),
            (
                {"productOfferingId": IPHONE, "characteristic": [{"name": "isBYOD", "value": "true"}]},
                "BYOD_IMEI_MISSING",
            ),
            (
                {
                    "productOfferingId": IPHONE,
                    "characteristic": [
                        {"name": "isBYOD", "value": "true"},
                        {"name": "IMEI", "value": "358073464620281"},
                    ],
                },
                "BYOD_IMEI_INVALID",
            ),
            ({"productOfferingId": CHARGER, "quantity": 11}, "QUANTITY_OUT_OF_RANGE"),
            ({"action": "terminate", "productOfferingType": "SIM"}, "EXISTING_PRODUCT_REQUIRED"),
            ({"productOfferingId": SIM, "rootBundleProductOrderItemId": "nowhere"}, "ROOT_BUNDLE_NOT_FOUND"),
        ],
    )
    def test_an_invalid_item_is_stored_but_blocks_submission(self, add, item, code):
        updated = add([{"productOrderItemId": "bad", **item}]).json()
        assert codes(updated) == [(code, "bad")]
        assert updated["validation"]["status"] == "invalid"
        assert updated["validation"]["readyToSubmit"] is False
        assert [i["productOrderItemId"] for i in updated["productOrderItem"]] == ["bad"]

    def test_protection_becomes_valid_once_a_device_joins_its_bundle(self, add, client, cart):
        add(
            [
                {"productOrderItemId": "root", "productOfferingId": VALUE_PLUS},
                {"productOrderItemId": "p", "productOfferingId": PROTECT, "rootBundleProductOrderItemId": "root"},
            ]
        )
        fixed = add([{"productOfferingId": PIXEL, "rootBundleProductOrderItemId": "root"}]).json()
        assert codes(fixed) == [] and fixed["validation"]["status"] == "valid"

    def test_a_second_plan_on_a_line_fires_and_clears_when_removed(self, add, client, cart):
        flagged = add(
            [
                {"productOrderItemId": "root", "productOfferingId": VALUE_PLUS},
                {
                    "productOrderItemId": "second",
                    "productOfferingId": VALUE_PLUS,
                    "rootBundleProductOrderItemId": "root",
                },
            ]
        ).json()
        assert codes(flagged) == [("MULTIPLE_PLANS_ON_LINE", "second")]
        cleared = client.delete(f"{CARTS}/{cart['id']}/items/second").json()
        assert codes(cleared) == []

    def test_an_empty_cart_is_valid_but_not_ready(self, cart):
        assert cart["validation"]["status"] == "valid"
        assert cart["validation"]["readyToSubmit"] is False


class TestChangeItem:
    def test_a_patch_merges_into_the_item_and_reprices(self, add, client, cart):
        add([{"productOrderItemId": "c", "productOfferingId": CHARGER, "note": "keep"}])
        response = client.patch(f"{CARTS}/{cart['id']}/items/c", json={"quantity": 2})
        assert response.status_code == 200
        updated = response.json()
        (item,) = updated["productOrderItem"]
        assert (item["quantity"], item["note"]) == (2, "keep")
        assert total(updated, "NRC")[0] == 39.98
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
    def test_removing_a_bundle_root_removes_its_bundle(self, add, client, cart):
        add([*line("a"), *line("b")])
        updated = client.delete(f"{CARTS}/{cart['id']}/items/a").json()
        assert [i["productOrderItemId"] for i in updated["productOrderItem"]] == ["b", "b-phone", "b-sim", "b-protect"]
        assert total(updated, "RC") == (77.99, 84.09)

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
            "Device_Protection",
            "Accessory",
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
