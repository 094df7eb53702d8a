"""One cart, two shapes: the carrier's ProductOrder (what omnicart stores) as TMF663's
ShoppingCart, and a ShoppingCart (a create's body, a PATCH's merged document) back as the
carrier cart's fields. Both directions work on parsed JSON, so that what neither shape
models travels untouched; the table of literal documents in
tests/unit/test_shopping_cart_mapping.py is the specification.

ProductOrder → ShoppingCart:

| carrier (ProductOrder) | TMF663 (ShoppingCart) |
| --- | --- |
| `id` | `id` (the same cart: the same id) |
| `creationDate` | `validFor.startDateTime` (the service's) |
| `relatedParty[].referredType` | `relatedParty[].@referredType` |
| `productOrderItem[]` | `cartItem[]` |
| `orderTotalPrice[]` | `cartTotalPrice[]` (CartPrice) |
| the cart's unknown fields (`contactMedium`, `@baseType`, …) | the same, as they were sent |
| `state`, `version`, `channel`, `validation`, dates, … | not shown (the carrier's own; kept) |

An item:

| carrier (ProductOrderItem) | TMF663 (CartItem) |
| --- | --- |
| `productOrderItemId` | `id` |
| `action`, `quantity` | `action`, `quantity` |
| `productOfferingId` (+ the item's unknown `productOffering`) | `productOffering.id` (+ the rest) |
| `characteristic[]` | `product.productCharacteristic[]` |
| `product` | `product` (its other fields) |
| `itemPrice[]` (the line: the unit price times quantity) | `itemTotalPrice[]`; `itemPrice[]` is per unit |
| `productOfferingType`, `rootBundleProductOrderItemId`, `billingAccount`, … | the same names (omnicart's own on TMF) |

A price (`Price` → `CartPrice`): `name`, `priceType` NRC → `oneTime`, RC → `recurring`
(with `recurringChargePeriod`), `price` (dutyFreeAmount, taxIncludedAmount, taxRate).

ShoppingCart → the carrier's fields is the reverse; what the service owns (`id`, `href`,
`validFor`, `cartTotalPrice`, an item's `itemPrice` and `itemTotalPrice`) is not read,
and the `@type` omnicart gives (`ShoppingCart`, `CartItem`) is not kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CART_TYPE = "ShoppingCart"
ITEM_TYPE = "CartItem"
PRICE_TYPE = "CartPrice"
# A ShoppingCart has no sales channel; the carrier's cart must have one (omnicart's own).
TMF_CHANNEL: Mapping[str, str] = {"id": "TMF663", "name": "TM Forum Shopping Cart API"}

_PRICE_TYPES = {"NRC": "oneTime", "RC": "recurring"}
# What the service computes on a ShoppingCart and an item: never read back.
_CART_OWNED = frozenset({"id", "href", "validFor", "cartTotalPrice"})
_ITEM_OWNED = frozenset({"itemPrice", "itemTotalPrice"})
# The carrier cart's fields a ShoppingCart does not show (state, prices, what checkout records).
_CARRIER_ONLY = frozenset(
    {
        "version",
        "state",
        "creationDate",
        "lastUpdate",
        "channel",
        "validation",
        "agreement",
        "payment",
        "creditDecision",
        "customerOrderId",
        "productOrder",
        "fulfillment",
        "enrollment",
        "href",
    }
)
_MAPPED = frozenset({"id", "relatedParty", "productOrderItem", "orderTotalPrice"})


class NotAShoppingCart(ValueError):
    """A ShoppingCart whose shape the mapping cannot read: `field` (TMF's path) is not
    what TMF663 says it is."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# -- ProductOrder → ShoppingCart ---------------------------------------------------------


def shopping_cart(cart: Mapping[str, Any], href: str) -> dict[str, Any]:
    """The carrier cart's document (parsed JSON, its unknown fields flattened in) as a
    ShoppingCart at `href`."""
    own = {name: value for name, value in cart.items() if name not in _CARRIER_ONLY | _MAPPED}
    return {
        "id": cart["id"],
        "href": href,
        "@type": CART_TYPE,
        "validFor": {"startDateTime": cart["creationDate"]},
        **own,
        "relatedParty": [_tmf_party(party) for party in cart.get("relatedParty", [])],
        "cartItem": [cart_item(item) for item in cart.get("productOrderItem", [])],
        "cartTotalPrice": [cart_price(price) for price in cart.get("orderTotalPrice", [])],
    }


def _tmf_party(party: Mapping[str, Any]) -> dict[str, Any]:
    shown = {name: value for name, value in party.items() if name != "referredType"}
    if "referredType" in party:
        shown["@referredType"] = party["referredType"]
    return shown


def cart_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A carrier item as TMF663's CartItem."""
    rest = dict(item)
    shown: dict[str, Any] = {"id": rest.pop("productOrderItemId"), "@type": ITEM_TYPE}
    for name in ("action", "quantity"):
        if name in rest:
            shown[name] = rest.pop(name)
    offering = {**(rest.pop("productOffering", None) or {})}
    offering_id = rest.pop("productOfferingId", None)
    if offering_id is not None:
        shown["productOffering"] = {"id": offering_id, **offering}
    elif offering:
        shown["productOffering"] = offering
    product = {**(rest.pop("product", None) or {})}
    characteristics = rest.pop("characteristic", [])
    if characteristics:
        product["productCharacteristic"] = characteristics
    if product:
        shown["product"] = product
    line = rest.pop("itemPrice", [])
    quantity = item.get("quantity", 1)
    shown["itemPrice"] = [cart_price(price, per=quantity) for price in line]
    shown["itemTotalPrice"] = [cart_price(price) for price in line]
    return {**shown, **rest}


def cart_price(price: Mapping[str, Any], *, per: int = 1) -> dict[str, Any]:
    """The carrier's Price as TMF663's CartPrice; `per`: the price of one of `per` units."""
    shown: dict[str, Any] = {"@type": PRICE_TYPE, "name": price["name"]}
    shown["priceType"] = _PRICE_TYPES.get(price["priceType"], price["priceType"])
    if "recurringChargePeriod" in price:
        shown["recurringChargePeriod"] = price["recurringChargePeriod"]
    shown["price"] = {name: _per(value, per) for name, value in price["price"].items()}
    return shown


def _per(amount: Any, units: int) -> Any:
    """An amount of one unit, to the cent (a rate is not divided)."""
    if units == 1 or not isinstance(amount, dict):
        return amount
    return {**amount, "value": round(amount["value"] / units, 2)}


# -- ShoppingCart → the carrier's fields ----------------------------------------------------


def cart_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """A ShoppingCart (a create's body, or a PATCH's merged document) as the carrier
    cart's `relatedParty`, `items` and its own fields (every other member), as Create
    Cart reads them; the sales channel is the document's own `channel` if it has one,
    else TMF_CHANNEL. The carrier's fields the service owns (`state`, `version`, …) are
    not read, as Create Cart does not read them."""
    rest = {
        name: value
        for name, value in document.items()
        if name not in _CART_OWNED and (name == "channel" or name not in _CARRIER_ONLY)
    }
    if rest.get("@type") == CART_TYPE:
        del rest["@type"]
    parties = _list_of_objects(rest.pop("relatedParty", []), "relatedParty")
    items = _list_of_objects(rest.pop("cartItem", []), "cartItem")
    return {
        "channel": rest.pop("channel", dict(TMF_CHANNEL)),
        "relatedParty": [_carrier_party(party) for party in parties],
        "items": [carrier_item(item, f"cartItem[{index}]") for index, item in enumerate(items)],
        **rest,
    }


def _list_of_objects(value: Any, field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise NotAShoppingCart(field, "must be an array")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise NotAShoppingCart(f"{field}[{index}]", "must be an object")
    return value


def _carrier_party(party: Mapping[str, Any]) -> dict[str, Any]:
    carried = {name: value for name, value in party.items() if name != "@referredType"}
    if "@referredType" in party:
        carried["referredType"] = party["@referredType"]
    return carried


def carrier_item(item: Mapping[str, Any], field: str = "cartItem[0]") -> dict[str, Any]:
    """A CartItem as the carrier's item (`field`: where it is, for an error)."""
    rest = {name: value for name, value in item.items() if name not in _ITEM_OWNED}
    if rest.get("@type") == ITEM_TYPE:
        del rest["@type"]
    carried: dict[str, Any] = {}
    if "id" in rest:
        carried["productOrderItemId"] = rest.pop("id")
    offering = rest.pop("productOffering", None)
    if offering is not None:
        if not isinstance(offering, dict):
            raise NotAShoppingCart(f"{field}.productOffering", "must be an object")
        offering = dict(offering)
        if "id" in offering:
            carried["productOfferingId"] = offering.pop("id")
        if offering:
            carried["productOffering"] = offering
    product = rest.pop("product", None)
    if product is not None:
        if not isinstance(product, dict):
            raise NotAShoppingCart(f"{field}.product", "must be an object")
        product = dict(product)
        characteristics = product.pop("productCharacteristic", None)
        if characteristics is not None:
            carried["characteristic"] = characteristics
        if product:
            carried["product"] = product
    return {**rest, **carried}


# Carrier field paths (as the carrier cart's decoding names them) in TMF663's words.
_PATHS = (
    ("items[", "cartItem["),
    (".productOrderItemId", ".id"),
    (".productOfferingId", ".productOffering.id"),
    (".characteristic[", ".product.productCharacteristic["),
    (".referredType", ".@referredType"),
)


def tmf_path(path: str) -> str:
    """Where a problem the carrier cart's decoding found (`items[0].productOfferingId`)
    is in the ShoppingCart (`cartItem[0].productOffering.id`)."""
    for carrier, tmf in _PATHS:
        path = path.replace(carrier, tmf)
    if path == "items":
        return "cartItem"
    return path
