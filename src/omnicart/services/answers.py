"""What the cart's use cases answer, and how that answer goes on the wire.

A change renders its cart once (`RenderedCart`: the carrier's document, without `href`);
the HTTP layer sends it, and a request holding an Idempotency-Key has the same answer
recorded in the change's own transaction. So that both are the same bytes and the use
case never calls back into the HTTP layer, the shape of the answer is data the HTTP layer
hands down (`CartAnswer`), rendered by the one function here.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from omnicart.domain.representation import wire_document, with_href
from omnicart.domain.shopping_cart import shopping_cart
from omnicart.store import CartDocument

# status, headers, body: a response as it is sent and as it is stored for a replay
Rendered = tuple[int, list[tuple[str, str]], bytes]

JSON = ("content-type", "application/json")


class RenderedCart(msgspec.Struct, frozen=True):
    """A cart as the carrier's document (without `href`, which depends on where the
    service is reached): rendered once per change, or read as stored. `answer`: what the
    change answers instead of the document, when that is made of the changed cart (the
    direct-fulfilment calls answer the cart's new validation). A Struct: a page of carts
    makes twenty."""

    id: str
    version: int
    wire: bytes
    name: str | None = None  # its customer order id, when the change that rendered it knows it
    answer: bytes | None = None  # what the change answers instead of the document

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    @classmethod
    def stored(cls, found: CartDocument) -> RenderedCart:
        """A cart as the store keeps it: its document is the wire document (unknown
        fields aside), so nothing is decoded; a document the store knows holds none is
        not even looked through (on a 200-item cart, a fifth of a read's CPU)."""
        return cls(found.id, found.version, found.doc if found.plain else wire_document(found.doc))


@dataclass(frozen=True)
class CartAnswer:
    """How a cart is answered: `carts_url` is where the service's carts are reached
    (`https://host/omni-svcs/v1/carts`; a cart's `href` is that and its id), `status` the
    success status, `location` whether the answer names a new cart, `body` an answer that
    is not the cart's document (payment methods answer their own; the cart's ETag is
    still sent), `by_name` an answer that is only the cart's second name, `{"id": "NN-…"}`
    (the older `order/create`: the carrier's whole answer), `warning` the request's
    Warning header (recorded with the answer, so a replay says it again). Without `body`,
    the change's own answer (`RenderedCart.answer`) or the cart's document."""

    carts_url: str
    status: int = 200
    location: bool = False
    body: bytes | None = None
    by_name: bool = False
    warning: str | None = None  # the request's `Warning` header: fields its body had that were not used
    tmf: bool = False  # the cart as TMF663's ShoppingCart (domain/shopping_cart.py), not the carrier's document

    def href(self, cart_id: str) -> str:
        return f"{self.carts_url}/{cart_id}"

    def render(self, cart: RenderedCart, body: bytes | None = None) -> Rendered:
        """The answer as sent, and as stored for a replay: the rendered document with its
        `href` spliced in, no second encoding; or `body` (else `self.body`) when the
        answer is not the cart (a credit application's, made by its use case)."""
        href = self.href(cart.id)
        headers = [JSON, ("etag", cart.etag)]
        if self.location:
            headers.append(("location", href))
        if self.warning is not None:
            headers.append(("warning", self.warning))
        body = body if body is not None else self.body if self.body is not None else cart.answer
        if self.by_name:
            if cart.name is None:
                raise ValueError(f"cart {cart.id} has no name to answer with")
            body = _encode({"id": cart.name})
        elif body is None:
            body = shopping_cart_document(cart, href) if self.tmf else with_href(cart.wire, cart.id, href)
        return self.status, headers, body


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def shopping_cart_document(cart: RenderedCart, href: str) -> bytes:
    """The rendered cart as TMF663's ShoppingCart at `href`."""
    return _encode(shopping_cart(_decode(cart.wire), href))


def document(body: bytes) -> Rendered:
    """An answer that is a JSON document as the use case rendered it (express submit's)."""
    return 200, [JSON], body
