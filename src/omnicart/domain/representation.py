"""The carrier's JSON shape of a cart, shared by API responses and event snapshots.

Pure: builds plain dicts from domain objects. The only thing it leaves to the caller is
the `href`, which depends on where the service is reached.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from omnicart.domain.cart import ProductOrder, ProductOrderItem
from omnicart.domain.order import Order


def timestamp(moment: datetime) -> str:
    """The carrier's `2024-10-05T14:48:00.000Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


_OPTIONAL_ITEM_FIELDS = tuple(
    name for name in ProductOrderItem.__struct_fields__
    if name not in {"productOrderItemId", "action", "quantity", "characteristic", "itemPrice", "extra"}
)


def item_document(item: ProductOrderItem) -> dict[str, Any]:
    # Built field by field (not via msgspec.to_builtins): this runs for every item of
    # every cart answer, and prices stay structs for the encoder.
    body: dict[str, Any] = {
        "productOrderItemId": item.productOrderItemId,
        "action": item.action,
        "quantity": item.quantity,
    }
    for name in _OPTIONAL_ITEM_FIELDS:
        value = getattr(item, name)
        if value is not None:
            body[name] = value
    body["characteristic"] = item.characteristic
    body["itemPrice"] = item.itemPrice
    if item.extra:
        body.update(item.extra)
    return body


def cart_document(cart: ProductOrder, href: str | None) -> dict[str, Any]:
    """The cart as the API answers it; without `href` for event snapshots (as orders)."""
    body: dict[str, Any] = {"id": cart.id}
    if href is not None:
        body["href"] = href
    body.update({
        "version": cart.version,
        "state": cart.state.value,
        "creationDate": timestamp(cart.creationDate),
        "lastUpdate": timestamp(cart.lastUpdate),
        "channel": cart.channel,
        "relatedParty": cart.relatedParty,
        "productOrderItem": [item_document(item) for item in cart.productOrderItem],
        "orderTotalPrice": cart.orderTotalPrice,
        "validation": cart.validation,
    })
    if cart.extra:
        body.update(cart.extra)
    return body


def submission_document(order: Order) -> dict[str, Any]:
    """Express submit's answer: exactly the carrier's five fields. A repeated submit of the
    same cart answers the same, so `state` is the state the order was submitted in."""
    return {
        "id": order.id,
        "customerOrderId": order.customerOrderId,
        "state": order.stateHistory[0].state.value,
        "submissionDate": timestamp(order.submissionDate),
        "orderSummaryAccessToken": order.orderSummaryAccessToken,
    }


def order_document(order: Order, href: str | None) -> dict[str, Any]:
    """The whole order (omnicart's GET, and order event snapshots, which have no href): the
    carrier's ProductOrder fields of the submitted cart, the order's own dates and state,
    the express-submit body as sent (`submission`) and the state history."""
    cart = order.cart
    body: dict[str, Any] = {"id": order.id}
    if href is not None:
        body["href"] = href
    body.update({
        "customerOrderId": order.customerOrderId,
        "state": order.state.value,
        "submissionDate": timestamp(order.submissionDate),
        "lastUpdate": timestamp(order.lastUpdate),
    })
    for name in ("completionDate", "cancellationDate"):
        moment = getattr(order, name)
        if moment is not None:
            body[name] = timestamp(moment)
    if order.cancellationReason is not None:
        body["cancellationReason"] = order.cancellationReason
    body.update({
        "orderSummaryAccessToken": order.orderSummaryAccessToken,
        "cartId": order.cartId,
        "channel": cart.channel,
        "relatedParty": cart.relatedParty,
        "productOrderItem": [item_document(item) for item in cart.productOrderItem],
        "orderTotalPrice": cart.orderTotalPrice,
        "submission": order.submission,
        "stateHistory": [
            {"state": change.state.value, "date": timestamp(change.date),
             **({"reason": change.reason} if change.reason else {})}
            for change in order.stateHistory
        ],
    })
    if order.mockScenario is not None:
        body["mockScenario"] = order.mockScenario
    return body
