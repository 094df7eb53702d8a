"""TMF622 Product Ordering v4 on the wire: the ProductOrder (`TmfProductOrder`), what creates and changes one,
and the CancelProductOrder task. Names and shapes are TM Forum's (`@type`,
`@referredType`…); what omnicart adds is said where it is declared.

- `POST /tmf-api/productOrderingManagement/v4/productOrder`: `ProductOrderCreate` in,
  `TmfProductOrder` out (201); `PATCH …/productOrder/{id}`: `ProductOrderUpdate` (JSON merge
  patch of the order's descriptive attributes).
- `POST …/cancelProductOrder`: `CancelProductOrderCreate` in, `CancelProductOrder` out.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.values import NonEmpty, Timestamp

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

# An answer's structs encode their defaults (`@type` always comes); what is absent is UNSET.
# Named Tmf… where omnicart's carrier shapes have the name already (one schema per name in
# the OpenAPI document); `@type` says TM Forum's name.
# TMF's polymorphism attributes, spelled as TM Forum spells them.
TYPE = msgspec.field(default=UNSET, name="@type")
BASE_TYPE = msgspec.field(default=UNSET, name="@baseType")
SCHEMA_LOCATION = msgspec.field(default=UNSET, name="@schemaLocation")
REFERRED_TYPE = msgspec.field(default=UNSET, name="@referredType")


class TmfMoney(msgspec.Struct, frozen=True):
    unit: str
    value: float


class TmfPrice(msgspec.Struct, frozen=True, kw_only=True):
    dutyFreeAmount: TmfMoney
    taxIncludedAmount: TmfMoney | UnsetType = UNSET
    taxRate: float | UnsetType = UNSET
    type: str = msgspec.field(default="Price", name="@type")


class TmfOrderPrice(msgspec.Struct, frozen=True, kw_only=True):
    """TMF622's OrderPrice: the carrier's `NRC` is `oneTime`, its `RC` `recurring`."""

    name: str | UnsetType = UNSET
    priceType: str
    recurringChargePeriod: str | UnsetType = UNSET
    price: TmfPrice
    type: str = msgspec.field(default="OrderPrice", name="@type")


class ProductOfferingRef(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: NonEmpty
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    referredType: str | UnsetType = REFERRED_TYPE


class TmfRelatedParty(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: NonEmpty
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    role: str | UnsetType = UNSET
    referredType: str | UnsetType = REFERRED_TYPE


class RelatedChannel(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: NonEmpty
    href: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    role: str | UnsetType = UNSET
    referredType: str | UnsetType = REFERRED_TYPE


class TmfAgreementRef(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    name: str | UnsetType = UNSET
    referredType: str | UnsetType = REFERRED_TYPE


class TmfProductOrderItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One line of the order. Its `id` is the carrier's `productOrderItemId`; `quantity`
    defaults to 1; `productOffering.id` is the catalog's offering."""

    id: Annotated[str, Meta(min_length=1, max_length=128, pattern=r"^(?!\.\.?$)[A-Za-z0-9._~:@!$'()*+,;=-]+$")]
    action: ItemAction
    quantity: Annotated[int, Meta(ge=1, le=2**31 - 1)] | UnsetType = UNSET
    state: ProductOrderState | UnsetType = UNSET
    productOffering: ProductOfferingRef | UnsetType = UNSET
    itemPrice: list[TmfOrderPrice] | UnsetType = UNSET
    type: str | UnsetType = TYPE


class Note(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str | UnsetType = UNSET
    author: str | UnsetType = UNSET
    date: Timestamp | UnsetType = UNSET
    text: str | UnsetType = UNSET
    type: str | UnsetType = TYPE


class Details(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The order's descriptive attributes: kept as the partner last set them and shown,
    acted on by nothing in omnicart. `null` (in a PATCH) removes one."""

    category: str | UnsetType | None = UNSET
    description: str | UnsetType | None = UNSET
    externalId: str | UnsetType | None = UNSET
    priority: str | UnsetType | None = UNSET
    notificationContact: str | UnsetType | None = UNSET
    requestedCompletionDate: Timestamp | UnsetType | None = UNSET
    requestedStartDate: Timestamp | UnsetType | None = UNSET
    note: list[Note] | UnsetType | None = UNSET


class ProductOrderCreate(Details, kw_only=True):
    """TMF622's ProductOrder_Create. `productOrderItem` is required (at least one);
    `relatedParty` and `channel` as TM Forum has them (omnicart's defaults when absent:
    docs/tmf.md). Other TMF622 attributes (payment, billingAccount, quote…) are not kept."""

    productOrderItem: Annotated[list[TmfProductOrderItem], Meta(min_length=1)]
    relatedParty: list[TmfRelatedParty] = []
    channel: list[RelatedChannel] = []
    type: str | UnsetType = TYPE
    baseType: str | UnsetType = BASE_TYPE
    schemaLocation: str | UnsetType = SCHEMA_LOCATION


class ProductOrderUpdate(Details, kw_only=True):
    """TMF622's ProductOrder_Update, as far as a placed order may change: its descriptive
    attributes (a JSON merge patch: `null` removes one). Items, parties and channel are the
    order as placed (omnicart has no amend): naming them is refused (`DESCRIPTIVE`)."""


DESCRIPTIVE = frozenset(Details.__struct_fields__)  # what a PATCH may name


class TmfProductOrder(Details, kw_only=True, omit_defaults=False):
    """TMF622's ProductOrder: an omnicart order (docs/tmf.md has the mapping)."""

    id: str
    href: str
    orderDate: Timestamp
    state: ProductOrderState
    completionDate: Timestamp | UnsetType = UNSET
    cancellationDate: Timestamp | UnsetType = UNSET
    cancellationReason: str | UnsetType = UNSET
    channel: list[RelatedChannel] = []
    relatedParty: list[TmfRelatedParty] = []
    productOrderItem: list[TmfProductOrderItem] = []
    orderTotalPrice: list[TmfOrderPrice] = []
    agreement: list[TmfAgreementRef] = []
    type: str = msgspec.field(default="ProductOrder", name="@type")
    baseType: str = msgspec.field(default="ProductOrder", name="@baseType")


class ProductOrderRef(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: NonEmpty
    href: str | UnsetType = UNSET
    referredType: str | UnsetType = REFERRED_TYPE


class CancelProductOrderCreate(msgspec.Struct, kw_only=True, omit_defaults=True):
    """TMF622's CancelProductOrder_Create: the order to cancel, and why."""

    productOrder: ProductOrderRef
    cancellationReason: str | UnsetType = UNSET
    requestedCancellationDate: Timestamp | UnsetType = UNSET
    type: str | UnsetType = TYPE


class CancelProductOrder(msgspec.Struct, kw_only=True):
    """TMF622's CancelProductOrder task. omnicart keeps one per order (asking twice is
    asking once), named by the order's id."""

    id: str
    href: str
    productOrder: ProductOrderRef
    state: CancelProductOrderState
    creationDate: Timestamp
    cancellationReason: str | UnsetType = UNSET
    effectiveCancellationDate: Timestamp | UnsetType = UNSET
    type: str = msgspec.field(default="CancelProductOrder", name="@type")


def details_of(value: Details) -> dict[str, Any]:
    """The descriptive attributes set on `value`, as builtins (what an order keeps)."""
    return {
        name: msgspec.to_builtins(getattr(value, name))
        for name in Details.__struct_fields__
        if getattr(value, name) is not UNSET
    }
