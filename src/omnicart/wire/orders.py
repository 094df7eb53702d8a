"""Checkout, express submit and the orders it makes, on the wire.

- `POST /omni-svcs/v1/checkout` (carrier, Checkout Configuration v1.0.1,
  `getCheckoutConfigurableOptions`): `CheckoutRequest` in, `CheckoutView` out (terms,
  fulfilment options and, for a fiber cart, `appointmentDates`, besides the cart's validation).
- `POST /omni-svcs/v1/carts/{cartId}/express-submit` (carrier, Order Submission v1.0.2):
  `Submission` in (optional; with the `appointment` chosen), `SubmittedOrder` out (the
  carrier's five fields exactly).
- `GET /omni-svcs/v1/orders[/{orderId}]`, `POST …/cancel` (omnicart extensions):
  `OrderView` out, `CancelRequest` in.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.appointments import Appointment, AppointmentChoice, AppointmentDates, ServiceAddressView
from omnicart.wire.cart import AgreementRef, Channel, Enrollment, RelatedParty, SelectedFulfillment, State, Validation
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.open import Open
from omnicart.wire.prices import Money, Price
from omnicart.wire.values import NonEmpty, Timestamp

# The carrier's customer order ids: two digits, "-", 14 or 15 digits (25-76826709685300).
CustomerOrderId = Annotated[str, Meta(pattern=r"^\d{2}-\d{14,15}$", examples=["25-76826709685300"])]


class CheckoutRequest(msgspec.Struct):
    """Checkout (carrier v1.0.1): the cart, and for an address change the new address (the
    service address whose technician slots a fiber cart is offered)."""

    cartId: NonEmpty
    fulfillmentAddressId: NonEmpty | None = None


class Terms(msgspec.Struct, frozen=True):
    """Terms and conditions the customer must accept; express submit's `terms` names them by id."""

    id: str
    name: str
    version: str
    text: str
    required: bool = True


class DateRange(msgspec.Struct, frozen=True):
    dateFrom: date
    dateTo: date


class Dates(msgspec.Struct, frozen=True, kw_only=True):
    """When an item leaves (for a store pick-up: reaches the store) and when the customer
    has it."""

    shipmentDates: DateRange
    deliveryDates: DateRange


class Amount(msgspec.Struct, frozen=True):
    dutyFreeAmount: Money


class FulfillmentOption(msgspec.Struct, frozen=True):
    id: str
    fulfillmentMethod: Literal["DF", "ISPU"]  # "DF": shipped to the customer; "ISPU": picked up in a store
    name: str
    finalPrice: Amount
    dates: Dates


class CheckoutView(msgspec.Struct, omit_defaults=True):
    """What the partner needs before express submit; the cart is not changed."""

    cartId: str
    version: int
    state: State
    validation: Validation
    orderTotalPrice: list[Price]
    termsAndConditions: list[Terms]
    fulfillmentOptions: list[FulfillmentOption]
    fulfillmentAddressId: str | None = None
    appointmentDates: AppointmentDates | None = None  # a fiber cart's technician slots; absent for others


class Submission(Open):
    """Express Order Submit's optional body (carrier v1.0.2): the carrier's fields, all
    optional, kept with the order as sent (unknown ones too). `appointment` (omnicart's
    name: the carrier's is not published) is the technician slot a fiber cart books."""

    paymentMethods: list[dict[str, Any]] | UnsetType = UNSET
    enrollment: dict[str, Any] | UnsetType | None = UNSET
    oneTimePayment: dict[str, Any] | UnsetType | None = UNSET
    terms: dict[str, Any] | UnsetType | None = UNSET
    appointment: AppointmentChoice | UnsetType | None = UNSET


class SubmittedOrder(msgspec.Struct):
    """Express submit's answer: the carrier's five fields, exactly. A repeated submit of
    the same cart answers the same, so `state` is the state the order was submitted in."""

    id: str
    customerOrderId: CustomerOrderId
    state: Literal["Submitted"]
    submissionDate: Timestamp
    orderSummaryAccessToken: Annotated[str, Meta(pattern=r"^[0-9a-f]{41}$")]


class CancelRequest(msgspec.Struct):
    cancellationReason: str | None = None


class StateChangeView(msgspec.Struct, omit_defaults=True):
    state: State
    date: Timestamp
    reason: str | None = None


class OrderView(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A submitted order (omnicart extension): the cart as submitted, the express-submit
    body (`submission`), the state and its history; for a fiber order, the service address
    and the technician's appointment. `href` is absent from the snapshot an order event
    carries (events name no host)."""

    id: str
    href: str | UnsetType = UNSET
    customerOrderId: CustomerOrderId
    state: State
    submissionDate: Timestamp
    lastUpdate: Timestamp
    completionDate: Timestamp | None = None
    cancellationDate: Timestamp | None = None
    cancellationReason: str | None = None
    orderSummaryAccessToken: str
    cartId: str
    channel: Channel
    relatedParty: list[RelatedParty]
    productOrderItem: list[ProductOrderItem]
    orderTotalPrice: list[Price]
    # What the cart had besides its items: the terms accepted, and the direct-fulfilment
    # delivery methods and billing enrollment (each absent when the cart had none).
    agreement: list[AgreementRef] = []
    fulfillment: list[SelectedFulfillment] | UnsetType = UNSET
    enrollment: Enrollment | UnsetType = UNSET
    submission: Submission
    stateHistory: list[StateChangeView]
    mockScenario: str | None = None
    serviceAddress: ServiceAddressView | None = None
    appointment: Appointment | None = None
