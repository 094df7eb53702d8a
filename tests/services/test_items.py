"""Cart items as use cases: adding, changing and removing them, what they cost, and what
the cart's validation says after each change (the operations over HTTP: tests/api/test_items.py)."""

from __future__ import annotations

import msgspec
import pytest

from omnicart.domain.errors import DuplicateItemId, LimitExceeded
from tests.carts import (
    ATTR_ONLY,
    CHARGER,
    IMEI,
    IPHONE,
    MEMO,
    PIXEL,
    PROTECT,
    RETIRED,
    SIM,
    VALUE_PLUS,
    codes,
    line,
    total,
)
from tests.credentials import PARTNER
from tests.services.conftest import document, items, read, seed


@pytest.fixture
def add(carts, cart):
    """Add items (as a request's `items` holds them) to the cart; the cart as it answers."""

    async def add(*raw: dict) -> dict:
        return document(await carts.add_items(PARTNER, cart["id"], items(*raw)))

    return add


class TestAddItems:
    async def test_a_whole_line_is_added_valid_but_not_ready(self, add):
        updated = await add(*line())
        assert updated["version"] == 2
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

    async def test_prices_match_hand_computed_totals_with_tax(self, add):
        updated = await add(*line())
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

    async def test_quantity_multiplies_the_price(self, add):
        updated = await add(
            {"action": "add", "productOfferingType": "Accessory", "productOfferingId": CHARGER, "quantity": 3}
        )
        assert total(updated, "NRC") == (59.97, 64.92)  # 3 x 19.99; tax 4.947… → 4.95

    async def test_the_server_assigns_missing_item_ids(self, add):
        (item,) = (await add({"productOfferingType": "Accessory", "productOfferingId": CHARGER}))["productOrderItem"]
        assert item["productOrderItemId"] and item["action"] == "add" and item["quantity"] == 1

    async def test_the_carriers_byod_example_is_a_valid_cart(self, add):
        root = "10000001-3f41-49bf-a6cf-6f65caa650ca"
        updated = await add(
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
        )
        assert codes(updated) == []
        assert updated["productOrderItem"][0]["billingAccount"] == {"ratingType": "postpaid", "id": "556165899573"}
        assert updated["productOrderItem"][2]["characteristic"][1] == {"name": "IMEI", "value": IMEI}
        # Nothing is charged: the plan is kept, the old device and SIM end, the BYOD phone is the customer's.
        assert total(updated, "NRC") == (0, 0) and total(updated, "RC") == (0, 0)

    async def test_initial_items_of_create_cart_are_priced_and_validated(self, carts):
        created = document(await carts.create_cart(PARTNER, seed(items=line())))
        assert len(created["productOrderItem"]) == 4 and created["version"] == 1
        assert total(created, "RC") == (77.99, 84.09)

    async def test_a_client_item_id_must_be_unique_in_the_cart(self, add, carts, cart):
        await add(*line())
        with pytest.raises(DuplicateItemId) as refused:
            await add({"productOrderItemId": "line-1", "productOfferingId": CHARGER})
        assert refused.value.code == "OMNICART-ITEM-0409"
        assert (await read(carts, cart["id"]))["version"] == 2

    async def test_a_cart_holds_at_most_200_items(self, add, carts, cart):
        for _ in range(2):
            await add(*[{"productOfferingId": CHARGER} for _ in range(100)])
        with pytest.raises(LimitExceeded) as refused:
            await add({"productOfferingId": CHARGER})
        assert refused.value.code == "OMNICART-LIMIT-0001"
        assert len((await read(carts, cart["id"]))["productOrderItem"]) == 200


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
            ({"action": "terminate", "productOfferingType": "SIM", "actionReason": MEMO}, "EXISTING_PRODUCT_REQUIRED"),
            (
                {"action": "terminate", "productOfferingType": "SIM", "product": {"id": "47777581441708015"}},
                "ACTION_REASON_REQUIRED",
            ),
            ({"productOfferingId": SIM, "rootBundleProductOrderItemId": "nowhere"}, "ROOT_BUNDLE_NOT_FOUND"),
        ],
    )
    async def test_an_invalid_item_is_stored_but_blocks_submission(self, add, item, code):
        updated = await add({"productOrderItemId": "bad", **item})
        assert codes(updated) == [(code, "bad")]
        assert updated["validation"]["status"] == "invalid"
        assert updated["validation"]["readyToSubmit"] is False
        assert [i["productOrderItemId"] for i in updated["productOrderItem"]] == ["bad"]

    async def test_protection_becomes_valid_once_a_device_joins_its_bundle(self, add):
        await add(
            {"productOrderItemId": "root", "productOfferingId": VALUE_PLUS},
            {"productOrderItemId": "p", "productOfferingId": PROTECT, "rootBundleProductOrderItemId": "root"},
        )
        fixed = await add({"productOfferingId": PIXEL, "rootBundleProductOrderItemId": "root"})
        assert codes(fixed) == [] and fixed["validation"]["status"] == "valid"

    async def test_a_second_plan_on_a_line_fires_and_clears_when_removed(self, add, carts, cart):
        flagged = await add(
            {"productOrderItemId": "root", "productOfferingId": VALUE_PLUS},
            {"productOrderItemId": "second", "productOfferingId": VALUE_PLUS, "rootBundleProductOrderItemId": "root"},
        )
        assert codes(flagged) == [("MULTIPLE_PLANS_ON_LINE", "second")]
        cleared = document(await carts.remove_item(PARTNER, cart["id"], "second"))
        assert codes(cleared) == []

    async def test_an_empty_cart_is_valid_but_not_ready(self, cart):
        assert cart["validation"]["status"] == "valid"
        assert cart["validation"]["readyToSubmit"] is False


class TestChangeItem:
    async def test_a_changed_quantity_reprices_the_cart(self, add, carts, cart):
        await add({"productOrderItemId": "c", "productOfferingId": CHARGER})
        updated = document(
            await carts.update_item(PARTNER, cart["id"], "c", lambda item: msgspec.structs.replace(item, quantity=2))
        )
        assert total(updated, "NRC")[0] == 39.98
        assert updated["version"] == 3


class TestRemoveItem:
    async def test_removing_a_bundle_root_removes_its_bundle(self, add, carts, cart):
        await add(*line("a"), *line("b"))
        updated = document(await carts.remove_item(PARTNER, cart["id"], "a"))
        assert [i["productOrderItemId"] for i in updated["productOrderItem"]] == ["b", "b-phone", "b-sim", "b-protect"]
        assert total(updated, "RC") == (77.99, 84.09)


class TestUnknownFields:
    """Whether a cart's document holds unknown fields (the store's `plain`: a plain one
    is read out as it is) is told to the store by the change itself, never searched for
    in the document, and always true to it."""

    async def test_the_store_hears_it_from_each_change(self, add, carts, cart, store):
        assert (await store.read(PARTNER, cart["id"])).plain is True
        await add({"productOrderItemId": "c", "productOfferingId": CHARGER, "chargerColour": "red"})
        stored = await store.read(PARTNER, cart["id"])
        assert (stored.plain, b'"__extra__":{"chargerColour":"red"}' in stored.doc) == (False, True)
        await carts.remove_item(PARTNER, cart["id"], "c")
        assert (await store.read(PARTNER, cart["id"])).plain is True
