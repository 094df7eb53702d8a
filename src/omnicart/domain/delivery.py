"""Delivery: which ordered items reach the customer physically, the ways they can, and
the choice of one per item.

An item is **shipped** when it orders something physical the customer does not have: a
device (not the customer's own, `isBYOD`), a SIM, an accessory. Plans, protection and
items that keep or end an existing product are not.

The delivery methods, the same for checkout (`fulfillmentOptions[]`, fiber and device
protection) and for the direct-fulfilment calls (`productOffering` of type
"Delivery_Method"); days are calendar days counted from today, the services' clock:

| id                  | method | name              | price | ships     | delivered |
| ------------------- | ------ | ----------------- | ----- | --------- | --------- |
| `standard-shipping` | DF     | Standard Shipping | 0.00  | day 1     | days 3-5  |
| `express-shipping`  | DF     | Express Shipping  | 14.99 | day 0     | day 2     |
| `store-pickup`      | ISPU   | Pick up in store  | 0.00  | day 0     | day 1     |

("DF": shipped to the customer; "ISPU": in-store pick-up, at a store: the one the partner
names, else the cart's dealer location, the `relatedParty` of `referredType`
"dealerLocation".) A chosen method is charged per item that chose it (the carrier prices
its options per order item), one-time, taxed at the tax table's rate for
"Delivery_Method" (domain/pricing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import DEVICE, Catalog, ProductOffering, is_byod, offering_type, orders_offering
from omnicart.domain.errors import InvalidSelection
from omnicart.wire.cart import (
    DeliveryMethodRef,
    FulfillmentPlace,
    FulfillmentProduct,
    ProductOrderItem,
    SelectedFulfillment,
)
from omnicart.wire.fulfilment import SelectedOption
from omnicart.wire.orders import DateRange, Dates

PHYSICAL_TYPES = frozenset({DEVICE, "SIM", "Accessory"})
DELIVERY_METHOD = "Delivery_Method"  # the productOfferingType of a delivery method, and its tax table key
STORE = "store"
SHIPPING_ADDRESS = "shippingAddress"


@dataclass(frozen=True)
class DeliveryMethod:
    id: str
    method: Literal["DF", "ISPU"]
    name: str
    amount: Decimal
    ships: tuple[int, int]  # first and last day it leaves (reaches the store, for a pick-up)
    delivered: tuple[int, int]  # first and last day the customer has it

    @property
    def cents(self) -> int:
        return int(self.amount.scaleb(2))

    @property
    def pickup(self) -> bool:
        return self.method == "ISPU"

    @property
    def ref(self) -> DeliveryMethodRef:
        return DeliveryMethodRef(self.id, self.name)

    def dates(self, today: date) -> Dates:
        def days(span: tuple[int, int]) -> DateRange:
            return DateRange(today + timedelta(days=span[0]), today + timedelta(days=span[1]))

        return Dates(shipmentDates=days(self.ships), deliveryDates=days(self.delivered))


DELIVERY_METHODS: tuple[DeliveryMethod, ...] = (
    DeliveryMethod("standard-shipping", "DF", "Standard Shipping", Decimal("0.00"), (1, 1), (3, 5)),
    DeliveryMethod("express-shipping", "DF", "Express Shipping", Decimal("14.99"), (0, 0), (2, 2)),
    DeliveryMethod("store-pickup", "ISPU", "Pick up in store", Decimal("0.00"), (0, 0), (1, 1)),
)
_BY_ID = {method.id: method for method in DELIVERY_METHODS}


def delivery_method(method_id: str) -> DeliveryMethod | None:
    return _BY_ID.get(method_id)


def ships(item: ProductOrderItem, offering: ProductOffering | None) -> bool:
    """Whether the item orders something physical for the customer (`offering`: the
    catalog's offering of its productOfferingId, None when there is none)."""
    if not orders_offering(item):
        return False
    kind = offering_type(item, offering)
    return kind in PHYSICAL_TYPES and not (kind == DEVICE and is_byod(item))


def shipped_items(cart: Cart, catalog: Catalog) -> list[ProductOrderItem]:
    return [item for item in cart.productOrderItem if ships(item, catalog.get(item.offering_id))]


def dealer_store(cart: Cart) -> str | None:
    """The cart's dealer location: where the partner sells, a store to pick up at."""
    return next((p.id for p in cart.relatedParty if p.referredType == "dealerLocation"), None)


def places(method: DeliveryMethod, cart: Cart, placeid: str | None) -> list[FulfillmentPlace]:
    """Where an item goes by `method` when the partner names no place: the dealer store
    for a pick-up, the customer's `placeid` for shipping (nothing when unknown)."""
    if method.pickup:
        store = dealer_store(cart)
        return [FulfillmentPlace(store, STORE)] if store else []
    return [FulfillmentPlace(placeid, SHIPPING_ADDRESS)] if placeid else []


def available(cart: Cart) -> list[DeliveryMethod]:
    """The methods a cart's shipped items can have: a pick-up needs a store."""
    return [m for m in DELIVERY_METHODS if not m.pickup or dealer_store(cart)]


def select(
    cart: Cart, catalog: Catalog, chosen: Sequence[SelectedOption], placeid: str | None
) -> list[SelectedFulfillment]:
    """The partner's choices as the cart records them, or InvalidSelection naming the
    first one that cannot be (`selectedOptions[i]…`): no such item in the order, an item
    with nothing to deliver, a method omnicart does not know, an item chosen twice, a
    pick-up without a store."""
    items = {item.productOrderItemId: item for item in cart.productOrderItem}
    seen: set[str] = set()
    selections = []
    for index, choice in enumerate(chosen):
        at = f"selectedOptions[{index}]"
        item_id = choice.productOrderItemId
        item = items.get(item_id)
        if item is None:
            raise InvalidSelection(f"{at}.productOrderItemId", f"{item_id!r} is not an item of this order")
        if not ships(item, catalog.get(item.offering_id)):
            raise InvalidSelection(
                f"{at}.productOrderItemId",
                f"item {item_id!r} has nothing to deliver (only a device, a SIM or an accessory the "
                "customer is sold is delivered)",
            )
        if item_id in seen:
            raise InvalidSelection(f"{at}.productOrderItemId", f"item {item_id!r} is chosen for twice")
        seen.add(item_id)
        method = delivery_method(choice.productOffering.id)
        if method is None:
            known = ", ".join(m.id for m in DELIVERY_METHODS)
            raise InvalidSelection(
                f"{at}.productOffering.id", f"{choice.productOffering.id!r} is no delivery method; one of {known}"
            )
        selections.append(
            SelectedFulfillment(
                productOrderItemId=item_id,
                productOffering=method.ref,
                product=FulfillmentProduct(_places(choice, method, cart, placeid, at)),
            )
        )
    return selections


def _places(
    choice: SelectedOption, method: DeliveryMethod, cart: Cart, placeid: str | None, at: str
) -> list[FulfillmentPlace]:
    sent = choice.product.place if choice.product and choice.product.place else []
    found = []
    for index, place in enumerate(sent):
        if not place.id or not place.role:
            raise InvalidSelection(f"{at}.product.place[{index}]", "a place needs its id and role")
        found.append(FulfillmentPlace(place.id, place.role))
    roles = {place.role for place in found}
    wanted = STORE if method.pickup else SHIPPING_ADDRESS
    if wanted not in roles:
        found += places(method, cart, placeid)
    if method.pickup and STORE not in {place.role for place in found}:
        raise InvalidSelection(f"{at}.product.place", 'a pick-up in store needs the store: a place of role "store"')
    return found
