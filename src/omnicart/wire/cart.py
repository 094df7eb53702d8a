"""The cart on the wire: the carrier's ProductOrder and everything in it, as JSON.

Field names are the carrier's wire names, so a cart reads the same in the code, in the
database and on the wire. These are declarations only: what may be done to a cart (and
why not) is the domain's (domain/cart.py, `Cart`), what its prices and messages are is
worked out there too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.open import Open

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
PriceType = Literal["NRC", "RC"]  # one-time, recurring
MessageType = Literal["error", "warning", "info"]

MAX_WIRE_QUANTITY = 2**31 - 1
NonEmpty = Annotated[str, Meta(min_length=1)]
# Item ids travel in URL paths (`…/items/{itemId}`): nothing a client or proxy would
# split, normalise or escape (no `/`, `?`, `#`, `%`, no `.` or `..` alone).
ItemId = Annotated[str, Meta(min_length=1, max_length=128, pattern=r"^(?!\.\.?$)[A-Za-z0-9._~:@!$'()*+,;=-]+$")]
Timestamp = Annotated[str, Meta(extra_json_schema={"format": "date-time", "examples": ["2024-10-05T14:48:00.000Z"]})]


def timestamp(moment: datetime) -> str:
    """The carrier's `2024-10-05T14:48:00.000Z` (UTC, milliseconds)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


class State(StrEnum):
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


# -- what omnicart computes ----------------------------------------------------------


class Money(msgspec.Struct, frozen=True):
    unit: str
    value: float  # rendered from exact minor units; never used for arithmetic


class PriceAmounts(msgspec.Struct, frozen=True, omit_defaults=True):
    dutyFreeAmount: Money
    taxIncludedAmount: Money | None = None
    taxRate: float | None = None


TaxIncluded = Literal["Excluded"]
RecurringChargePeriod = Literal["month"]


class Price(msgspec.Struct, frozen=True, kw_only=True):
    """The one price shape of omnicart: every entry of a catalog offering's
    `productOfferingPrice[]`, of an item's `itemPrice[]` and of `orderTotalPrice[]`, on the
    cart and on the order. The carrier's shape (its offers search):

    - `price`: what is charged; `dutyFreeAmount` and, an omnicart addition, the
      `taxIncludedAmount` and (not on totals, which mix rates) the `taxRate`;
    - `finalPrice`: the price after alterations (discounts, promotions). omnicart applies
      none, so it is always equal to `price`;
    - `taxIncluded`: "Excluded", as the carrier: `dutyFreeAmount` is before tax;
    - on a recurring ("RC") price, `recurringChargePeriod` "month" and
      `recurringChargePeriodLength` 1; a one-time ("NRC") price has neither.

    Only `price` need be given: the rest follows from it (also when a cart stored before
    these fields existed is read back).
    """

    name: str
    priceType: PriceType
    recurringChargePeriod: RecurringChargePeriod | UnsetType = UNSET
    recurringChargePeriodLength: Annotated[int, Meta(ge=1)] | UnsetType = UNSET
    price: PriceAmounts
    finalPrice: PriceAmounts | UnsetType = UNSET
    taxIncluded: TaxIncluded = "Excluded"

    def __post_init__(self) -> None:
        if self.finalPrice is UNSET:
            msgspec.structs.force_setattr(self, "finalPrice", self.price)
        if self.priceType == "RC":
            if self.recurringChargePeriod is UNSET:
                msgspec.structs.force_setattr(self, "recurringChargePeriod", "month")
            if self.recurringChargePeriodLength is UNSET:
                msgspec.structs.force_setattr(self, "recurringChargePeriodLength", 1)


class NameValue(msgspec.Struct, frozen=True):
    name: str
    value: str


class ValidationMessage(msgspec.Struct, frozen=True):
    text: str
    type: MessageType
    parameter: list[NameValue] = []


ConfigurationType = Literal[
    "terms",
    "payment",
    "appointment",  # a fiber cart's technician visit: express submit books it
    "credit",
    # direct fulfilment (docs/direct-fulfilment.md): a delivery method per physical item, AutoPay/paperless
    "fulfillment",
    "billing",
]
ConfigurationStatus = Literal["pending", "complete"]


class Configuration(msgspec.Struct, frozen=True):
    """A step before the order can be placed: `required` ones must be
    `complete` for the cart to be ready to submit."""

    type: ConfigurationType
    status: ConfigurationStatus
    required: bool
    postOrderConfigurable: bool = False


class Validation(msgspec.Struct, frozen=True):
    status: Literal["valid", "invalid"] = "valid"
    readyToSubmit: bool = False
    validationMessage: list[ValidationMessage] = []
    configuration: list[Configuration] = []

    @property
    def errors(self) -> list[ValidationMessage]:
        return [m for m in self.validationMessage if m.type == "error"]


CreditRisk = Literal["LOW", "MEDIUM", "HIGH", "Fraud Risk", "Abusive Risk", "Analyst Review"]
"""The carrier's credit risk classes (credit-application `creditRisk`, reference §4.3)."""


class CreditDecision(msgspec.Struct, frozen=True, kw_only=True):
    """omnicart's own: the cart's last credit application (`POST
    /omni-svcs/v1/credit-application`), its risk class and the carrier's ids of it, and when
    it was decided. A new application replaces it; "Fraud Risk", "Abusive Risk" and
    "Analyst Review" keep the cart from being submitted (validation code
    CREDIT_RISK_BLOCKS_ORDER)."""

    creditRisk: CreditRisk
    unifiedCreditTransactionId: str
    casApplicationId: str
    unifiedPolicyTransactionId: str
    decisionDate: Timestamp


class AgreementRef(msgspec.Struct, frozen=True, omit_defaults=True):
    """Terms and conditions the customer accepted (TMF622 `agreement[]`): their id
    (checkout's `termsAndConditions[].id`), name and version."""

    id: str
    name: str | None = None
    version: str | None = None


class PaymentRef(msgspec.Struct, frozen=True, omit_defaults=True):
    """A payment method registered for the cart (TMF622 `payment[]`), by the id
    `POST /payment-methods` answered (or express submit's body named); never card data."""

    id: str
    name: str | None = None  # the partner's own id of it, e.g. "paymentmethod_1"
    paymentProfileId: str | None = None


EnrollmentStatus = Literal["enrolled", "notEnrolled"]


class DeliveryMethodRef(msgspec.Struct, frozen=True):
    """A delivery method as the carrier's direct-fulfilment calls name it: a product
    offering of type "Delivery_Method": `standard-shipping`, `express-shipping`,
    `store-pickup`."""

    id: str
    name: str
    productOfferingType: Literal["Delivery_Method"] = "Delivery_Method"


class FulfillmentPlace(msgspec.Struct, frozen=True):
    """Where an item goes: a store (`role` "store", picked up or shipped from there) or
    the customer's shipping address (`role` "shippingAddress", the request's `placeid`)."""

    id: str
    role: str


class FulfillmentProduct(msgspec.Struct, frozen=True):
    place: list[FulfillmentPlace] = []


class SelectedFulfillment(msgspec.Struct, kw_only=True):
    """omnicart's own record of the delivery method chosen for one item of the cart
    (`POST /omni-svcs/v1/order/{orderId}/fulfillment`, the carrier's `selectedOptions[]`
    entry), priced like an item (`itemPrice`, the service's)."""

    productOrderItemId: str
    productOffering: DeliveryMethodRef
    product: FulfillmentProduct = FulfillmentProduct()
    itemPrice: list[Price] = []


class Enrollment(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    """Billing enrollment (the carrier's `updateBilling`, billing spec 1.0.0): AutoPay and
    paperless bills, and the payment profile AutoPay charges ("" or absent: the payment
    method registered for the cart)."""

    autoPay: EnrollmentStatus | UnsetType = UNSET
    paperLess: EnrollmentStatus | UnsetType = UNSET
    paymentProfileId: str | UnsetType = UNSET


# -- what the partner sends (each object keeps the fields we do not model) -------------


class Extension(Open):
    name: NonEmpty
    value: str


class Channel(Open):
    """The sales channel, e.g. `{"id": "IND", "name": "IND", "extensions": [subChannel…]}`."""

    id: NonEmpty
    name: str | UnsetType | None = UNSET
    extensions: list[Extension] | UnsetType = UNSET


class RelatedParty(Open):
    """A party of the cart: the owner, the dealer location (`partner`), the customer."""

    id: NonEmpty
    role: NonEmpty
    referredType: NonEmpty
    name: str | UnsetType | None = UNSET
    extensions: list[Extension] | UnsetType = UNSET


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


class CartCreate(Open):
    """Create Cart (carrier v1.0.3): channel, related parties and optional initial items
    (`items`, the Add Items field name). Unknown fields become the cart's own."""

    channel: Channel
    relatedParty: list[RelatedParty]
    items: list[ProductOrderItem] = []

    # The answer's name for the items, read as `items` with a warning (wire/notices.py):
    # a partner echoing the cart's shape loses nothing; both at once is a 400.
    ALIASES: ClassVar[dict[str, str]] = {"productOrderItem": "items"}
    # The service owns these: sent by a client, they are ignored, not kept as unknown.
    READ_ONLY: ClassVar[frozenset[str]] = frozenset(
        {
            "id",
            "href",
            "version",
            "state",
            "creationDate",
            "lastUpdate",
            "orderTotalPrice",
            "validation",
            "agreement",
            "payment",
            "creditDecision",
            "customerOrderId",
            "productOrder",
            "fulfillment",
            "enrollment",
        }
    )


class OrderRef(Open):
    """The order a submitted cart became (TMF622-style reference): its id (GET
    /omni-svcs/v1/orders/{id}) and the carrier's customerOrderId."""

    id: str
    customerOrderId: str


class ProductOrder(Open):
    """The cart: a draft ProductOrder, in the carrier's shape. Its encoding is both what is
    stored and (with `href` added) what the API answers. Which partner owns it is the
    store's business, kept beside it."""

    id: str
    version: int
    state: State
    creationDate: Timestamp
    lastUpdate: Timestamp
    channel: Channel
    relatedParty: list[RelatedParty]
    productOrderItem: list[ProductOrderItem] = []
    orderTotalPrice: list[Price] = []
    agreement: list[AgreementRef] = []
    payment: list[PaymentRef] = []
    # omnicart's own: the last credit application's result (POST /credit-application).
    creditDecision: CreditDecision | UnsetType = UNSET
    validation: Validation = Validation()
    # The carrier's ProductOrder carries `customerOrderId`: a cart made by the older
    # `order/create` has it from birth (its second name, docs/orders.md), any other gets it
    # from express submit, in the transaction that writes the order; `productOrder` names
    # the order itself.
    customerOrderId: str | UnsetType = UNSET
    productOrder: list[OrderRef] | UnsetType = UNSET
    # omnicart's own, recorded by the direct-fulfilment calls (docs/direct-fulfilment.md):
    # the delivery method chosen per physical item, and the billing enrollment. Absent from
    # a cart that has none, so the other solutions' carts read as before.
    fulfillment: list[SelectedFulfillment] | UnsetType = UNSET
    enrollment: Enrollment | UnsetType = UNSET


class ItemsAdd(msgspec.Struct, forbid_unknown_fields=True):
    """Add Items to Cart request."""

    items: Annotated[list[ProductOrderItem], Meta(min_length=1)]


class ProductOrderView(ProductOrder, kw_only=True):
    """The cart as the carrier returns it: a draft ProductOrder, with where to find it."""

    href: str
