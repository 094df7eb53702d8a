"""Incremental pricing and validation (domain/assessment.py) against a full recompute.

`assess` with a memo kept across changes must leave a cart exactly as `price_cart` and
`validate_cart` on a fresh copy do, and `encode_cart` with the memo must give the very
bytes of a full encoding, whatever the sequence of changes and however the clock moves.
"""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime

import msgspec
import pytest

from omnicart.domain.assessment import CartMemo, assess
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, ValidFor, load_default_catalog
from omnicart.domain.checkout import terms_for
from omnicart.domain.payment import agreements
from omnicart.domain.pricing import load_default_tax_table, price_cart
from omnicart.domain.representation import encode_cart
from omnicart.domain.rules import CartLimits, validate_cart
from omnicart.wire.cart import Channel, Characteristic, Extension, PaymentRef, Product, ProductOrderItem
from omnicart.wire.catalog import Eligibility

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
        ids = [i.productOrderItemId for i in cart.productOrderItem]
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
            characteristic.append(Characteristic(name="eSIM_Enabled", value="true"))
        fields: dict[str, object] = {}
        if rng.random() < 0.15:
            fields["product"] = Product(id="P-1")
        if rng.random() < 0.1:
            fields["subscriberNumber"] = "5551234567"
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
        elif roll < 0.98:
            state["ineligible"] = not state["ineligible"]
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
    )


@pytest.mark.parametrize("seed", range(80))
def test_incremental_assessment_and_encoding_equal_a_full_recompute(cart_with, seed):
    rng = random.Random(seed)
    build = Builder(rng)
    cart = cart_with()
    state: dict[str, object] = {"now": rng.choice(MOMENTS), "limits": CartLimits(), "ineligible": False}
    memo = CartMemo()
    for _ in range(rng.randrange(0, 60)):  # start from a cart of some size
        cart.add_items([build.item(cart)], 10_000)
    for _ in range(40):
        build.change(cart, state)
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
            )
            assert before == (cart.validation, cart.orderTotalPrice, [i.itemPrice for i in cart.productOrderItem])
            assert incremental == encode_cart(cart)


def test_an_offering_that_expires_between_two_changes_is_reported_without_any_item_changing(cart_with, item):
    cart = cart_with(item("Mobile_Device_pkey69030_sku2609415", id="old-phone"))
    memo = CartMemo()
    state: dict[str, object] = {"now": datetime(2025, 9, 18, tzinfo=UTC), "limits": CartLimits(), "ineligible": False}
    assessed(cart, memo, state)
    assert cart.validation.status == "valid"
    state["now"] = datetime(2025, 9, 19, tzinfo=UTC)
    assessed(cart, memo, state)
    assert [m.parameter[0].value for m in cart.validation.errors] == ["OFFERING_NOT_SELLABLE"]
    assert encode_cart(cart, memo) == encode_cart(full(cart, state))


def test_items_are_checked_again_when_their_line_changes_around_them(cart_with, item):
    cart = cart_with(
        item("iPhone 16 128GB", id="phone", root="line"), item("Protect Advantage for 1", id="care", root="line")
    )
    memo = CartMemo()
    state: dict[str, object] = {"now": datetime(2026, 1, 15, tzinfo=UTC), "limits": CartLimits(), "ineligible": False}
    seen = []
    for change in (
        lambda: cart.add_items([item("Value Plus VL", id="line")], 200),  # the root arrives
        lambda: cart.remove_item("phone"),  # the protection loses its device
        lambda: cart.add_items([item("Unlimited Starter SL", id="second-plan", root="line")], 200),
        lambda: cart.remove_item("line"),  # the whole line goes
    ):
        assessed(cart, memo, state)
        assert encode_cart(cart, memo) == encode_cart(full(cart, state))
        seen.append(sorted(p.value for m in cart.validation.errors for p in m.parameter if p.name == "code"))
        change()
    assert seen == [
        ["ROOT_BUNDLE_NOT_FOUND", "ROOT_BUNDLE_NOT_FOUND"],
        [],
        ["PROTECTION_WITHOUT_DEVICE"],
        ["MULTIPLE_PLANS_ON_LINE", "PROTECTION_WITHOUT_DEVICE"],
    ]
    assessed(cart, memo, state)
    assert cart.productOrderItem == [] and encode_cart(cart, memo) == encode_cart(full(cart, state))


def test_the_memo_forgets_removed_items(cart_with, item):
    cart = cart_with(*(item("iPhone 16 128GB", id=f"p{n}") for n in range(100)))
    memo = CartMemo()
    state: dict[str, object] = {"now": datetime(2026, 1, 15, tzinfo=UTC), "limits": CartLimits(), "ineligible": False}
    assessed(cart, memo, state)
    for n in range(60):
        cart.remove_item(f"p{n}")
        assessed(cart, memo, state)
    assert len(memo) <= len(cart.productOrderItem) + 17


def test_items_priced_outside_the_memo_are_encoded_as_they_are_now(cart_with, item):
    cart = cart_with(*(item("Samsung Galaxy S25 128GB", id=f"p{n}") for n in range(3)))
    memo = CartMemo()
    state: dict[str, object] = {"now": datetime(2026, 1, 15, tzinfo=UTC), "limits": CartLimits(), "ineligible": False}
    assessed(cart, memo, state)
    encode_cart(cart, memo)
    price_cart(
        cart, CATALOG, msgspec.structs.replace(TAXES, defaultRate=TAXES.defaultRate / 2, byProductOfferingType={})
    )
    assert encode_cart(cart, memo) == encode_cart(cart)
