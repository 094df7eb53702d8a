"""Delivery: which ordered items reach the customer physically, the ways they can, and
the choice of one per item.

An item is **shipped** when it orders something physical the customer does not have: a
device (not the customer's own, `isBYOD`), a SIM, an accessory. Plans, protection and
items that keep or end an existing product are not.

The delivery methods (domain/delivery_methods.py: `standard-shipping`, `express-shipping`,
`store-pickup`) are the same for checkout (`fulfillmentOptions[]`, fiber and device
protection) and for the direct-fulfilment calls (`productOffering` of type
"Delivery_Method"). A pick-up ("ISPU") is at a store: the one the partner names, else the
cart's dealer location, the `relatedParty` of `referredType` "dealerLocation". A chosen
method is charged per item that chose it (the carrier prices its options per order item),
one-time, taxed at the tax table's rate for "Delivery_Method" (domain/pricing.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import DEVICE, Catalog, ProductOffering, is_byod, offering_type, orders_offering
from omnicart.domain.delivery_methods import DELIVERY_METHODS, DeliveryMethod, delivery_method
from omnicart.domain.errors import InvalidSelection
from omnicart.wire.cart import FulfillmentPlace, FulfillmentProduct, SelectedFulfillment
from omnicart.wire.fulfilment import SelectedOption
from omnicart.wire.items import ProductOrderItem

PHYSICAL_TYPES = frozenset({DEVICE, "SIM", "Accessory"})
STORE = "store"
SHIPPING_ADDRESS = "shippingAddress"


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
