"""How a cart is written to and read from a document column, for every store."""

from __future__ import annotations

import msgspec

from omnicart.domain.cart import ProductOrder
from omnicart.domain.events import Event

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ProductOrder)


def dump(cart: ProductOrder) -> bytes:
    return _encoder.encode(cart)


def load(doc: bytes | str) -> ProductOrder:
    return _decoder.decode(doc)


def dump_event(event: Event) -> bytes:
    return _encoder.encode(event)


def dump_headers(headers: list[tuple[str, str]]) -> str:
    return _encoder.encode(headers).decode()


def load_headers(text: str) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in msgspec.json.decode(text)]  # type: ignore[misc]
