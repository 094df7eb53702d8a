"""One order, two shapes: omnicart's order (the carrier's ProductOrder as submitted, its
states PascalCase) and TMF622 Product Ordering v4's ProductOrder. Every correspondence
between them is here, as tables where it is one; docs/tmf.md shows them.

| omnicart order | TMF622 ProductOrder |
| --- | --- |
| `id` | `id` (the same id: an express-submitted order is a productOrder) |
| `submissionDate` | `orderDate` |
| `state` | `state`, by `STATES` below |
| `completionDate`, `cancellationDate`, `cancellationReason` | the same |
| cart `channel` | `channel[0]` (`@referredType` "SalesChannel") |
| cart `relatedParty[]` `{id, role, referredType, name}` | `relatedParty[]` `{id, role, @referredType, name}` |
| item `productOrderItemId`, `action`, `quantity` | item `id`, `action`, `quantity` |
| item `productOfferingId` | item `productOffering.id` |
| `itemPrice[]`, `orderTotalPrice[]` (`NRC`, `RC`) | `itemPrice[]`, `orderTotalPrice[]` (`oneTime`, `recurring`) |
| cart `agreement[]` | `agreement[]` |
| `details` (omnicart keeps them for TMF) | `description`, `category`, `priority`, `externalId`, `note`… |

The carrier has ten order states and TMF622 eleven, but they do not pair one for one:
the carrier's `Submitted` (placed) and `Acknowledged` (taken by order management) are both
TMF's `acknowledged` (received and validated, delivery not started); TMF's `rejected` and
`assessingCancellation` name nothing omnicart has (a refused submit makes no order; a
cancellation is accepted or refused at once). Reading back is one-to-one on the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from msgspec import UNSET

from omnicart.domain.order import Order
from omnicart.wire.cart import Channel, RelatedParty, State
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.prices import Price
from omnicart.wire.tmf import product_order as po
from omnicart.wire.values import timestamp

__all__ = [
    "CANCEL_STATES",
    "DEFAULT_CHANNEL",
    "DEFAULT_ROLE",
    "STATES",
    "cancel_task",
    "cart_parts",
    "product_order",
    "states_named",
]

S = State

# omnicart's order state → TMF622's (module docstring: why two share one).
STATES: Mapping[State, po.ProductOrderState] = {
    S.SUBMITTED: "acknowledged",
    S.ACKNOWLEDGED: "acknowledged",
    S.IN_PROGRESS: "inProgress",
    S.HELD: "held",
    S.FALLOUT: "pending",
    S.PENDING_CANCEL: "pendingCancellation",
    S.CANCELLED: "cancelled",
    S.COMPLETED: "completed",
    S.PARTIAL: "partial",
    S.FAILED: "failed",
}

# The CancelProductOrder task's state, from its order's.
CANCEL_STATES: Mapping[State, po.CancelProductOrderState] = {
    S.PENDING_CANCEL: "inProgress",
    S.CANCELLED: "done",
}

# omnicart's own, for what TMF622 leaves optional and the carrier's cart requires: the
# channel of an order that names none, and the role of a party that has none (the carrier's
# own example names its individual party "owner").
DEFAULT_CHANNEL = Channel(id="TMF622", name="TM Forum Product Ordering")
DEFAULT_ROLE = "owner"
DEFAULT_REFERRED_TYPE = "Individual"

_PRICE_TYPES = {"NRC": "oneTime", "RC": "recurring"}
# The carrier's item actions TMF622 has no name for: `terminate` ends a product (TMF's
# `delete`), `swap;add` orders one in place of another (an `add`).
_ACTIONS: Mapping[str, po.ItemAction] = {
    "add": "add",
    "modify": "modify",
    "delete": "delete",
    "noChange": "noChange",
    "terminate": "delete",
    "swap;add": "add",
}


def states_named(state: str) -> tuple[State, ...]:
    """omnicart's states that TMF622's `state` names (none for `rejected`)."""
    return tuple(ours for ours, theirs in STATES.items() if theirs == state)


# -- TMF622 → omnicart ---------------------------------------------------------------------


def _party(party: po.TmfRelatedParty) -> RelatedParty:
    return RelatedParty(
        id=party.id,
        role=party.role or DEFAULT_ROLE,
        referredType=party.referredType or DEFAULT_REFERRED_TYPE,
        name=party.name,
    )


def _channel(channels: list[po.RelatedChannel]) -> Channel:
    if not channels:
        return DEFAULT_CHANNEL
    first = channels[0]
    return Channel(id=first.id, name=first.name)


def _item(item: po.TmfProductOrderItem) -> ProductOrderItem:
    offering = item.productOffering
    return ProductOrderItem(
        productOrderItemId=item.id,
        action=item.action,
        quantity=1 if item.quantity is UNSET else item.quantity,
        productOfferingId=UNSET if offering is UNSET else offering.id,
    )


def cart_parts(request: po.ProductOrderCreate) -> tuple[Channel, list[RelatedParty], list[ProductOrderItem]]:
    """What the cart behind a productOrder created through TMF622 is made of."""
    return (
        _channel(request.channel),
        [_party(party) for party in request.relatedParty],
        [_item(item) for item in request.productOrderItem],
    )


# -- omnicart → TMF622 ---------------------------------------------------------------------


def _price(price: Price) -> po.TmfOrderPrice:
    amounts = price.price
    return po.TmfOrderPrice(
        name=price.name,
        priceType=_PRICE_TYPES[price.priceType],
        recurringChargePeriod=price.recurringChargePeriod,
        price=po.TmfPrice(
            dutyFreeAmount=po.TmfMoney(amounts.dutyFreeAmount.unit, amounts.dutyFreeAmount.value),
            taxIncludedAmount=UNSET
            if amounts.taxIncludedAmount is None
            else po.TmfMoney(amounts.taxIncludedAmount.unit, amounts.taxIncludedAmount.value),
            taxRate=UNSET if amounts.taxRate is None else amounts.taxRate,
        ),
    )


def _order_item(item: ProductOrderItem, state: po.ProductOrderState) -> po.TmfProductOrderItem:
    offering = item.productOfferingId
    return po.TmfProductOrderItem(
        id=item.productOrderItemId,
        action=_ACTIONS[item.action],
        quantity=item.quantity,
        state=state,
        productOffering=po.ProductOfferingRef(id=offering, referredType="ProductOffering")
        if isinstance(offering, str)
        else UNSET,
        itemPrice=[_price(price) for price in item.itemPrice],
        type="ProductOrderItem",
    )


def _text(value: Any) -> Any:
    return UNSET if value is None or value is UNSET else value


def product_order(order: Order, href: str) -> po.TmfProductOrder:
    """The order as TMF622's ProductOrder; `href` its URL."""
    cart = order.cart
    state = STATES[order.state]
    details = msgspec.convert(order.details, po.Details)
    return po.TmfProductOrder(
        id=order.id,
        href=href,
        orderDate=timestamp(order.submissionDate),
        state=state,
        completionDate=UNSET if order.completionDate is None else timestamp(order.completionDate),
        cancellationDate=UNSET if order.cancellationDate is None else timestamp(order.cancellationDate),
        cancellationReason=_text(order.cancellationReason),
        channel=[po.RelatedChannel(id=cart.channel.id, name=_text(cart.channel.name), referredType="SalesChannel")],
        relatedParty=[
            po.TmfRelatedParty(id=party.id, name=_text(party.name), role=party.role, referredType=party.referredType)
            for party in cart.relatedParty
        ],
        productOrderItem=[_order_item(item, state) for item in cart.productOrderItem],
        orderTotalPrice=[_price(price) for price in cart.orderTotalPrice],
        agreement=[
            po.TmfAgreementRef(id=agreement.id, name=_text(agreement.name), referredType="Agreement")
            for agreement in cart.agreement
        ],
        **{name: getattr(details, name) for name in po.Details.__struct_fields__},
    )


def cancel_task(order: Order, href: str | None, order_href: str | None) -> po.CancelProductOrder | None:
    """The order's CancelProductOrder task: there once its cancellation was asked for (the
    first PendingCancel or Cancelled of its history), None before. Without hrefs (an
    event's snapshot, which names no host) it has none."""
    asked = next((step for step in order.stateHistory if step.state in CANCEL_STATES), None)
    if asked is None:
        return None
    return po.CancelProductOrder(
        id=order.id,
        href=UNSET if href is None else href,
        productOrder=po.ProductOrderRef(
            id=order.id, href=UNSET if order_href is None else order_href, referredType="ProductOrder"
        ),
        state=CANCEL_STATES.get(order.state, "done"),
        creationDate=timestamp(asked.date),
        cancellationReason=_text(order.cancellationReason),
        effectiveCancellationDate=UNSET if order.cancellationDate is None else timestamp(order.cancellationDate),
    )
