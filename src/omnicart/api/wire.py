"""Wire structs: the carrier's request and response shapes, as msgspec types.

Requests are validated against these structs (which also generate the OpenAPI
document), but what is stored is what the partner sent: fields we do not model are kept
and echoed back, as the carrier's partners send more than any schema lists.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from omnicart.domain.cart import Price, ProductOrderItem, Validation

NonEmpty = Annotated[str, Meta(min_length=1)]


class Extension(msgspec.Struct):
    name: NonEmpty
    value: str


class Channel(msgspec.Struct):
    """The sales channel, e.g. `{"id": "IND", "name": "IND", "extensions": [subChannel…]}`."""

    id: NonEmpty
    name: str | None = None
    extensions: list[Extension] = []


class RelatedParty(msgspec.Struct):
    """A party of the cart: the owner, the dealer location (`partner`), the customer."""

    id: NonEmpty
    role: NonEmpty
    referredType: NonEmpty
    name: str | None = None
    extensions: list[Extension] = []


class Characteristic(msgspec.Struct):
    name: NonEmpty
    value: str


class BillingAccount(msgspec.Struct):
    id: NonEmpty
    ratingType: str | None = None


class ActionReason(msgspec.Struct):
    name: str | None = None
    reasonText: str | None = None
    action: str | None = None


class Place(msgspec.Struct):
    id: str | None = None
    role: str | None = None
    name: str | None = None


class Product(msgspec.Struct):
    id: str | None = None
    primaryProductId: str | None = None
    place: list[Place] = []


class ProductOrderItemInput(msgspec.Struct):
    """One cart item in the carrier's item shape (Add Items to Cart v1.0.3)."""

    action: NonEmpty = "add"
    productOfferingType: str | None = None
    productOfferingId: str | None = None
    productOrderItemId: NonEmpty | None = None
    rootBundleProductOrderItemId: str | None = None
    quantity: Annotated[int, Meta(ge=1)] = 1
    billingAccount: BillingAccount | None = None
    subscriberNumber: str | None = None
    actionReason: ActionReason | None = None
    product: Product | None = None
    characteristic: list[Characteristic] = []


class CartCreate(msgspec.Struct):
    """Create Cart request: channel, related parties and optional initial items."""

    channel: Channel
    relatedParty: list[RelatedParty]
    items: list[ProductOrderItemInput] = []


class ItemsAdd(msgspec.Struct):
    """Add Items to Cart request."""

    items: Annotated[list[ProductOrderItemInput], Meta(min_length=1)]


# -- responses (documentation of what `render_cart` produces) ------------------------


class ProductOrderItemView(ProductOrderItemInput):
    productOrderItemId: str = ""
    itemPrice: list[Price] = []


class ProductOrderView(msgspec.Struct):
    """The cart as the carrier returns it: a draft ProductOrder."""

    id: str
    href: str
    version: int
    state: str
    creationDate: datetime
    lastUpdate: datetime
    channel: Channel
    relatedParty: list[RelatedParty]
    productOrderItem: list[ProductOrderItemView]
    orderTotalPrice: list[Price]
    validation: Validation


class ErrorEntry(msgspec.Struct):
    field: str
    reason: str


class Error(msgspec.Struct):
    """The one error body of omnicart (docs/api.md#errors)."""

    code: str
    message: str
    status: int
    details: dict[str, Any] = {}


# -- request → domain --------------------------------------------------------------

# Fields the service owns: a client cannot set them, and they never land in `extra`.
READ_ONLY_CART_FIELDS = frozenset(
    {"id", "href", "version", "state", "creationDate", "lastUpdate", "orderTotalPrice", "validation",
     "productOrderItem"}
)
READ_ONLY_ITEM_FIELDS = frozenset({"itemPrice"})
CART_FIELDS = frozenset(CartCreate.__struct_fields__) | READ_ONLY_CART_FIELDS
ITEM_FIELDS = frozenset(ProductOrderItemInput.__struct_fields__) | READ_ONLY_ITEM_FIELDS


def item_from_request(raw: dict[str, Any]) -> ProductOrderItem:
    """Build a domain item from a validated raw item, keeping fields we do not model."""
    return ProductOrderItem(
        productOrderItemId=raw.get("productOrderItemId") or str(uuid.uuid4()),
        action=raw.get("action", "add"),
        quantity=raw.get("quantity", 1),
        productOfferingType=raw.get("productOfferingType"),
        productOfferingId=raw.get("productOfferingId"),
        rootBundleProductOrderItemId=raw.get("rootBundleProductOrderItemId"),
        billingAccount=raw.get("billingAccount"),
        subscriberNumber=raw.get("subscriberNumber"),
        actionReason=raw.get("actionReason"),
        product=raw.get("product"),
        characteristic=raw.get("characteristic") or [],
        extra={k: v for k, v in raw.items() if k not in ITEM_FIELDS},
    )


def cart_extra(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in CART_FIELDS}
