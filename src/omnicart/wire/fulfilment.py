"""Fulfilment on the wire: the carrier's direct-fulfilment add-a-line calls that say how
an order's physical items reach the customer (DF 1.0.0, reference §4.2).

- `POST /omni-svcs/v1/fulfillment-options` (`retrievefulfillmentoptions`):
  `FulfillmentOptionsRequest` in, `FulfillmentOptionsView` out: per physical item its
  options, and the order's validation.
- `POST /omni-svcs/v1/order/{orderId}/fulfillment` (`patchfulfillment`):
  `FulfillmentSelection` in, `FulfillmentSelectionResult` out: the choices echoed, each
  with `status` "success".

What a choice does to the cart is the domain's (domain/delivery.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.cart import DeliveryMethodRef, FulfillmentProduct, Validation
from omnicart.wire.items import Product
from omnicart.wire.open import Open
from omnicart.wire.orders import Amount, Dates
from omnicart.wire.values import NonEmpty

OrderId = Annotated[str, Meta(min_length=1, examples=["10-689838051878453"])]


class FulfillmentOptionsRequest(msgspec.Struct, forbid_unknown_fields=True):
    """The order (its customer order id; its cart id works too) and the customer's place
    the shipping options go to."""

    orderId: OrderId
    placeid: NonEmpty | UnsetType = UNSET


class DeliveryOption(msgspec.Struct, frozen=True):
    """One way an item can reach the customer: the delivery method as a product offering,
    its price before tax, when it ships and arrives, and where it goes."""

    dates: Dates
    productOffering: DeliveryMethodRef
    finalPrice: Amount
    product: FulfillmentProduct


class ItemOptions(msgspec.Struct, frozen=True):
    productOrderItemId: str
    fulfillmentOptions: list[DeliveryOption]


class OptionGroup(msgspec.Struct, frozen=True):
    options: list[ItemOptions]


class FulfillmentOptionsView(msgspec.Struct):
    """`selectedOptions[]` (one group, with an entry per physical item; none when nothing
    is delivered) and the order's validation as of now; nothing is changed."""

    selectedOptions: list[OptionGroup]
    validation: Validation


class DeliveryMethodChoice(Open):
    """The delivery method chosen, by its `id` (`name` and `productOfferingType` may be
    sent back as the options named them)."""

    id: NonEmpty
    name: str | UnsetType = UNSET
    productOfferingType: Literal["Delivery_Method"] | UnsetType = UNSET


class SelectedOption(Open):
    productOrderItemId: NonEmpty
    productOffering: DeliveryMethodChoice
    product: Product | UnsetType = UNSET


class FulfillmentSelection(msgspec.Struct, forbid_unknown_fields=True):
    """`POST /omni-svcs/v1/order/{orderId}/fulfillment`: a delivery method per item, and
    the customer's place shipping goes to."""

    selectedOptions: Annotated[list[SelectedOption], Meta(min_length=1, max_length=200)]
    placeid: NonEmpty | UnsetType = UNSET


class SelectedOptionStatus(msgspec.Struct):
    productOrderItemId: str
    productOffering: DeliveryMethodRef
    product: FulfillmentProduct
    status: Literal["success"] = "success"


class FulfillmentSelectionResult(msgspec.Struct):
    """The choices as the order recorded them (the method's own name, the places), each
    with `status` "success"."""

    selectedOptions: list[SelectedOptionStatus]
