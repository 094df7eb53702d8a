"""Use cases of the cart: each is one store transaction, and the only way to the cart store.

A change reads the cart, applies the domain's change, prices and validates it, renders it
once and writes it back only if nobody changed it meanwhile (optimistic concurrency on the
cart's version). Changes to one cart within this process queue on a per-cart lock, so
only writers in other processes can race, and the loser simply goes again: no database
lock is held across round trips, and writers on different carts never wait for each other.
"""

from __future__ import annotations

import asyncio
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from omnicart.clock import utc_now
from omnicart.config import RequestLimits
from omnicart.domain import payment, rules
from omnicart.domain.assessment import CartMemo, assess
from omnicart.domain.cart import CartCreate, PaymentRef, ProductOrder, ProductOrderItem, draft_expired
from omnicart.domain.catalog import Catalog, load_default_catalog
from omnicart.domain.checkout import terms_for
from omnicart.domain.errors import CartNotFound, DomainError, LimitExceeded, StoreUnavailable
from omnicart.domain.events import CART_CHANGED, CART_CREATED, CART_DELETED, Event, new_event
from omnicart.domain.ids import is_time_uuid, time_uuid
from omnicart.domain.pricing import PriceLines, TaxTable, load_default_tax_table, price_cart
from omnicart.domain.representation import encode_cart, wire_document
from omnicart.services.quotas import Quota
from omnicart.store import (
    CartFilter,
    CartRepository,
    ConsoleQueries,
    Effects,
    EventRecord,
    QuotaQueries,
    StoredResponse,
)

DEFAULT_LIMITS = RequestLimits()

# How often a change is tried again when another process changed the cart first.
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class RenderedCart:
    """A cart as the carrier's document (without `href`, which depends on where the
    service is reached): rendered once per change, or read as stored."""

    id: str
    version: int
    wire: bytes

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


# The response a request with an Idempotency-Key is replayed with, made from the rendered
# cart and committed with the change.
Reply = Callable[[RenderedCart], StoredResponse]


def cart_event(event_type: str, owner: str, wire: bytes, at: datetime) -> Event:
    """An event about a cart, its snapshot the cart as the change left it."""
    return new_event(event_type, owner, "shoppingCart", wire, at)


class CartLocks:
    """One asyncio lock per cart being changed in this process, gone when nobody holds it."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, cart_id: str) -> AsyncIterator[None]:
        lock, users = self._held.get(cart_id) or (asyncio.Lock(), 0)
        self._held[cart_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._held[cart_id]
            if users == 1:
                del self._held[cart_id]
            else:
                self._held[cart_id] = (lock, users - 1)


class RecentCarts:
    """The carts this process wrote last, as it wrote them, so that the next change to one
    of them needs no read and no decoding of its document (for a 200-item cart, the
    largest single cost of a change). A copy is taken out while a change works on it and
    put back only once the change is written; if another process changed the cart
    meanwhile, the write finds the version moved on and the change starts again from the
    store. Bounded by the number of items held."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        # Each cart with what its last assessment kept of its items (domain/assessment.py).
        self._carts: OrderedDict[tuple[str, str], tuple[ProductOrder, CartMemo]] = OrderedDict()
        self._items = 0

    def take(self, owner: str, cart_id: str) -> tuple[ProductOrder, CartMemo] | None:
        kept = self._carts.pop((owner, cart_id), None)
        if kept is not None:
            self._items -= len(kept[0].productOrderItem) + 1
        return kept

    def put(self, owner: str, cart: ProductOrder, memo: CartMemo) -> None:
        self.take(owner, cart.id)
        self._carts[(owner, cart.id)] = (cart, memo)
        self._items += len(cart.productOrderItem) + 1
        while self._items > self.max_items and self._carts:
            _, (oldest, _) = self._carts.popitem(last=False)
            self._items -= len(oldest.productOrderItem) + 1


class CartService:
    def __init__(
        self,
        store: CartRepository,
        *,
        catalog: Catalog | None = None,
        taxes: TaxTable | None = None,
        limits: RequestLimits = DEFAULT_LIMITS,
        cart_ttl: timedelta | None = None,
        clock: Callable[[], datetime] = utc_now,
        cache_items: int = 2_000,
        max_drafts: int | None = None,
    ) -> None:
        """`cart_ttl`: how long a draft cart lives without a change (None: for ever);
        `cache_items`: how many cart items RecentCarts may hold (0: none); `max_drafts`:
        Draft carts per partner (OMNICART_MAX_DRAFT_CARTS_PER_PARTNER; None: no quota)."""
        self.max_drafts = max_drafts
        quota_store: QuotaQueries = store  # type: ignore[assignment]
        self._drafts = None if max_drafts is None else Quota(max_drafts, quota_store.count_drafts)
        self.store = store
        self.cart_ttl = cart_ttl
        self.catalog = catalog or load_default_catalog()
        self.taxes = taxes or load_default_tax_table()
        self.limits = limits
        self.rules = rules.CartLimits(max_items=limits.max_items_per_cart, max_quantity=limits.max_quantity)
        self.clock = clock
        self.locks = CartLocks()
        self.recent = RecentCarts(cache_items)
        self._price_memo: dict[Any, PriceLines] = {}

    def revalidate(
        self, cart: ProductOrder, now: datetime, *, protection_ineligible: bool = False, memo: CartMemo | None = None
    ) -> None:
        """Prices and validation against the catalog and the clock of `now`. Every change,
        checkout and express submit call it, as an offering may have expired since;
        `protection_ineligible` is the carrier's device check (a sandbox scenario). With
        the cart's `memo`, only what the change can have changed is worked out again."""
        if memo is not None:
            assess(
                cart,
                self.catalog,
                self.taxes,
                now,
                self.rules,
                memo,
                protection_ineligible=protection_ineligible,
                lines_memo=self._price_memo,
            )
            return
        price_cart(cart, self.catalog, self.taxes, self._price_memo)
        cart.validation = rules.validate_cart(
            cart, self.catalog, now, self.rules, protection_ineligible=protection_ineligible
        )

    # -- reading -----------------------------------------------------------------------

    def _expired(self, state: str, last_update: datetime, now: datetime) -> bool:
        """A draft past its time to live is gone, whether or not the purge has run yet."""
        return self.cart_ttl is not None and draft_expired(state, last_update, now, self.cart_ttl)

    async def get_cart(self, owner: str, cart_id: str) -> ProductOrder:
        cart = await self.store.get(owner, cart_id) if is_time_uuid(cart_id) else None
        if cart is None or (self.cart_ttl is not None and cart.expired(self.clock(), self.cart_ttl)):
            raise CartNotFound(cart_id)
        return cart

    async def read_cart(self, owner: str, cart_id: str) -> RenderedCart:
        """The cart as stored, not decoded: a read costs no rendering."""
        found = await self.store.read(owner, cart_id) if is_time_uuid(cart_id) else None
        if found is None or self._expired(found.state, found.last_update, self.clock()):
            raise CartNotFound(cart_id)
        return RenderedCart(found.id, found.version, wire_document(found.doc))

    async def find_carts(
        self, owner: str, found: CartFilter, *, limit: int, offset: int
    ) -> tuple[list[RenderedCart], int | None]:
        """A page of the partner's carts matching `found`, and how many match in all
        (None: more than the store counts, TOTAL_COUNTED)."""
        page, total = await self.store.find_carts(owner, found, limit, offset)
        return [RenderedCart(cart.id, cart.version, wire_document(cart.doc)) for cart in page], total

    # -- the console's look-ups (api/console.py) ------------------------------------------

    async def search_carts(
        self, owner: str, *, state: str | None, text: str | None, limit: int, offset: int
    ) -> list[RenderedCart]:
        """The partner's carts, most recently changed first, optionally in one state and
        whose id is `text` or whose document contains it (a customer's id or name)."""
        store: ConsoleQueries = self.store  # type: ignore[assignment]
        found = await store.search_carts(owner, state, text or None, limit, offset)
        return [RenderedCart(cart.id, cart.version, wire_document(cart.doc)) for cart in found]

    async def version_history(self, owner: str, cart_id: str, *, limit: int = 50) -> list[EventRecord]:
        """The cart's events still in the outbox (events are kept OMNICART_EVENT_RETENTION_SECONDS),
        newest first: each snapshot is the cart as that change left it."""
        store: ConsoleQueries = self.store  # type: ignore[assignment]
        return await store.list_events(owner, cart_id, limit, 0)

    # -- changing ----------------------------------------------------------------------

    async def _check_draft_quota(self, owner: str) -> None:
        """A soft quota, counted cheaply (services/quotas.py)."""
        if self._drafts is None:
            return
        if not await self._drafts.allows(owner, self.clock()):
            raise LimitExceeded(
                "productOrder",
                f"a partner may hold at most {self.max_drafts} draft carts;"
                " submit or delete some first (OMNICART_MAX_DRAFT_CARTS_PER_PARTNER)",
            )

    async def create_cart(self, owner: str, request: CartCreate, *, reply: Reply | None = None) -> RenderedCart:
        await self._check_draft_quota(owner)
        now = self.clock()
        cart = ProductOrder.new(time_uuid(), request, now)
        if request.items:
            cart.add_items(request.items, self.limits.max_items_per_cart)
        memo = CartMemo()
        self.revalidate(cart, now, memo=memo)
        doc, wire = encode_cart(cart, memo)
        rendered = RenderedCart(cart.id, cart.version, wire)
        await self.store.add(owner, cart, doc, self._effects(CART_CREATED, owner, rendered, now, reply))
        self.recent.put(owner, cart, memo)
        return rendered

    async def add_items(
        self,
        owner: str,
        cart_id: str,
        items: list[ProductOrderItem],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
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
    ) -> RenderedCart:
        """Replace an item by `change(current item)`, computed on the latest version."""
        return await self._change(
            owner, cart_id, if_match, lambda cart: cart.replace_item(change(cart.item(item_id))), reply
        )

    async def remove_item(self, owner: str, cart_id: str, item_id: str, *, if_match: str | None = None) -> RenderedCart:
        return await self._change(owner, cart_id, if_match, lambda cart: cart.remove_item(item_id))

    async def register_payment_methods(
        self,
        owner: str,
        cart_id: str,
        methods: list[payment.PaymentMethod],
        refs: list[PaymentRef],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record payment methods (`refs`, one per method, drawn by the caller so that its
        answer can name them) and, when one gives it, the customer's consent to every terms
        and conditions the cart needs now: a cart change like any other."""
        consent = any(method.storeTermsConditionConsent for method in methods)

        def change(cart: ProductOrder) -> None:
            accepted = payment.agreements(terms_for(cart, self.catalog)) if consent else []
            cart.configure(refs, accepted)

        return await self._change(owner, cart_id, if_match, change, reply)

    async def abandon_cart(self, owner: str, cart_id: str, *, if_match: str | None = None) -> None:
        async def attempt(cart: ProductOrder, memo: CartMemo, now: datetime) -> bool:
            cart.ensure_modifiable()
            _, wire = encode_cart(cart, memo)
            event = cart_event(CART_DELETED, owner, wire, now)
            return await self.store.remove(owner, cart.id, cart.version, Effects(events=[event]))

        await self._optimistically(owner, cart_id, if_match, attempt, keep=False)

    async def _change(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        change: Callable[[ProductOrder], object],
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Apply `change` to the latest version of the cart, atomically."""
        rendered: list[RenderedCart] = []

        async def attempt(cart: ProductOrder, memo: CartMemo, now: datetime) -> bool:
            expected = cart.version
            change(cart)
            self.revalidate(cart, now, memo=memo)
            cart.touch(now)
            doc, wire = encode_cart(cart, memo)
            rendered[:] = [RenderedCart(cart.id, cart.version, wire)]
            effects = self._effects(CART_CHANGED, owner, rendered[0], now, reply)
            return await self.store.save(owner, cart, doc, expected, effects)

        await self._optimistically(owner, cart_id, if_match, attempt)
        return rendered[0]

    async def _optimistically(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        attempt: Callable[[ProductOrder, CartMemo, datetime], Awaitable[bool]],
        *,
        keep: bool = True,
    ) -> None:
        """Read, check and `attempt` the change until it is written or refused; only a
        writer in another process can make an attempt lose, so few ever do. A refusal
        made on the copy this process kept is only believed once the store confirms it."""
        if not is_time_uuid(cart_id):
            raise CartNotFound(cart_id)
        async with self.locks.hold(cart_id):
            for tries in range(MAX_ATTEMPTS):
                kept = self.recent.take(owner, cart_id)
                cart, memo = kept or (await self.store.get(owner, cart_id), CartMemo())
                now = self.clock()
                try:
                    if cart is None or (self.cart_ttl is not None and cart.expired(now, self.cart_ttl)):
                        raise CartNotFound(cart_id)
                    cart.check_version(if_match)
                    written = await attempt(cart, memo, now)
                except DomainError:
                    if kept is not None:
                        continue  # perhaps only the kept copy is behind: ask the store
                    raise
                if written:
                    if keep:
                        self.recent.put(owner, cart, memo)
                    return
                if kept is None:
                    await asyncio.sleep(random.uniform(0, 0.002 * (tries + 1)))
        raise StoreUnavailable(f"cart {cart_id} is changed by too many writers at once; retry")

    @staticmethod
    def _effects(event_type: str, owner: str, rendered: RenderedCart, now: datetime, reply: Reply | None) -> Effects:
        # The change's event and the answer replayed for its Idempotency-Key commit with it.
        return Effects(
            events=[cart_event(event_type, owner, rendered.wire, now)], response=reply(rendered) if reply else None
        )

    # -- housekeeping --------------------------------------------------------------------

    async def purge_expired_carts(self, *, batch: int = 100) -> int:
        """Delete the drafts past their time to live, a batch per transaction, each with
        its ShoppingCartDeleteEvent; returns how many. Safe to run in every worker."""
        if self.cart_ttl is None:
            return 0
        now = self.clock()

        def deleted(owner: str, cart: ProductOrder) -> Effects:
            return Effects(events=[cart_event(CART_DELETED, owner, encode_cart(cart)[1], now)])

        purged = 0
        while True:
            count = await self.store.purge_carts(now - self.cart_ttl, batch, deleted)
            purged += count
            if count < batch:
                return purged
