"""How a cart or an order is written to and read from a document column, for every store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from omnicart.domain.cart import ProductOrder
from omnicart.domain.credentials import ApiKey, parse_scopes
from omnicart.domain.events import Event, Hub
from omnicart.domain.order import Order
from omnicart.domain.representation import timestamp
from omnicart.store import Claim, KeyState, StoredResponse

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(ProductOrder)


def dump(cart: ProductOrder) -> bytes:
    return _encoder.encode(cart)


def load(doc: bytes | str) -> ProductOrder:
    return _decoder.decode(doc)


_order_decoder = msgspec.json.Decoder(Order)


def dump_order(order: Order) -> bytes:
    return _encoder.encode(order)


def load_order(doc: bytes | str) -> Order:
    return _order_decoder.decode(doc)


def column_time(moment: datetime | str | None) -> str | None:
    """A timestamp as SQLite stores it: UTC ISO text with microseconds, so that text order
    is time order."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def as_datetime(moment: datetime | str) -> datetime:
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def dump_event(event: Event) -> bytes:
    return event.envelope


def hub_row(hub: Hub) -> tuple[Any, ...]:
    return (hub.id, hub.owner, hub.callback, hub.query, hub.secret, hub.created_at)


HUB_COLUMNS = "id, owner, callback, query, secret, created_at"


def load_hub(row: Any) -> Hub:
    return Hub(id=row[0], owner=row[1], callback=row[2], query=row[3], secret=row[4],
               created_at=_as_datetime(row[5]))


def dump_headers(headers: list[tuple[str, str]]) -> str:
    return _encoder.encode(headers).decode()


def load_headers(text: str) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in msgspec.json.decode(text)]  # type: ignore[misc]


def key_state(owner: str, key: str, row: Any, fingerprint: str) -> KeyState:
    """A stored idempotency row as the store contract describes it."""
    stored_fingerprint, state, status, headers, body, created_at, expires_at = row
    if stored_fingerprint != fingerprint:
        return KeyState(Claim.MISMATCH)
    if state == "running":
        return KeyState(Claim.RUNNING)
    return KeyState(Claim.DONE, StoredResponse(
        owner=owner, key=key, fingerprint=fingerprint, status=status,
        headers=load_headers(headers), body=bytes(body),
        created_at=_as_datetime(created_at), expires_at=_as_datetime(expires_at),
    ))


KEY_COLUMNS = "id, partner, secret_hash, scopes, created_at, revoked_at"


def load_key(row: Any) -> ApiKey:
    return ApiKey(id=row[0], partner=row[1], secret_hash=row[2], scopes=parse_scopes(row[3]),
                  created_at=_as_datetime(row[4]), revoked_at=_as_datetime(row[5]) if row[5] is not None else None)


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
