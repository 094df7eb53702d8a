"""What changed between two stored versions of a cart (console/versions.py): pure, the
expected diffs written by hand."""

from __future__ import annotations

from omnicart.console.versions import Change, ItemChange, VersionDiff, diff_versions


def price(name: str, value: float, period: str | None = None) -> dict:
    found = {"name": name, "priceType": "recurring" if period else "oneTime"}
    found["price"] = {"dutyFreeAmount": {"unit": "USD", "value": value}}
    return {**found, "recurringChargePeriod": period} if period else found


PHONE = {
    "productOrderItemId": "line-1-phone",
    "action": "add",
    "productOfferingType": "Device",
    "productOfferingId": "iphone-15",
    "quantity": 1,
    "itemPrice": [price("Device price", 799.99)],
}
PLAN = {
    "productOrderItemId": "line-1",
    "action": "add",
    "productOfferingType": "Plan",
    "productOfferingId": "unlimited-starter",
    "itemPrice": [price("Monthly", 65.0, "month")],
}
EMPTY = {"type": "info", "text": "the cart is empty", "parameter": [{"name": "code", "value": "CART_EMPTY"}]}


def cart(version: int, items: list, **fields) -> dict:
    return {
        "id": "cart-1",
        "href": "/omni-svcs/v1/carts/cart-1",
        "version": version,
        "lastUpdate": f"2026-12-06T10:0{version}:00.000Z",
        "state": "Draft",
        "productOrderItem": items,
        **fields,
    }


def test_a_new_cart_shows_its_items_added_and_no_fields():
    created = cart(1, [PLAN], orderTotalPrice=[price("Monthly", 65.0, "month")])
    assert diff_versions(None, created) == VersionDiff(
        items=(ItemChange("line-1", "added", "Plan unlimited-starter add"),), fields=()
    )


def test_items_added_removed_and_changed_with_their_fields_before_and_after():
    before = cart(2, [PLAN, PHONE])
    sim = {
        "productOrderItemId": "line-1-sim",
        "action": "add",
        "productOfferingType": "SIM",
        "productOfferingId": "esim",
    }
    two_phones = {**PHONE, "quantity": 2, "itemPrice": [price("Device price", 1599.98)]}
    after = cart(3, [two_phones, sim])
    assert diff_versions(before, after) == VersionDiff(
        items=(
            ItemChange("line-1", "removed", "Plan unlimited-starter add"),
            ItemChange(
                "line-1-phone",
                "changed",
                "Device iphone-15 add x 2",
                (
                    Change("quantity", "1", "2"),
                    Change("itemPrice[Device price].price.dutyFreeAmount.value", "799.99", "1599.98"),
                ),
            ),
            ItemChange("line-1-sim", "added", "SIM esim add"),
        ),
        fields=(),
    )


def test_the_carts_own_fields_before_and_after_and_its_bookkeeping_left_out():
    before = cart(
        4,
        [PLAN],
        orderTotalPrice=[price("Monthly", 0.0, "month"), price("Due today", 0.0)],
        validation={"status": "invalid", "readyToSubmit": False, "validationMessage": [EMPTY]},
    )
    after = cart(
        5,
        [PLAN],
        state="Cancelled",
        note="called back",
        orderTotalPrice=[price("Monthly", 65.0, "month"), price("Due today", 0.0)],
        validation={"status": "valid", "readyToSubmit": True, "validationMessage": []},
    )
    assert diff_versions(before, after) == VersionDiff(
        items=(),
        fields=(
            Change("state", "Draft", "Cancelled"),
            Change("orderTotalPrice[Monthly].price.dutyFreeAmount.value", "0.0", "65.0"),
            Change("validation.status", "invalid", "valid"),
            Change("validation.readyToSubmit", "false", "true"),
            Change("validation.validationMessage", "info CART_EMPTY the cart is empty", None),
            Change("note", None, "called back"),
        ),
    )


def test_a_list_without_a_key_is_a_bag_of_its_elements():
    warning = {"type": "warning", "text": "check the address"}
    before = cart(6, [], validation={"validationMessage": [EMPTY, warning]})
    after = cart(7, [], validation={"validationMessage": [warning, {"type": "info", "text": "priced"}]})
    assert diff_versions(before, after).fields == (
        Change("validation.validationMessage", "info CART_EMPTY the cart is empty", None),
        Change("validation.validationMessage", None, "info priced"),
    )


def test_a_change_of_nothing_but_the_version_is_empty():
    assert diff_versions(cart(8, [PLAN]), cart(9, [PLAN])).empty
