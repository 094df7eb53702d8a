"""TMF663 Shopping Cart v4 on the wire: `ShoppingCart`, its `CartItem`s and `CartPrice`s,
and the bodies of create and PATCH. They declare the shapes (the OpenAPI document, the
client); the mapping from and to the carrier's cart is domain/shopping_cart.py's, on
parsed JSON, so that the fields TMF663 does not declare (the carrier item's
`productOfferingType`, a partner's own) travel untouched: every struct here accepts them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.items import MAX_WIRE_QUANTITY, ItemId
from omnicart.wire.prices import Money
from omnicart.wire.tmf.common import Entity, TimePeriod
from omnicart.wire.values import NonEmpty

CartItemAction = Literal["add", "modify", "delete", "noChange"]
# Where TMF663's resources are, below the service's root.
SHOPPING_CARTS_PATH = "/tmf-api/shoppingCart/v4/shoppingCart"
HUB_PATH = "/tmf-api/shoppingCart/v4/hub"


class ProductOfferingRef(Entity, kw_only=True):
    """TMF's reference to a product offering: its id (omnicart's catalog), as a client sent it."""

    id: str
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    referredType: str | UnsetType = msgspec.field(default=UNSET, name="@referredType")


class CartParty(Entity, kw_only=True):
    """TMF663's RelatedParty of a cart. TMF663 makes `role` optional; omnicart needs it (the carrier's
    cart knows its customer and dealer by role)."""

    id: NonEmpty
    role: NonEmpty
    referredType: NonEmpty = msgspec.field(name="@referredType")
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET


class CartPriceAmounts(Entity, kw_only=True):
    """TMF's Price: the amounts of a CartPrice (omnicart computes them)."""

    dutyFreeAmount: Money | UnsetType = UNSET
    taxIncludedAmount: Money | UnsetType = UNSET
    taxRate: float | UnsetType = UNSET
    percentage: float | UnsetType = UNSET


class CartPrice(Entity, kw_only=True):
    """A price of an item (one unit: `itemPrice`; the line: `itemTotalPrice`) or of the
    cart (`cartTotalPrice`): `priceType` oneTime or recurring (monthly)."""

    name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    priceType: str | UnsetType = UNSET
    recurringChargePeriod: str | UnsetType = UNSET
    unitOfMeasure: str | UnsetType = UNSET
    price: CartPriceAmounts | UnsetType = UNSET


class ProductCharacteristic(Entity, kw_only=True):
    """TMF's Characteristic of a product: a name and its value (the carrier item's characteristic)."""

    name: NonEmpty
    value: str  # omnicart's own narrowing: the carrier's characteristic values are strings
    valueType: str | UnsetType = UNSET


class ProductPlace(Entity, kw_only=True):
    """TMF's RelatedPlaceRefOrValue of a product: where it is, in the role it plays there."""

    id: str | UnsetType = UNSET
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    role: str | UnsetType = UNSET


class ProductRefOrValue(Entity, kw_only=True):
    """TMF's product of an item: the carrier item's product, with its characteristics."""

    id: str | UnsetType = UNSET
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    productCharacteristic: list[ProductCharacteristic] | UnsetType = UNSET
    place: list[ProductPlace] | UnsetType = UNSET


class CartItem(Entity, kw_only=True):
    """A line of the cart. `itemPrice` and `itemTotalPrice` are the service's."""

    id: ItemId | UnsetType = UNSET
    action: CartItemAction | UnsetType = UNSET
    quantity: Annotated[int, Meta(ge=1, le=MAX_WIRE_QUANTITY)] | UnsetType = UNSET
    productOffering: ProductOfferingRef | UnsetType = UNSET
    product: ProductRefOrValue | UnsetType = UNSET
    itemPrice: list[CartPrice] | UnsetType = UNSET
    itemTotalPrice: list[CartPrice] | UnsetType = UNSET
    note: list[dict[str, Any]] | UnsetType = UNSET
    status: str | UnsetType = UNSET


class ShoppingCartCreate(Entity, kw_only=True):
    """TMF663's ShoppingCart_Create: everything optional (`{}` is a cart)."""

    cartItem: list[CartItem] | UnsetType = UNSET
    contactMedium: list[dict[str, Any]] | UnsetType = UNSET
    relatedParty: list[CartParty] | UnsetType = UNSET


class ShoppingCartUpdate(ShoppingCartCreate, kw_only=True):
    """TMF663's ShoppingCart_Update, sent as a JSON merge patch (RFC 7396): an array sent
    replaces the one there (send every cartItem to keep), null removes a member."""


class ShoppingCart(ShoppingCartCreate, kw_only=True):
    """TMF663's ShoppingCart: the omnicart cart of the same id, in TM Forum's shape."""

    id: str
    href: str
    validFor: TimePeriod | UnsetType = UNSET
    cartTotalPrice: list[CartPrice] | UnsetType = UNSET
