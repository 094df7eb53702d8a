"""The cart's items on the wire: `ProductOrderItem`, one line of the cart in the carrier's
item shape, and what only items hold: their actions, the productOfferingType vocabulary
(also the catalog's), ids, characteristics, billing account and product.

The request's item and the cart's are one struct; what may be done with an item is the
domain's (domain/rules.py, domain/pricing.py).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.open import Open
from omnicart.wire.prices import Price
from omnicart.wire.values import NonEmpty

ActionName = Literal["add", "modify", "delete", "noChange", "terminate", "swap;add"]
Action = Annotated[
    ActionName,
    Meta(
        description=(
            "The carrier's item actions: `add` (the default: order the offering), `swap;add` (order it in "
            "place of an existing product of the line), `noChange` (keep an existing product), `terminate` "
            "(end one; needs its `actionReason`). TMF622's `modify` and `delete` are accepted with a "
            "`warning` (NOT_A_CARRIER_ACTION), as the carrier's pages never show them: `delete` ends an "
            "existing product exactly as `terminate` does, `modify` changes an existing product's "
            "characteristics; neither is charged."
        )
    ),
]
"""The carrier's item actions (`noChange`, `terminate`, `swap;add` seen on its pages, `add`
the default for new items) and TMF622's `modify` and `delete`, given a meaning of their own
(domain/vocabulary.py)."""

CarrierOfferingType = Literal["Mobile_Offer", "Mobile_Plan", "Mobile_Device", "SIM", "Active_Armor", "Delivery_Method"]
"""The productOfferingType values the carrier's pages show (reference §5.3)."""
OwnOfferingType = Literal["Device_Protection", "Accessory", "Broadband_Offer"]
"""omnicart's own productOfferingType values, for products the carrier's pages show no type
of (docs/decisions.md, "Product offering types")."""
ProductOfferingTypeName = Literal[CarrierOfferingType, OwnOfferingType]
ProductOfferingType = Annotated[
    ProductOfferingTypeName,
    Meta(
        description=(
            "The carrier's values: `Mobile_Offer` and `Mobile_Plan` (a plan; the two are one kind), "
            "`Mobile_Device`, `SIM`, `Active_Armor` (an add-on service, charged monthly), `Delivery_Method` "
            "(a fulfilment line: a delivery method bought as an item, never shipped itself). omnicart's own, "
            "each standing in for a carrier value its pages do not show: `Device_Protection` (for the device "
            "protection solution's protection or insurance type; an add-on charged monthly, like "
            "`Active_Armor`), `Accessory` (for the carrier's accessory type; shipped like a `Mobile_Device`), "
            "`Broadband_Offer` (for the type of the offers search's `BBOffers` group: a fiber plan)."
        )
    ),
]
MAX_WIRE_QUANTITY = 2**31 - 1
# Item ids travel in URL paths (`…/items/{itemId}`): nothing a client or proxy would
# split, normalise or escape (no `/`, `?`, `#`, `%`, no `.` or `..` alone).
ItemId = Annotated[str, Meta(min_length=1, max_length=128, pattern=r"^(?!\.\.?$)[A-Za-z0-9._~:@!$'()*+,;=-]+$")]


class Characteristic(Open):
    name: NonEmpty
    value: str


class BillingAccount(Open):
    id: NonEmpty
    ratingType: str | UnsetType | None = UNSET


class ActionReason(Open):
    name: str | UnsetType | None = UNSET
    reasonText: str | UnsetType | None = UNSET
    action: str | UnsetType | None = UNSET


class Place(Open):
    id: str | UnsetType | None = UNSET
    role: str | UnsetType | None = UNSET
    name: str | UnsetType | None = UNSET


class Product(Open):
    id: str | UnsetType | None = UNSET
    primaryProductId: str | UnsetType | None = UNSET
    place: list[Place] | UnsetType = UNSET


class ProductOrderItem(Open):
    """One line of the cart, in the carrier's item shape (Add Items to Cart v1.0.3): the
    request's item and the cart's are one struct. `itemPrice` is the service's (a client's
    is replaced); a missing `productOrderItemId` is drawn when the item is added."""

    productOrderItemId: ItemId = ""  # absent: one is drawn; an empty one sent is refused
    action: Action = "add"
    # At most a 32-bit int, as the carrier's API: above OMNICART_MAX_QUANTITY a quantity is a
    # validation message on the cart, but one no number type can price is a 400 (issue 11).
    quantity: Annotated[int, Meta(ge=1, le=MAX_WIRE_QUANTITY)] = 1
    productOfferingType: ProductOfferingType | UnsetType | None = UNSET
    productOfferingId: str | UnsetType | None = UNSET
    rootBundleProductOrderItemId: ItemId | UnsetType | None = UNSET
    billingAccount: BillingAccount | UnsetType | None = UNSET
    subscriberNumber: str | UnsetType | None = UNSET
    actionReason: ActionReason | UnsetType | None = UNSET
    product: Product | UnsetType | None = UNSET
    characteristic: list[Characteristic] = []
    itemPrice: list[Price] = []

    READ_ONLY: ClassVar[frozenset[str]] = frozenset({"itemPrice"})

    def characteristic_value(self, name: str) -> str | None:
        for entry in self.characteristic:
            if entry.name == name:
                return entry.value
        return None

    @property
    def offering_id(self) -> str | None:
        return self.productOfferingId or None

    @property
    def product_id(self) -> str | None:
        return (self.product and self.product.id) or None

    @property
    def bundle_root(self) -> str:
        """The id of the bundle this item belongs to (a root is its own bundle)."""
        return self.rootBundleProductOrderItemId or self.productOrderItemId
