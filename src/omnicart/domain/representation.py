"""The carrier's JSON shape of a cart and of an order, shared by API answers and events.

A cart is encoded once per change: the struct's own msgspec encoding is what the store
keeps, and, as long as no object in it holds unknown fields (almost always), it is also
the wire document, the event snapshot and (with `href` spliced in) the answer. Only a
cart carrying unknown fields needs a second pass that puts them back where they were sent.
"""

from __future__ import annotations

from typing import Any

import msgspec

from omnicart.domain.assessment import CartMemo
from omnicart.domain.cart import ProductOrder, timestamp
from omnicart.domain.open import flatten, has_extra
from omnicart.domain.order import Order

__all__ = ["encode_cart", "order_document", "submission_document", "timestamp", "wire_document", "with_href"]

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def encode_cart(cart: ProductOrder, memo: CartMemo | None = None) -> tuple[bytes, bytes]:
    """(what the store keeps, the wire document without `href`). With the cart's `memo`,
    the items it kept encoded are spliced in as they are: on a large cart they are most
    of the document, and a change touches one of them."""
    if memo is None:
        doc = _encode(cart)
    else:
        items = msgspec.Raw(b"[" + b",".join(memo.fragments(cart.productOrderItem)) + b"]")
        doc = _encode(msgspec.structs.replace(cart, productOrderItem=items))
    return doc, wire_document(doc)


def wire_document(doc: bytes) -> bytes:
    """The wire document of a stored cart (or order) encoding."""
    if not has_extra(doc):
        return doc
    return _encode(flatten(_decode(doc)))


def with_href(wire: bytes, resource_id: str, href: str) -> bytes:
    """The document with `href` after its `id`, as the API answers it: a splice, not a
    second encoding (every document starts with its id)."""
    head = b'{"id":' + _encode(resource_id) + b","
    if not wire.startswith(head):
        raise ValueError("a document must start with its id")
    return head + b'"href":' + _encode(href) + b"," + wire[len(head) :]


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


def order_document(order: Order, href: str | None) -> bytes:
    """The whole order, encoded (omnicart's GET, and order event snapshots, which have no
    href): the carrier's ProductOrder fields of the submitted cart, the order's own dates
    and state, the express-submit body as sent (`submission`) and the state history. The
    cart's parts go to the encoder as the structs they are (native encoding, no builtins
    in between); unknown fields they hold are put back by `wire_document`."""
    cart = order.cart
    body: dict[str, Any] = {"id": order.id}
    if href is not None:
        body["href"] = href
    body.update(
        {
            "customerOrderId": order.customerOrderId,
            "state": order.state.value,
            "submissionDate": timestamp(order.submissionDate),
            "lastUpdate": timestamp(order.lastUpdate),
        }
    )
    for name in ("completionDate", "cancellationDate"):
        moment = getattr(order, name)
        if moment is not None:
            body[name] = timestamp(moment)
    if order.cancellationReason is not None:
        body["cancellationReason"] = order.cancellationReason
    body.update(
        {
            "orderSummaryAccessToken": order.orderSummaryAccessToken,
            "cartId": order.cartId,
            "channel": cart.channel,
            "relatedParty": cart.relatedParty,
            "productOrderItem": cart.productOrderItem,
            "orderTotalPrice": cart.orderTotalPrice,
            "submission": order.submission,
            "stateHistory": [
                {
                    "state": change.state.value,
                    "date": timestamp(change.date),
                    **({"reason": change.reason} if change.reason else {}),
                }
                for change in order.stateHistory
            ],
        }
    )
    if order.mockScenario is not None:
        body["mockScenario"] = order.mockScenario
    return wire_document(_encode(body))
