"""The carrier's JSON shape of a cart, shared by API responses and event snapshots.

Pure: builds plain dicts from domain objects. The only thing it leaves to the caller is
the `href`, which depends on where the service is reached.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from omnicart.domain.cart import ProductOrder, ProductOrderItem


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


def cart_document(cart: ProductOrder, href: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": cart.id,
        "href": href,
        "version": cart.version,
        "state": cart.state.value,
        "creationDate": timestamp(cart.creationDate),
        "lastUpdate": timestamp(cart.lastUpdate),
        "channel": cart.channel,
        "relatedParty": cart.relatedParty,
        "productOrderItem": [item_document(item) for item in cart.productOrderItem],
        "orderTotalPrice": cart.orderTotalPrice,
        "validation": cart.validation,
    }
    if cart.extra:
        body.update(cart.extra)
    return body
