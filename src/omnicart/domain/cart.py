"""The cart: a draft ProductOrder and the items it holds.

Pure data and rules. Nothing here knows about HTTP or SQL; the store persists these
structs as they are and the API renders them. Field names are the carrier's wire names
so that a cart reads the same in the code, in the database and on the wire.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import msgspec

from omnicart.domain.errors import (
    CartNotModifiable,
    DuplicateItemId,
    ItemNotFound,
    LimitExceeded,
    PreconditionFailed,
)


class State(str, Enum):
    """The carrier's PascalCase order states. A cart is a ProductOrder in `Draft`."""

    DRAFT = "Draft"
    SUBMITTED = "Submitted"
    ACKNOWLEDGED = "Acknowledged"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    HELD = "Held"
    FAILED = "Failed"
    FALLOUT = "Fallout"
    CANCELLED = "Cancelled"
    PARTIAL = "Partial"
    AMENDED = "Amended"
    PENDING_AMEND = "PendingAmend"
    PENDING_CANCEL = "PendingCancel"


class Money(msgspec.Struct, frozen=True):
    unit: str
    value: float  # rendered from exact minor units; never used for arithmetic


class PriceAmounts(msgspec.Struct, frozen=True, omit_defaults=True):
    dutyFreeAmount: Money
    taxIncludedAmount: Money | None = None
    taxRate: float | None = None


class Price(msgspec.Struct, frozen=True, omit_defaults=True):
    """One entry of `itemPrice[]` or `orderTotalPrice[]` (carrier/TMF OrderPrice shape)."""

    name: str
    priceType: str  # "NRC" one-time, "RC" recurring
    price: PriceAmounts
    recurringChargePeriod: str | None = None


class NameValue(msgspec.Struct, frozen=True):
    name: str
    value: str


class ValidationMessage(msgspec.Struct, frozen=True):
    text: str
    type: str  # "error" | "warning" | "info"
    parameter: list[NameValue] = []


class Configuration(msgspec.Struct, frozen=True):
    type: str
    status: str
    required: bool
    postOrderConfigurable: bool = False


class Validation(msgspec.Struct, frozen=True):
    status: str = "valid"  # "valid" | "invalid"
    readyToSubmit: bool = False
    validationMessage: list[ValidationMessage] = []
    configuration: list[Configuration] = []

    @property
    def errors(self) -> list[ValidationMessage]:
        return [m for m in self.validationMessage if m.type == "error"]


class ProductOrderItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One line of the cart, in the carrier's item shape. (`omit_defaults`: the stored
    document leaves unset fields out, a quarter less to write and read on every change;
    answers are built field by field in representation.py.)

    Nested objects (billingAccount, product, actionReason, characteristic) are kept as the
    partner sent them, so fields we do not model survive a round trip; `extra` holds the
    unknown top-level fields of the item for the same reason.
    """

    productOrderItemId: str
    action: str = "add"
    quantity: int = 1
    productOfferingType: str | None = None
    productOfferingId: str | None = None
    rootBundleProductOrderItemId: str | None = None
    billingAccount: dict[str, Any] | None = None
    subscriberNumber: str | None = None
    actionReason: dict[str, Any] | None = None
    product: dict[str, Any] | None = None
    characteristic: list[dict[str, Any]] = []
    itemPrice: list[Price] = []
    extra: dict[str, Any] = {}

    def characteristic_value(self, name: str) -> str | None:
        for entry in self.characteristic:
            if entry.get("name") == name:
                value = entry.get("value")
                return None if value is None else str(value)
        return None

    @property
    def bundle_root(self) -> str:
        """The id of the bundle this item belongs to (a root is its own bundle)."""
        return self.rootBundleProductOrderItemId or self.productOrderItemId


class ProductOrder(msgspec.Struct, kw_only=True):
    """The cart. `owner` is the partner that created it and never leaves the service."""

    id: str
    owner: str
    version: int
    state: State
    creationDate: datetime
    lastUpdate: datetime
    channel: dict[str, Any]
    relatedParty: list[dict[str, Any]]
    productOrderItem: list[ProductOrderItem] = []
    orderTotalPrice: list[Price] = []
    validation: Validation = Validation()
    extra: dict[str, Any] = {}

    # -- guards -----------------------------------------------------------------------

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def check_version(self, if_match: str | None) -> None:
        """Refuse a change made against a version the client no longer holds."""
        if if_match is None or if_match.strip() == "*":
            return
        offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if self.etag not in offered:
            raise PreconditionFailed(current_etag=self.etag)

    def expired(self, now: datetime, ttl: timedelta) -> bool:
        """A draft untouched for `ttl` has expired; a submitted cart belongs to its order."""
        return self.state is State.DRAFT and self.lastUpdate + ttl <= now

    def ensure_modifiable(self) -> None:
        if self.state is not State.DRAFT:
            raise CartNotModifiable(self.id, self.state.value)

    # -- item operations ---------------------------------------------------------------

    def item(self, item_id: str) -> ProductOrderItem:
        for item in self.productOrderItem:
            if item.productOrderItemId == item_id:
                return item
        raise ItemNotFound(item_id)

    def add_items(self, items: list[ProductOrderItem], max_items: int) -> None:
        self.ensure_modifiable()
        if len(self.productOrderItem) + len(items) > max_items:
            raise LimitExceeded(
                "productOrderItem",
                f"a cart holds at most {max_items} items; this change would make it "
                f"{len(self.productOrderItem) + len(items)}",
            )
        taken = {i.productOrderItemId for i in self.productOrderItem}
        for item in items:
            if item.productOrderItemId in taken:
                raise DuplicateItemId(item.productOrderItemId)
            taken.add(item.productOrderItemId)
        self.productOrderItem = [*self.productOrderItem, *items]

    def replace_item(self, item: ProductOrderItem) -> None:
        self.ensure_modifiable()
        self.item(item.productOrderItemId)
        self.productOrderItem = [
            item if i.productOrderItemId == item.productOrderItemId else i
            for i in self.productOrderItem
        ]

    def remove_item(self, item_id: str) -> list[str]:
        """Remove an item; removing a bundle root removes its whole bundle."""
        self.ensure_modifiable()
        self.item(item_id)
        gone = {item_id} | {
            i.productOrderItemId
            for i in self.productOrderItem
            if i.rootBundleProductOrderItemId == item_id
        }
        self.productOrderItem = [i for i in self.productOrderItem if i.productOrderItemId not in gone]
        return sorted(gone)

    def touch(self, now: datetime) -> None:
        """Every accepted change bumps the version the carrier exposes."""
        self.version += 1
        self.lastUpdate = now
