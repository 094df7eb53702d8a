"""Idempotency-Key bookkeeping (IETF httpapi draft, Stripe semantics).

Keys are scoped per partner and kept for `retention`; a key still `running` after `lease`
belonged to a worker that died mid-request and may be taken over. A change made under a
key records its answer in its own transaction (`Reply`, handed down by the HTTP layer as
data); any other answer is recorded after it was sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from omnicart.clock import utc_now
from omnicart.domain.errors import LimitExceeded
from omnicart.services.answers import CartAnswer, Rendered, RenderedCart
from omnicart.store import Claim, KeyState, KeyStore, StoredResponse


@dataclass(frozen=True)
class Reservation:
    """An Idempotency-Key held by the request being processed."""

    owner: str
    key: str
    fingerprint: str
    created_at: datetime
    expires_at: datetime

    def response(self, status: int, headers: list[tuple[str, str]], body: bytes) -> StoredResponse:
        return StoredResponse(
            self.owner, self.key, self.fingerprint, status, headers, body, self.created_at, self.expires_at
        )


@dataclass(eq=False)
class Reply:
    """The answer to a request holding an Idempotency-Key, recorded for the key by the use
    case in the transaction of the change the request makes: the key held, and for a cart
    change, how its answer looks (`cart`). The HTTP layer hands it down and, afterwards,
    reads `recorded`: a key whose answer is recorded needs no second write."""

    key: Reservation
    cart: CartAnswer | None = None
    recorded: bool = field(default=False, init=False)

    def record(self, rendered: Rendered) -> StoredResponse:
        """The stored response of `rendered`, to commit with the change."""
        self.recorded = True
        return self.key.response(*rendered)

    def record_cart(self, rendered: RenderedCart) -> StoredResponse | None:
        """The stored response of a cart change, rendered as the HTTP layer said its answer
        looks (`cart`; the change's own answer, `rendered.answer`, as its body when it made
        one); None when the request's answer is not a cart's."""
        return self.record(self.cart.render(rendered)) if self.cart is not None else None


class IdempotencyService:
    def __init__(
        self,
        store: KeyStore,
        *,
        retention: timedelta = timedelta(hours=24),
        lease: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = utc_now,
        max_keys: int | None = None,
    ) -> None:
        """`max_keys`: live keys per partner (OMNICART_MAX_IDEMPOTENCY_KEYS_PER_PARTNER;
        None: no quota)."""
        self.store = store
        self.max_keys = max_keys
        self.retention = retention
        self.lease = lease
        self.clock = clock

    async def claim(self, owner: str, key: str, fingerprint: str) -> tuple[KeyState, Reservation]:
        now = self.clock()
        reservation = Reservation(owner, key, fingerprint, now, now + self.retention)
        state = await self.store.claim_key(
            owner, key, fingerprint, now, reservation.expires_at, now - self.lease, self.max_keys
        )
        if state.claim is Claim.FULL:  # nothing was taken (store/quotas.py)
            raise LimitExceeded(
                "Idempotency-Key",
                f"a partner may hold at most {self.max_keys} live"
                " Idempotency-Keys; retry without one, or once older keys expire"
                " (OMNICART_MAX_IDEMPOTENCY_KEYS_PER_PARTNER)",
            )
        return state, reservation

    async def finish(self, response: StoredResponse) -> None:
        await self.store.finish_key(response)

    async def release(self, reservation: Reservation) -> None:
        await self.store.release_key(reservation.owner, reservation.key)

    async def purge(self) -> int:
        return await self.store.purge_keys(self.clock())
