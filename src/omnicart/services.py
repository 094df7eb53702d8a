"""Use cases of the cart API. Each is one store transaction; this module and ordering.py
(the order use cases) are the only callers of the store. Inputs arrive already validated
and translated into domain terms by the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from omnicart.config import Limits
from omnicart.domain import rules
from omnicart.domain.cart import ProductOrder, ProductOrderItem, State
from omnicart.domain.catalog import Catalog, load_default_catalog
from omnicart.domain.errors import CartNotFound
from omnicart.domain.events import CART_CHANGED, CART_CREATED, CART_DELETED, Event, new_event
from omnicart.domain.ids import is_time_uuid, time_uuid
from omnicart.domain.pricing import TaxTable, load_default_tax_table, price_cart
from omnicart.domain.representation import cart_document
from omnicart.store import CartRepository, Effects, KeyState, StoredResponse, documents

# Builds the response a request with an Idempotency-Key will be replayed with, from the
# cart as the change leaves it; it is stored in the same transaction as the change.
Reply = Callable[[ProductOrder], StoredResponse]


_encode = msgspec.json.Encoder().encode


def utc_now() -> datetime:
    """Now, at the millisecond precision of the carrier's timestamps."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def cart_event(event_type: str, cart: ProductOrder, at: datetime) -> Event:
    """An event about a cart, its snapshot the cart as the change left it."""
    return new_event(event_type, cart.owner, "shoppingCart", _encode(cart_document(cart, None)), at)


def _effects(event: Event, reply: Reply | None, cart: ProductOrder) -> Effects:
    # The change's event and the response replayed for its Idempotency-Key commit with it.
    return Effects(events=[event], response=reply(cart) if reply else None)


@dataclass(frozen=True)
class NewCart:
    channel: dict[str, Any]
    relatedParty: list[dict[str, Any]]
    items: list[ProductOrderItem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class CartService:
    def __init__(
        self,
        store: CartRepository,
        *,
        catalog: Catalog | None = None,
        taxes: TaxTable | None = None,
        limits: Limits = Limits(),
        cart_ttl: timedelta | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`cart_ttl`: how long a draft cart lives without a change (None: for ever)."""
        self.store = store
        self.cart_ttl = cart_ttl
        self.catalog = catalog or load_default_catalog()
        self.taxes = taxes or load_default_tax_table()
        self.limits = limits
        self.rules = rules.Limits(max_items=limits.max_items_per_cart, max_quantity=limits.max_quantity)
        self.clock = clock
        self._price_memo: dict = {}

    def _refresh(self, cart: ProductOrder, now: datetime) -> None:
        """Re-derive everything that depends on the items: prices, then validation."""
        self.revalidate(cart, now)

    def revalidate(self, cart: ProductOrder, now: datetime, *, protection_ineligible: bool = False) -> None:
        """Prices and validation against the catalog and the clock of `now`. Checkout and
        express submit call it too, as an offering may have expired since the last change;
        `protection_ineligible` is the carrier's device check (a sandbox scenario)."""
        price_cart(cart, self.catalog, self.taxes, self._price_memo)
        cart.validation = rules.validate_cart(
            cart, self.catalog, now, self.rules, protection_ineligible=protection_ineligible
        )

    async def create_cart(self, owner: str, new: NewCart, *, reply: Reply | None = None) -> ProductOrder:
        now = self.clock()
        cart = ProductOrder(
            id=time_uuid(),
            owner=owner,
            version=1,
            state=State.DRAFT,
            creationDate=now,
            lastUpdate=now,
            channel=new.channel,
            relatedParty=new.relatedParty,
            extra=new.extra,
        )
        if new.items:
            cart.add_items(new.items, self.limits.max_items_per_cart)
        self._refresh(cart, now)
        effects = _effects(cart_event(CART_CREATED, cart, now), reply, cart)
        await self.store.add(owner, cart, documents.dump(cart), effects)
        return cart

    def _check_alive(self, cart: ProductOrder, now: datetime) -> None:
        """A draft past its time to live is gone, whether or not the purge has run yet."""
        if self.cart_ttl is not None and cart.expired(now, self.cart_ttl):
            raise CartNotFound(cart.id)

    async def get_cart(self, owner: str, cart_id: str) -> ProductOrder:
        cart = await self.store.get(owner, cart_id) if is_time_uuid(cart_id) else None
        if cart is None:
            raise CartNotFound(cart_id)
        self._check_alive(cart, self.clock())
        return cart

    async def list_carts(self, owner: str, *, limit: int, offset: int) -> list[ProductOrder]:
        return await self.store.list(owner, limit, offset)

    async def abandon_cart(self, owner: str, cart_id: str, *, if_match: str | None = None) -> None:
        def check(cart: ProductOrder) -> Effects:
            now = self.clock()
            self._check_alive(cart, now)
            cart.check_version(if_match)
            cart.ensure_modifiable()
            return Effects(events=[cart_event(CART_DELETED, cart, now)])

        if not is_time_uuid(cart_id) or not await self.store.delete(owner, cart_id, check):
            raise CartNotFound(cart_id)

    async def _change(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        change: Callable[[ProductOrder], None],
        reply: Reply | None = None,
    ) -> ProductOrder:
        """Apply `change` to the latest version of the cart, atomically."""

        def apply(cart: ProductOrder) -> Effects:
            now = self.clock()
            self._check_alive(cart, now)
            cart.check_version(if_match)
            change(cart)
            self._refresh(cart, now)
            cart.touch(now)
            return _effects(cart_event(CART_CHANGED, cart, now), reply, cart)

        changed = await self.store.update(owner, cart_id, apply) if is_time_uuid(cart_id) else None
        if changed is None:
            raise CartNotFound(cart_id)
        return changed

    async def add_items(
        self,
        owner: str,
        cart_id: str,
        items: list[ProductOrderItem],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> ProductOrder:
        return await self._change(
            owner, cart_id, if_match, lambda cart: cart.add_items(items, self.limits.max_items_per_cart), reply
        )

    async def update_item(
        self,
        owner: str,
        cart_id: str,
        item_id: str,
        change: Callable[[ProductOrderItem], ProductOrderItem],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> ProductOrder:
        """Replace an item by `change(current item)`, computed on the latest version."""
        return await self._change(
            owner, cart_id, if_match, lambda cart: cart.replace_item(change(cart.item(item_id))), reply
        )

    async def remove_item(
        self, owner: str, cart_id: str, item_id: str, *, if_match: str | None = None
    ) -> ProductOrder:
        return await self._change(owner, cart_id, if_match, lambda cart: cart.remove_item(item_id))

    async def purge_expired_carts(self, *, batch: int = 100) -> int:
        """Delete the drafts past their time to live, a batch per transaction, each with
        its ShoppingCartDeleteEvent; returns how many. Safe to run in every worker."""
        if self.cart_ttl is None:
            return 0
        now = self.clock()
        purged = 0
        while True:
            count = await self.store.purge_carts(
                now - self.cart_ttl, batch, lambda _owner, cart: Effects(events=[cart_event(CART_DELETED, cart, now)])
            )
            purged += count
            if count < batch:
                return purged


@dataclass(frozen=True)
class Reservation:
    """An Idempotency-Key held by the request being processed."""

    owner: str
    key: str
    fingerprint: str
    created_at: datetime
    expires_at: datetime

    def response(self, status: int, headers: list[tuple[str, str]], body: bytes) -> StoredResponse:
        return StoredResponse(self.owner, self.key, self.fingerprint, status, headers, body,
                              self.created_at, self.expires_at)


class IdempotencyService:
    """Idempotency-Key bookkeeping (IETF httpapi draft, Stripe semantics).

    Keys are scoped per partner and kept for `retention`; a key still `running` after
    `lease` belonged to a worker that died mid-request and may be taken over.
    """

    def __init__(
        self,
        store: CartRepository,
        *,
        retention: timedelta = timedelta(hours=24),
        lease: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.retention = retention
        self.lease = lease
        self.clock = clock

    async def claim(self, owner: str, key: str, fingerprint: str) -> tuple[KeyState, Reservation]:
        now = self.clock()
        reservation = Reservation(owner, key, fingerprint, now, now + self.retention)
        state = await self.store.claim_key(owner, key, fingerprint, now, reservation.expires_at,
                                           now - self.lease)
        return state, reservation

    async def finish(self, response: StoredResponse) -> None:
        await self.store.finish_key(response)

    async def release(self, reservation: Reservation) -> None:
        await self.store.release_key(reservation.owner, reservation.key)

    async def purge(self) -> int:
        return await self.store.purge_keys(self.clock())
