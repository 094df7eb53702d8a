"""TMF622 Product Ordering v4 on the wire: the ProductOrder (`TmfProductOrder`), what
creates and changes one, and the CancelProductOrder task. Names and shapes are TM
Forum's (`@type`, `@referredType`…); what omnicart adds is said where it is declared.

- `POST /tmf-api/productOrderingManagement/v4/productOrder`: `ProductOrderCreate` in,
  `TmfProductOrder` out (201); `PATCH …/productOrder/{id}`: `ProductOrderUpdate` (JSON
  merge patch of the order's descriptive attributes).
- `POST …/cancelProductOrder`: `CancelProductOrderCreate` in, `CancelProductOrder` out.

Structs are named Tmf… where omnicart's carrier shapes have the name already (one schema
per name in the OpenAPI document); `@type` says TM Forum's name. An answer's structs
encode their defaults (`@type` always comes); what is absent is UNSET.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.tmf.shopping_cart import (
    ProductOfferingRef as ProductOfferingRef,
)  # TMF's one reference to an offering
from omnicart.wire.values import NonEmpty, Timestamp

# TMF622's paths, declared once (the API's operations and the client's calls).
PRODUCT_ORDERING = "/tmf-api/productOrderingManagement/v4"
PRODUCT_ORDERS_PATH = f"{PRODUCT_ORDERING}/productOrder"
CANCEL_PRODUCT_ORDERS_PATH = f"{PRODUCT_ORDERING}/cancelProductOrder"
ORDERING_HUB_PATH = f"{PRODUCT_ORDERING}/hub"

ProductOrderState = Literal[
    "acknowledged",
    "rejected",
    "pending",
    "held",
    "inProgress",
    "cancelled",
    "completed",
    "failed",
    "partial",
    "assessingCancellation",
    "pendingCancellation",
]
CancelProductOrderState = Literal["acknowledged", "rejected", "inProgress", "done", "terminatedWithError"]
ItemAction = Literal["add", "modify", "delete", "noChange"]


TypeName = Annotated[str, Meta(description="TMF630: the class of this instance (TM Forum's name)")]
BaseTypeName = Annotated[str, Meta(description="TMF630: the class this instance's class extends")]
SchemaLocation = Annotated[
    str, Meta(description="TMF630: a URI of a JSON Schema that extends this class (kept as sent, not read)")
]
ReferredType = Annotated[str, Meta(description="TMF630: the class of the entity this reference names")]
Href = Annotated[str, Meta(description="The absolute URL of the entity")]
When = Annotated[datetime, Meta(tz=True, description="An instant (ISO 8601 with its zone)")]

KEPT = " (kept as sent, acted on by nothing)"

TYPE = msgspec.field(default=UNSET, name="@type")
BASE_TYPE = msgspec.field(default=UNSET, name="@baseType")
SCHEMA_LOCATION = msgspec.field(default=UNSET, name="@schemaLocation")
REFERRED_TYPE = msgspec.field(default=UNSET, name="@referredType")


class TmfMoney(msgspec.Struct, frozen=True):
    """TMF's Money: an amount in a currency."""

    unit: Annotated[str, Meta(description="The currency (ISO 4217), e.g. USD")]
    value: Annotated[float, Meta(description="The amount, in the currency's units")]


class TmfPrice(msgspec.Struct, frozen=True, kw_only=True):
    """TMF's Price: what is charged before and after tax."""

    dutyFreeAmount: Annotated[TmfMoney, Meta(description="The amount before tax")]
    taxIncludedAmount: Annotated[TmfMoney, Meta(description="The amount with tax")] | UnsetType = UNSET
    taxRate: Annotated[float, Meta(description="The tax rate applied (0.1: 10 %)")] | UnsetType = UNSET
    type: TypeName = msgspec.field(default="Price", name="@type")


class TmfOrderPrice(msgspec.Struct, frozen=True, kw_only=True):
    """TMF622's OrderPrice: the carrier's `NRC` is `oneTime`, its `RC` `recurring`."""

    name: (
        Annotated[str, Meta(description="What the price is for, e.g. the offering's name or `Due today`")] | UnsetType
    ) = UNSET
    priceType: Annotated[str, Meta(description="`oneTime` or `recurring`")]
    recurringChargePeriod: (
        Annotated[str, Meta(description="The period a recurring price is charged for: month")] | UnsetType
    ) = UNSET
    price: Annotated[TmfPrice, Meta(description="The amounts")]
    type: TypeName = msgspec.field(default="OrderPrice", name="@type")


class TmfRelatedParty(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A party of the order and its role (the carrier's relatedParty)."""

    id: Annotated[NonEmpty, Meta(description="The party's id")]
    href: Href | UnsetType = UNSET
    name: Annotated[str, Meta(description="The party's name")] | UnsetType = UNSET
    role: Annotated[
        str,
        Meta(description="The party's role in the order, e.g. customer, owner, partner (omnicart's default: owner)"),
    ] | (UnsetType) = UNSET
    referredType: Annotated[
        str, Meta(description="What kind of party it is (the carrier's referredType; default Individual)")
    ] | (UnsetType) = REFERRED_TYPE


class RelatedChannel(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The sales channel the order was taken through (the carrier's channel)."""

    id: Annotated[NonEmpty, Meta(description="The channel's id, e.g. IND")]
    href: Href | UnsetType = UNSET
    name: Annotated[str, Meta(description="The channel's name")] | UnsetType = UNSET
    role: Annotated[str, Meta(description="The channel's role (not kept)")] | UnsetType = UNSET
    referredType: ReferredType | UnsetType = REFERRED_TYPE


class TmfAgreementRef(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Terms the customer accepted with the order (the cart's agreement)."""

    id: Annotated[str, Meta(description="The terms' id, e.g. WCA")]
    name: Annotated[str, Meta(description="The terms' name")] | UnsetType = UNSET
    referredType: ReferredType | UnsetType = REFERRED_TYPE


class TmfProductOrderItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One line of the order. Its `id` is the carrier's `productOrderItemId`; `quantity`
    defaults to 1; `productOffering.id` is the catalog's offering."""

    id: Annotated[
        str,
        Meta(
            min_length=1,
            max_length=128,
            pattern=r"^(?!\.\.?$)[A-Za-z0-9._~:@!$'()*+,;=-]+$",
            description="The item's id in the order (the carrier's productOrderItemId)",
        ),
    ]
    action: Annotated[ItemAction, Meta(description="What the item does: add, modify, delete or noChange")]
    quantity: Annotated[int, Meta(ge=1, le=2**31 - 1, description="How many (default 1)")] | UnsetType = UNSET
    state: Annotated[ProductOrderState, Meta(description="The item's state: the order's")] | UnsetType = UNSET
    productOffering: Annotated[ProductOfferingRef, Meta(description="The offering ordered")] | UnsetType = UNSET
    itemPrice: Annotated[list[TmfOrderPrice], Meta(description="The item's prices as omnicart priced them")] | (
        UnsetType
    ) = UNSET
    type: TypeName | UnsetType = TYPE


class Note(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A note about the order, kept as sent."""

    id: Annotated[str, Meta(description="The note's id")] | UnsetType = UNSET
    author: Annotated[str, Meta(description="Who wrote it")] | UnsetType = UNSET
    date: When | UnsetType = UNSET
    text: Annotated[str, Meta(description="What it says")] | UnsetType = UNSET
    type: TypeName | UnsetType = TYPE


class Details(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The order's descriptive attributes: kept as the partner last set them and shown,
    acted on by nothing in omnicart. `null` (in a PATCH) removes one."""

    category: Annotated[str | None, Meta(description=f"The order's category{KEPT}")] | UnsetType = UNSET
    description: Annotated[str | None, Meta(description=f"What the order is{KEPT}")] | UnsetType = UNSET
    externalId: Annotated[str | None, Meta(description=f"The partner's own id of the order{KEPT}")] | UnsetType = UNSET
    priority: Annotated[str | None, Meta(description=f"The order's priority{KEPT}")] | UnsetType = UNSET
    notificationContact: Annotated[str | None, Meta(description=f"Whom to tell about the order{KEPT}")] | (
        UnsetType
    ) = UNSET
    requestedCompletionDate: (
        Annotated[str | None, Meta(description=f"When the customer wants the order complete{KEPT}")] | UnsetType
    ) = UNSET
    requestedStartDate: (
        Annotated[str | None, Meta(description=f"When the customer wants the order started{KEPT}")] | UnsetType
    ) = UNSET
    note: Annotated[list[Note] | None, Meta(description=f"Notes about the order{KEPT}")] | UnsetType = UNSET


class ProductOrderCreate(Details, kw_only=True):
    """TMF622's ProductOrder_Create. `productOrderItem` is required (at least one);
    `relatedParty` and `channel` as TM Forum has them (omnicart's own defaults when absent:
    channel TMF622, role owner, @referredType Individual). Other TMF622 attributes
    (payment, billingAccount, quote…) are not kept."""

    productOrderItem: Annotated[
        list[TmfProductOrderItem], Meta(min_length=1, description="What is ordered: the cart's items")
    ]
    relatedParty: Annotated[list[TmfRelatedParty], Meta(description="The parties of the order")] = []
    channel: Annotated[list[RelatedChannel], Meta(description="The sales channel (the first one is kept)")] = []
    type: TypeName | UnsetType = TYPE
    baseType: BaseTypeName | UnsetType = BASE_TYPE
    schemaLocation: SchemaLocation | UnsetType = SCHEMA_LOCATION


class ProductOrderUpdate(Details, kw_only=True):
    """TMF622's ProductOrder_Update, as far as a placed order may change: its descriptive
    attributes (a JSON merge patch: `null` removes one). What the order placed keeps
    (items, parties, channel, state, dates) is the service's: ignored, each with a
    Warning, as every body's unknown and read-only fields are (omnicart has no amend)."""

    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {
            "id",
            "href",
            "orderDate",
            "state",
            "completionDate",
            "cancellationDate",
            "cancellationReason",
            "expectedCompletionDate",
            "channel",
            "relatedParty",
            "productOrderItem",
            "orderTotalPrice",
            "agreement",
            "billingAccount",
            "payment",
            "quote",
            "orderRelationship",
            "productOfferingQualification",
            "@type",
            "@baseType",
            "@schemaLocation",
        }
    )


class TmfProductOrder(Details, kw_only=True, omit_defaults=False):
    """TMF622's ProductOrder: an omnicart order."""

    id: Annotated[str, Meta(description="The order's id (omnicart's order id, the same on /omni-svcs/v1/orders)")]
    href: Href
    # Always there but under `?fields=`, which keeps only id, href, @type and what it names.
    orderDate: Annotated[Timestamp, Meta(description="When the order was placed (its submissionDate)")] | (
        UnsetType
    ) = UNSET
    state: (
        Annotated[
            ProductOrderState,
            Meta(
                description="The order's state in TMF622's words: the carrier's Submitted and Acknowledged are "
                "acknowledged, Fallout is pending, the others by their name"
            ),
        ]
        | UnsetType
    ) = UNSET
    completionDate: Annotated[Timestamp, Meta(description="When it completed (completed, partial)")] | (
        UnsetType
    ) = UNSET
    cancellationDate: Annotated[Timestamp, Meta(description="When it was cancelled")] | UnsetType = UNSET
    cancellationReason: Annotated[str, Meta(description="Why it was cancelled, as asked")] | UnsetType = UNSET
    channel: Annotated[list[RelatedChannel], Meta(description="The sales channel")] = []
    relatedParty: Annotated[list[TmfRelatedParty], Meta(description="The parties of the order")] = []
    productOrderItem: Annotated[list[TmfProductOrderItem], Meta(description="The lines ordered")] = []
    orderTotalPrice: Annotated[list[TmfOrderPrice], Meta(description="The totals: due today, monthly")] = []
    agreement: Annotated[list[TmfAgreementRef], Meta(description="The terms accepted")] = []
    type: TypeName = msgspec.field(default="ProductOrder", name="@type")
    baseType: BaseTypeName = msgspec.field(default="ProductOrder", name="@baseType")


class ProductOrderRef(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A reference to a product order."""

    id: Annotated[NonEmpty, Meta(description="The order's id")]
    href: Href | UnsetType = UNSET
    referredType: ReferredType | UnsetType = REFERRED_TYPE


class CancelProductOrderCreate(msgspec.Struct, kw_only=True, omit_defaults=True):
    """TMF622's CancelProductOrder_Create: the order to cancel, and why."""

    productOrder: Annotated[ProductOrderRef, Meta(description="The order to cancel")]
    cancellationReason: Annotated[str, Meta(description="Why (kept as the order's cancellationReason)")] | UnsetType = (
        UNSET
    )
    requestedCancellationDate: Annotated[
        str, Meta(description="When the customer wants it cancelled (omnicart cancels at once)")
    ] | (UnsetType) = UNSET
    type: TypeName | UnsetType = TYPE


class CancelProductOrder(msgspec.Struct, kw_only=True):
    """TMF622's CancelProductOrder task. omnicart keeps one per order (asking twice is
    asking once), named by the order's id."""

    id: Annotated[str, Meta(description="The task's id: the order's id")]
    href: Href | UnsetType = UNSET  # absent from an event's snapshot (events name no host)
    # Always there but under `?fields=`, which keeps only id, href, @type and what it names.
    productOrder: Annotated[ProductOrderRef, Meta(description="The order being cancelled")] | UnsetType = UNSET
    state: (
        Annotated[
            CancelProductOrderState, Meta(description="inProgress while the order is pendingCancellation, then done")
        ]
        | UnsetType
    ) = UNSET
    creationDate: Annotated[Timestamp, Meta(description="When the cancellation was asked for")] | UnsetType = UNSET
    cancellationReason: Annotated[str, Meta(description="Why, as asked")] | UnsetType = UNSET
    effectiveCancellationDate: Annotated[Timestamp, Meta(description="When the order was cancelled")] | (
        UnsetType
    ) = UNSET
    type: TypeName = msgspec.field(default="CancelProductOrder", name="@type")


def details_of(value: Details) -> dict[str, Any]:
    """The descriptive attributes set on `value`, as builtins (what an order keeps)."""
    return {
        name: msgspec.to_builtins(getattr(value, name))
        for name in Details.__struct_fields__
        if getattr(value, name) is not UNSET
    }
