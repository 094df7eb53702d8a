"""The carrier's JSON shape of a cart and of an order, shared by API answers and events.

A cart is encoded once per change: the struct's own msgspec encoding is what the store
keeps, and, as long as no object in it holds unknown fields (almost always), it is also
the wire document, the event snapshot and (with `href` spliced in) the answer. Only a
cart carrying unknown fields needs a second pass that puts them back where they were sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import msgspec
from msgspec import UNSET

from omnicart.domain.assessment import CartMemo
from omnicart.domain.cart import Cart
from omnicart.domain.order import Order
from omnicart.wire.open import flatten, has_extra
from omnicart.wire.orders import OrderView, StateChangeView, SubmittedOrder
from omnicart.wire.values import timestamp

__all__ = ["encode_cart", "list_document", "order_document", "submitted_order", "wire_document", "with_href"]

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


# Where a cart's encoded items go in the encoding of the rest of it: a control character,
# which JSON escapes inside every string, so it occurs there once and nowhere else.
_ITEMS_GO_HERE = b"\x01"


def encode_cart(cart: Cart, memo: CartMemo | None = None) -> tuple[bytes, bytes]:
    """(what the store keeps, the wire document without `href`). With the cart's `memo`,
    the items it kept encoded are spliced in as they are: on a large cart they are most
    of the document, and a change touches one of them. Whether the document holds unknown
    fields is then asked of the rest of the cart and of each item once, not of the whole
    document (a 200-item cart is ~130 KB: ~40 µs a search). The wire document is `doc`
    itself, the same object, exactly when it holds none: what the store is told (`plain`)."""
    if memo is None:
        doc = _encode(cart)
        return doc, wire_document(doc)
    fragments, items_extra = memo.fragments(cart.productOrderItem)
    rest = _encode(msgspec.structs.replace(cart, productOrderItem=msgspec.Raw(_ITEMS_GO_HERE)))
    head, tail = rest.split(_ITEMS_GO_HERE)
    doc = b"".join((head, b"[", b",".join(fragments), b"]", tail))
    return doc, _flattened(doc) if items_extra or has_extra(rest) else doc


def wire_document(doc: bytes) -> bytes:
    """The wire document of a stored cart (or order) encoding."""
    return _flattened(doc) if has_extra(doc) else doc


def _flattened(doc: bytes) -> bytes:
    """A document holding unknown fields as the wire has them: each in its object."""
    return _encode(flatten(_decode(doc)))


def with_href(wire: bytes, resource_id: str, href: str) -> bytes:
    """The document with `href` after its `id`, as the API answers it: a splice, not a
    second encoding (every document starts with its id)."""
    # One copy of the document (a 200-item cart is ~130 KB), not a slice and then a sum.
    return b"".join(_href_spliced(wire, resource_id, href))


def list_document(documents: Iterable[tuple[bytes, str, str]]) -> bytes:
    """A JSON array of (wire document, id, href), each as `with_href` answers it, made in
    one copy of the documents (not one per document, then the array's)."""
    parts: list[bytes | memoryview] = [b"["]
    for wire, resource_id, href in documents:
        parts += _href_spliced(wire, resource_id, href)
        parts.append(b",")
    parts[-1] = b"]" if len(parts) > 1 else b"[]"
    return b"".join(parts)


def _href_spliced(wire: bytes, resource_id: str, href: str) -> tuple[bytes | memoryview, ...]:
    head = b'{"id":' + _encode(resource_id) + b","
    if not wire.startswith(head):
        raise ValueError("a document must start with its id")
    return head, b'"href":', _encode(href), b",", memoryview(wire)[len(head) :]


def submitted_order(order: Order) -> SubmittedOrder:
    """Express submit's answer: exactly the carrier's five fields. A repeated submit of the
    same cart answers the same, so `state` is the state the order was submitted in."""
    return SubmittedOrder(
        id=order.id,
        customerOrderId=order.customerOrderId,
        state="Submitted",
        submissionDate=timestamp(order.submissionDate),
        orderSummaryAccessToken=order.orderSummaryAccessToken,
    )


def _moment(moment: datetime | None) -> str | None:
    return None if moment is None else timestamp(moment)


def order_document(order: Order, href: str | None) -> bytes:
    """The whole order as `OrderView` (omnicart's GET, and order event snapshots, which
    have no href): the carrier's ProductOrder fields of the submitted cart (its items,
    totals, accepted terms, delivery methods and billing enrollment), the order's own dates
    and state, the express-submit body as sent (`submission`), the state history and, for a
    fiber order, its service address and appointment.
    The cart's parts go to the encoder as the structs they are (native encoding, no
    builtins in between); unknown fields they hold are put back by `wire_document`.
    The store keeps what this renders (`href` aside) with each order (`orders.view`), and
    the order list sends it as kept: a change to what it renders needs a migration that
    renders the stored orders again, as 0013 did."""
    cart = order.cart
    view = OrderView(
        id=order.id,
        href=UNSET if href is None else href,
        customerOrderId=order.customerOrderId,
        state=order.state,
        submissionDate=timestamp(order.submissionDate),
        lastUpdate=timestamp(order.lastUpdate),
        completionDate=_moment(order.completionDate),
        cancellationDate=_moment(order.cancellationDate),
        cancellationReason=order.cancellationReason,
        orderSummaryAccessToken=order.orderSummaryAccessToken,
        cartId=order.cartId,
        channel=cart.channel,
        relatedParty=cart.relatedParty,
        productOrderItem=cart.productOrderItem,
        orderTotalPrice=cart.orderTotalPrice,
        agreement=cart.agreement,
        fulfillment=cart.fulfillment,
        enrollment=cart.enrollment,
        submission=order.submission,
        stateHistory=[StateChangeView(step.state, timestamp(step.date), step.reason) for step in order.stateHistory],
        mockScenario=order.mockScenario,
        serviceAddress=order.serviceAddress,
        appointment=order.appointment,
    )
    return wire_document(_encode(view))
