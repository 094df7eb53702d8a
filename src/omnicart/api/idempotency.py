"""Idempotency-Key on every POST (IETF httpapi draft, Stripe semantics).

- same key, same request → the first response is replayed (status, body, headers) with
  `Idempotent-Replayed: true`;
- same key, different request → 422; same key while the first is still running → 409;
- keys are scoped per partner and kept for a retention period (docs/idempotency.md);
- a 5xx is not kept: the key is released and a retry runs again.

Handlers whose use case changes something hand the use case a `Reply` (`reply_for`):
data, with which it records the answer in the change's own transaction. Any other answer
(a 4xx, which changes nothing; a read) is recorded after it was sent: the edge
(api/edge.py) claims the key (`claim`), shows every message of the answer to its
`Recording` and settles the key with it once the request is over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnicart.api.context import PARTNER_KEY
from omnicart.api.errors import error_response
from omnicart.api.requests import BODY_KEY, read_within
from omnicart.domain.errors import LimitExceeded
from omnicart.runtime import services_of, settings_of
from omnicart.services.answers import CartAnswer
from omnicart.services.idempotency import Reply, Reservation
from omnicart.store import Claim, StoredResponse
from omnicart.wire.errors import ApiError

RESERVATION_KEY = "omnicart.idempotency"
REPLY_KEY = "omnicart.idempotency.reply"
REPLAYED_HEADERS = frozenset({b"content-type", b"location", b"etag", b"warning"})
MAX_KEY_LENGTH = 255


def reply_for(request: Request, cart: CartAnswer | None = None) -> Reply | None:
    """The `Reply` a use case records its answer with, when the request holds a key; for a
    cart change, `cart` says how its answer looks."""
    reservation: Reservation | None = request.scope.get(RESERVATION_KEY)
    if reservation is None:
        return None
    reply = Reply(reservation, cart)
    request.scope[REPLY_KEY] = reply
    return reply


@dataclass(frozen=True)
class Held:
    """A key claimed for the request now running, and the body it was claimed with."""

    reservation: Reservation
    body: bytes

    async def receive(self) -> Message:
        """The body again, for the request that runs (the edge read it to fingerprint it)."""
        return {"type": "http.request", "body": self.body, "more_body": False}


async def claim(scope: Scope, receive: Receive, key: str) -> Held | ASGIApp:
    """The key claimed for this request (its body read to fingerprint it, and kept in the
    scope for the handler), or the answer that settles the request without running it."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        return error_response(
            400,
            "OMNICART-IDEMPOTENCY-0400",
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
        )
    declared = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"content-length"), None)
    try:
        body = await read_within(receive, declared, settings_of(scope).limits.max_body_bytes)
    except ApiError as exc:  # the body over the size limit: 413
        return error_response(exc.status, exc.code, exc.message, exc.details)
    try:
        state, reservation = await services_of(scope).idempotency.claim(
            scope[PARTNER_KEY], key, _fingerprint(scope, body)
        )
    except LimitExceeded as exc:  # outside the routes' error mapping: answered here
        return error_response(422, exc.code, exc.message, exc.details)
    if state.claim is Claim.DONE:
        assert state.response is not None
        return _replay(state.response)
    if state.claim is Claim.MISMATCH:
        return error_response(
            422, "OMNICART-IDEMPOTENCY-0001", "this Idempotency-Key was already used for a different request"
        )
    if state.claim is Claim.RUNNING:
        return error_response(
            409,
            "OMNICART-IDEMPOTENCY-0409",
            "a request with this Idempotency-Key is still being processed; retry later",
            headers={"Retry-After": "1"},
        )
    scope[RESERVATION_KEY] = reservation
    scope[BODY_KEY] = body
    return Held(reservation, body)


class Recording:
    """The answer of the request that holds the key, as it is sent (omnicart's statuses,
    before any status profile), kept for the key unless its use case recorded it with its
    change; a 5xx gives the key back, so a retry runs again."""

    def __init__(self, held: Held) -> None:
        self.held = held
        self.status = 500
        self.headers: list[tuple[str, str]] = []
        self.chunks: list[bytes] = []

    def saw(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, v in message.get("headers", [])
                if k.lower() in REPLAYED_HEADERS
            ]
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    async def settle(self, scope: Scope) -> None:
        service = services_of(scope).idempotency
        reply: Reply | None = scope.get(REPLY_KEY)
        if self.status >= 500:
            await service.release(self.held.reservation)
        elif reply is None or not reply.recorded:
            await service.finish(self.held.reservation.response(self.status, self.headers, b"".join(self.chunks)))


def key_of(scope: Scope) -> str | None:
    """The request's Idempotency-Key, when it is a partner's POST that has one."""
    if scope["method"] != "POST" or PARTNER_KEY not in scope:
        return None
    raw = next((v for k, v in scope["headers"] if k == b"idempotency-key"), None)
    return None if raw is None else raw.decode("latin-1")


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{scope['method']} {scope['path']}?".encode())
    digest.update(scope.get("query_string", b""))
    digest.update(b"\n")
    digest.update(body)
    return digest.hexdigest()


def _replay(response: StoredResponse) -> ASGIApp:
    """The first answer to the key, sent again, marked as a replay."""

    async def replay(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        headers.append((b"idempotent-replayed", b"true"))
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})

    return replay
