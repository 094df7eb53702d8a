"""The cart on the wire: the carrier's ProductOrder and what it records, as JSON.

Field names are the carrier's wire names, so a cart reads the same in the code, in the
database and on the wire. These are declarations only: what may be done to a cart (and
why not) is the domain's (domain/cart.py, `Cart`), what its prices and messages are is
worked out there too.

Beside it: the items (wire/items.py, `ProductOrderItem`), the one price shape
(wire/prices.py, `Price`) and the plain values (wire/values.py: `NonEmpty`, `Timestamp`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

# Also a name of this module, where partners' code has imported it from (wire/items.py is its home).
from omnicart.wire.items import ProductOrderItem as ProductOrderItem
from omnicart.wire.open import Open
from omnicart.wire.prices import Price
from omnicart.wire.values import NonEmpty, Timestamp


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


class NameValue(msgspec.Struct, frozen=True):
    name: str
    value: str


MessageType = Literal["error", "warning", "info"]


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
