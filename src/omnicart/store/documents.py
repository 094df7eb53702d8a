"""How a cart is written to and read from a document column, for every store."""

from __future__ import annotations

import msgspec

from omnicart.domain.cart import ProductOrder

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ProductOrder)


def dump(cart: ProductOrder) -> bytes:
    return _encoder.encode(cart)


def load(doc: bytes | str) -> ProductOrder:
    return _decoder.decode(doc)
