"""Incremental pricing and validation (domain/assessment.py): `assess` is `price_cart`
then `validate_cart` on the parts its `CartMemo` kept of each item.

First what changes leave in a cart, written out, and that a change to one item of a large
cart works out that item alone (every validation code is in test_validation_codes.py, on
every path). Then, beside them, a randomised comparison with a full recompute: whatever
the sequence of changes and however the clock moves, the memo's cart and its encoding are
those of `price_cart` and `validate_cart` on a fresh copy.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime

import msgspec
import pytest

from omnicart.domain import assessment, context, rules
from omnicart.domain.assessment import CartMemo, assess
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, ValidFor, load_default_catalog
from omnicart.domain.checkout import terms_for
from omnicart.domain.context import CartLimits
from omnicart.domain.errors import BundleNotATree
from omnicart.domain.payment import agreements
from omnicart.domain.pricing import load_default_tax_table, price_cart
from omnicart.domain.representation import encode_cart
from omnicart.domain.rules import validate_cart
from omnicart.domain.world import load_default_world
from omnicart.wire.cart import Channel, Extension, PaymentRef
from omnicart.wire.catalog import Eligibility
from omnicart.wire.items import ActionReason, Characteristic, Product, ProductOrderItem
from tests.unit.conftest import configure_all

TAXES = load_default_tax_table()
SHIPPED = load_default_catalog()


def _catalog() -> Catalog:
    """The shipped catalog, plus offerings whose sellability turns on what the shipped one
    leaves out: a customer type, and a window that opens and closes within the moments below."""
    plan = SHIPPED.offerings("Mobile_Offer")[0]
    device = SHIPPED.offerings("Mobile_Device")[0]
    extra = [
        msgspec.structs.replace(plan, id="business-plan", eligibility=Eligibility(customerTypes=["BUSINESS"])),
        msgspec.structs.replace(
            device,
            id="spring-device",
            validFor=ValidFor(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC)),
        ),
    ]
    return Catalog([*SHIPPED, *extra], SHIPPED.currency)


CATALOG = _catalog()
OFFERINGS = [offering.id for offering in CATALOG]
# Before and after every validity bound of the catalog, and on the bounds themselves.
MOMENTS = [
    datetime(2024, 1, 1, tzinfo=UTC),
    datetime(2025, 3, 1, tzinfo=UTC),
    datetime(2025, 5, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2025, 6, 1, tzinfo=UTC),
    datetime(2025, 9, 18, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2025, 9, 19, tzinfo=UTC),
    datetime(2026, 1, 15, tzinfo=UTC),
]
VALID_IMEI = "490154203237518"
# The seed customer: two lines (a phone's and a fiber one), as the customer directory says.
JORDAN = load_default_world().customer("3f7f9189-974e-4639-8343-4a1819a98c7e").holdings()  # type: ignore[union-attr]
PRODUCTS = ["P-1", "47777581441708014", "47777581441708015", "51000000000000001"]
LINES = ["5551234567", "4690002221", "4690002300"]


class Builder:
    """Random items and changes of the kinds partners make, with a few of every mistake."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def item(self, cart: Cart) -> ProductOrderItem:
        rng = self.rng
        self.count += 1
        offering_id = rng.choice([*OFFERINGS, *OFFERINGS, None, "not-in-catalog"])
        offering = CATALOG.get(offering_id)
        # Bundles are trees of one level (domain/bundles.py): members hang under roots only.
        ids = [
            i.productOrderItemId
            for i in cart.productOrderItem
            if i.rootBundleProductOrderItemId in (None, "", i.productOrderItemId)
        ]
        kind = offering.productOfferingType if offering else rng.choice(["Mobile_Offer", "Mobile_Device", None])
        if rng.random() < 0.1:
            kind = rng.choice(["Mobile_Offer", "Mobile_Device", "SIM", "Device_Protection", "Accessory", None])
        characteristic = []
        if rng.random() < 0.3:
            characteristic.append(Characteristic(name="isBYOD", value=rng.choice(["true", "TRUE", "false"])))
        if rng.random() < 0.3:
            characteristic.append(
                Characteristic(name="IMEI", value=rng.choice([VALID_IMEI, "123", VALID_IMEI[:-1] + "9"]))
            )
        if rng.random() < 0.5:
            characteristic.append(Characteristic(name="eSIM_Enabled", value=rng.choice(["true", "false", "yes"])))
        fields: dict[str, object] = {}
        if rng.random() < 0.15:
            fields["product"] = Product(id=rng.choice(PRODUCTS))
        if rng.random() < 0.2:
            fields["subscriberNumber"] = rng.choice(LINES)
        if rng.random() < 0.5:
            fields["actionReason"] = rng.choice([ActionReason(name="LC", reasonText="memo"), ActionReason(name="LC")])
        if rng.random() < 0.05:
            fields["extra"] = {rng.choice(["characteristics", "quantty", "zzz"]): "x"}
        roots = [None, None, "ghost-root", *ids[-6:]]
        return ProductOrderItem(
            productOrderItemId=f"i{self.count}",
            action=rng.choice(["add"] * 8 + ["noChange", "terminate", "swap;add", "modify"]),  # type: ignore[arg-type]
            quantity=rng.choice([1] * 8 + [0, 2, 3, 11]),
            productOfferingType=kind,  # type: ignore[arg-type]
            productOfferingId=offering_id,
            rootBundleProductOrderItemId=rng.choice(roots),
            characteristic=characteristic,
            **fields,  # type: ignore[arg-type]
        )

    def change(self, cart: Cart, state: dict[str, object]) -> None:
        """One change to the cart (or to the moment or scenario it is assessed in)."""
        rng = self.rng
        items = cart.productOrderItem
        roll = rng.random()
        if roll < 0.35 or not items:
            cart.add_items([self.item(cart) for _ in range(rng.choice([1, 1, 1, 2, 5]))], 10_000)
        elif roll < 0.55:
            old = rng.choice(items)
            new = self.item(cart)
            keep = {name: getattr(old, name) for name in ("productOrderItemId",)}
            if rng.random() < 0.5:  # a small edit: quantity or action only
                new = msgspec.structs.replace(
                    old, quantity=rng.choice([1, 2, 0, 11]), action=rng.choice(["add", "terminate", "noChange"])
                )
            else:
                new = msgspec.structs.replace(new, **keep)
            cart.replace_item(new)
        elif roll < 0.75:
            cart.remove_item(rng.choice(items).productOrderItemId)
        elif roll < 0.8:
            cart.configure([PaymentRef(id=f"PM-{rng.randrange(9)}")], agreements(terms_for(cart, CATALOG)))
        elif roll < 0.88:
            state["now"] = rng.choice(MOMENTS)
        elif roll < 0.92:
            cart.channel = Channel(id=rng.choice(["IND", "ATTR", "WEB"]))
        elif roll < 0.96:
            customer = cart.relatedParty[-1]
            kind = rng.choice(["Consumer", "Business", "business"])
            cart.relatedParty = [
                *cart.relatedParty[:-1],
                msgspec.structs.replace(
                    customer, role="customer", extensions=[Extension(name="CustomerType", value=kind)]
                ),
            ]
        elif roll < 0.97:
            state["ineligible"] = not state["ineligible"]
        elif roll < 0.98:
            state["holdings"] = None if state["holdings"] else JORDAN
        else:
            state["limits"] = rng.choice([CartLimits(), CartLimits(max_items=20, max_quantity=2)])


def full(cart: Cart, state: dict[str, object]) -> Cart:
    """A copy of the cart priced and validated from scratch."""
    fresh = copy.deepcopy(cart)
    price_cart(fresh, CATALOG, TAXES)
    fresh.validation = validate_cart(
        fresh,
        CATALOG,
        state["now"],  # type: ignore[arg-type]
        state["limits"],  # type: ignore[arg-type]
        protection_ineligible=state["ineligible"],  # type: ignore[arg-type]
        holdings=state["holdings"],  # type: ignore[arg-type]
    )
    return fresh


def assessed(cart: Cart, memo: CartMemo, state: dict[str, object]) -> None:
    assess(
        cart,
        CATALOG,
        TAXES,
        state["now"],  # type: ignore[arg-type]
        state["limits"],  # type: ignore[arg-type]
        memo,
        protection_ineligible=state["ineligible"],  # type: ignore[arg-type]
        holdings=state.get("holdings"),  # type: ignore[arg-type]
    )


NOW = datetime(2026, 1, 15, tzinfo=UTC)
STATE: dict[str, object] = {"now": NOW, "limits": CartLimits(), "ineligible": False}


def stored(cart: Cart, memo: CartMemo) -> dict:
    """The cart's document as the memo encodes it (what the store keeps)."""
    return json.loads(encode_cart(cart, memo)[0])


def codes(document: dict) -> list[tuple[str, str | None]]:
    """(code, productOrderItemId) of every validation message of a stored cart document."""
    found = []
    for message in document["validation"]["validationMessage"]:
        parameter = {p["name"]: p["value"] for p in message["parameter"]}
        found.append((parameter["code"], parameter.get("productOrderItemId")))
    return found


def test_a_change_to_one_item_of_a_200_item_cart_works_out_that_item_alone(cart_with, item, monkeypatch):
    lines = [
        [
            item("Value Plus VL", id=f"line-{n}"),
            item("iPhone 16 128GB", id=f"phone-{n}", root=f"line-{n}"),
            item("SIM card", id=f"sim-{n}", root=f"line-{n}"),
            item("Protect Advantage for 1", id=f"care-{n}", root=f"line-{n}"),
            item("OtterBox Commuter Series Case for iPhone 16", id=f"case-{n}", root=f"line-{n}"),
        ]
        for n in range(40)
    ]
    cart = configure_all(cart_with(*(i for line in lines for i in line)), CATALOG)
    memo = CartMemo()
    assessed(cart, memo, STATE)
    made, priced, checked = [], [], []

    def counted(work, seen):  # work(item, ...) that notes the item it was done for
        def run(item, *args):
            seen.append(item.productOrderItemId)
            return work(item, *args)

        return run

    monkeypatch.setattr(assessment, "ItemFacts", counted(context.ItemFacts, made))
    monkeypatch.setattr(assessment, "price_item", counted(assessment.price_item, priced))
    monkeypatch.setattr(rules, "ITEM_RULES", tuple(counted(rule, checked) for rule in rules.ITEM_RULES))
    cart.replace_item(item("SIM card", id="sim-7", root="line-7", quantity=2))
    assessed(cart, memo, STATE)
    assert (made, priced, sorted(set(checked))) == (["sim-7"], ["sim-7"], ["sim-7"])
    # 40 lines of 54.99 one-time (59.52 with tax), one more SIM card: 5.00 (5.42 more with tax)
    assert [(t.name, t.price.dutyFreeAmount.value, t.price.taxIncludedAmount.value) for t in cart.orderTotalPrice] == [
        ("Due today", 2204.6, 2386.22),
        ("Monthly recurring", 4042.0, 4362.0),
    ]
    assert (cart.validation.status, cart.validation.readyToSubmit) == ("valid", True)


def test_an_offering_that_expires_between_two_changes_is_reported_without_any_item_changing(cart_with, item):
    cart = cart_with(item("iPhone 15 128GB", id="old-phone"))
    memo = CartMemo()
    assessed(cart, memo, {**STATE, "now": datetime(2025, 9, 18, tzinfo=UTC)})
    assert stored(cart, memo)["validation"]["validationMessage"] == []
    assessed(cart, memo, {**STATE, "now": datetime(2025, 9, 19, tzinfo=UTC)})
    assert stored(cart, memo)["validation"]["validationMessage"] == [
        {
            "text": "'iPhone 15 128GB' is no longer on sale since 2025-09-19T00:00:00.000Z",
            "type": "error",
            "parameter": [
                {"name": "code", "value": "OFFERING_NOT_SELLABLE"},
                {"name": "productOrderItemId", "value": "old-phone"},
            ],
        }
    ]


def test_items_are_checked_again_when_their_line_changes_around_them(cart_with, item):
    cart = cart_with(
        item("iPhone 16 128GB", id="phone", root="line"), item("Protect Advantage for 1", id="care", root="line")
    )
    memo = CartMemo()
    seen = []
    for change in (
        lambda: cart.add_items([item("Value Plus VL", id="line")], 200),  # the root arrives
        lambda: cart.remove_item("phone"),  # the protection loses its device
        lambda: cart.add_items([item("Unlimited Starter SL", id="second-plan", root="line")], 200),
        lambda: cart.replace_item(item("Value Plus VL", id="line", action="terminate", subscriberNumber="4690002221")),
        lambda: cart.remove_item("line"),  # the whole line goes
    ):
        assessed(cart, memo, STATE)
        seen.append(codes(stored(cart, memo)))
        change()
    assessed(cart, memo, STATE)
    seen.append(codes(stored(cart, memo)))
    assert seen == [
        [("ROOT_BUNDLE_NOT_FOUND", "phone"), ("ROOT_BUNDLE_NOT_FOUND", "care")],
        [],
        [("PROTECTION_WITHOUT_DEVICE", "care")],
        [("PROTECTION_WITHOUT_DEVICE", "care"), ("MULTIPLE_PLANS_ON_LINE", "second-plan")],
        [("PROTECTION_WITHOUT_DEVICE", "care")],  # the first plan leaves: the second is the line's
        [("CART_EMPTY", None)],
    ]


def test_a_swap_is_checked_again_when_the_line_of_its_bundle_changes(cart_with, item):
    byod = {"isBYOD": "true", "IMEI": VALID_IMEI}
    sim = {"productOfferingType": "SIM", "product": {"id": "47777581441708015"}}
    cart = cart_with(
        item("iPhone 16 128GB", id="own", root="line", action="swap;add", characteristics=byod),
        item(None, id="old", root="line", action="terminate", **sim),
    )
    memo = CartMemo()
    seen = []
    jordan = {**STATE, "holdings": JORDAN}

    def line(action: str, subscriber: str) -> ProductOrderItem:
        return item("Unlimited Starter SL", id="line", action=action, subscriberNumber=subscriber)

    for change in (
        # The root arrives, keeping Jordan's plan but naming no line:
        lambda: cart.add_items(
            [item("Unlimited Starter SL", id="line", action="noChange", product={"id": "47777581441708016"})], 200
        ),
        lambda: cart.replace_item(line("noChange", "4690002221")),
        lambda: cart.replace_item(line("noChange", "4690002300")),
        lambda: cart.replace_item(line("add", "4690002300")),
    ):
        assessed(cart, memo, jordan)
        seen.append(codes(stored(cart, memo)))
        change()
    assessed(cart, memo, jordan)
    seen.append(codes(stored(cart, memo)))
    assert seen == [
        [("ROOT_BUNDLE_NOT_FOUND", "own"), ("ROOT_BUNDLE_NOT_FOUND", "old")],
        [("SWAP_WITHOUT_LINE", "own")],
        [],
        [("PRODUCT_NOT_ON_LINE", "old")],  # Jordan's SIM is on their phone line, not the fiber one
        [("SWAP_WITHOUT_LINE", "own")],  # a new line is no existing line to swap a device into
    ]


def test_other_limits_check_kept_items_again(cart_with, item):
    cart = cart_with(item("eSIM", id="sim", quantity=3))
    memo = CartMemo()
    assessed(cart, memo, STATE)
    assert codes(stored(cart, memo)) == []
    assessed(cart, memo, {**STATE, "limits": CartLimits(max_quantity=2)})
    assert codes(stored(cart, memo)) == [("QUANTITY_OUT_OF_RANGE", "sim")]


def test_the_memo_forgets_removed_items(cart_with, item):
    cart = cart_with(*(item("iPhone 16 128GB", id=f"p{n}") for n in range(100)))
    memo = CartMemo()
    assessed(cart, memo, STATE)
    for n in range(60):
        cart.remove_item(f"p{n}")
        assessed(cart, memo, STATE)
    assert len(cart.productOrderItem) == 40
    assert len(memo) <= 40 + 16  # at most 16 removed items are still kept


def test_items_priced_outside_the_memo_are_encoded_as_they_are_now(cart_with, item):
    cart = cart_with(*(item("Samsung Galaxy S25 128GB", id=f"p{n}") for n in range(3)))
    memo = CartMemo()
    assessed(cart, memo, STATE)
    encode_cart(cart, memo)
    price_cart(cart, CATALOG, msgspec.structs.replace(TAXES, defaultRate=TAXES.defaultRate / 2))
    # 100.00 one-time and 19.45 a month, now taxed at 4.125 %: 4.125 -> 4.13 and 0.80
    prices = [
        [
            (p["priceType"], p["price"]["dutyFreeAmount"]["value"], p["price"]["taxIncludedAmount"]["value"])
            for p in i["itemPrice"]
        ]
        for i in stored(cart, memo)["productOrderItem"]
    ]
    assert prices == [[("NRC", 100.0, 104.13), ("RC", 19.45, 20.25)]] * 3


# Unknown fields where a partner may send them, and text that looks like what the kept
# encoding looks for (`encode_cart`): whether the stored document is the wire document as
# it is, and whether the wire document carries the unknown field `"zzz":"x"`.
UNKNOWN_FIELDS = {
    "none": (True, False),
    "in an item": (False, True),
    "in the cart": (False, True),
    "lookalike text": (True, False),
}


@pytest.mark.parametrize("where", UNKNOWN_FIELDS)
def test_the_kept_encoding_finds_unknown_fields_where_a_whole_one_does(cart_with, where):
    item = ProductOrderItem(
        productOrderItemId="i1", action="add", productOfferingType="Mobile_Device", productOfferingId=OFFERINGS[0]
    )
    if where == "in an item":
        item = msgspec.structs.replace(item, extra={"zzz": "x"})
    cart = cart_with(item)
    if where == "in the cart":
        cart.extra = {"zzz": "x"}
    if where == "lookalike text":
        cart.channel = msgspec.structs.replace(cart.channel, name='\x01 "__extra__":{"zzz":"x"}')
    memo = CartMemo()
    assess(cart, CATALOG, TAXES, MOMENTS[-1], CartLimits(), memo)
    plain, carried = UNKNOWN_FIELDS[where]
    doc, wire = encode_cart(cart, memo)
    assert (doc, wire) == encode_cart(cart)
    assert (wire is doc) is plain
    assert (b'"zzz":"x"' in wire and b'"__extra__":{' not in wire) is carried


@pytest.mark.parametrize("seed", range(80))
def test_incremental_assessment_and_encoding_equal_a_full_recompute(cart_with, seed):
    rng = random.Random(seed)
    build = Builder(rng)
    cart = cart_with()
    state: dict[str, object] = {
        "now": rng.choice(MOMENTS),
        "limits": CartLimits(),
        "ineligible": False,
        "holdings": rng.choice([None, JORDAN]),
    }
    memo = CartMemo()
    for _ in range(rng.randrange(0, 60)):  # start from a cart of some size
        cart.add_items([build.item(cart)], 10_000)
    for _ in range(40):
        try:
            build.change(cart, state)
        except BundleNotATree:  # a replaced root now rooted elsewhere: refused, nothing changed
            continue
        assessed(cart, memo, state)
        incremental = encode_cart(cart, memo)
        assert incremental == encode_cart(cart)  # the kept item encodings are the items'
        if rng.random() < 0.2:
            assert incremental == encode_cart(full(cart, state))  # and on an untouched copy
        else:
            # The full recompute on the cart itself (cheaper than a copy), as checkout does
            # between two changes: it replaces every itemPrice, which the memo must survive.
            before = (cart.validation, cart.orderTotalPrice, [i.itemPrice for i in cart.productOrderItem])
            price_cart(cart, CATALOG, TAXES)
            cart.validation = validate_cart(
                cart,
                CATALOG,
                state["now"],  # type: ignore[arg-type]
                state["limits"],  # type: ignore[arg-type]
                protection_ineligible=state["ineligible"],  # type: ignore[arg-type]
                holdings=state["holdings"],  # type: ignore[arg-type]
            )
            assert before == (cart.validation, cart.orderTotalPrice, [i.itemPrice for i in cart.productOrderItem])
            assert incremental == encode_cart(cart)
