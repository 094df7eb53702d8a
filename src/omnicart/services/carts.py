"""Use cases of the cart: each is one store transaction, and the only way to the cart store.

A change reads the cart, applies the domain's change, prices and validates it, renders it
once and writes it back only if nobody changed it meanwhile (optimistic concurrency on the
cart's version). Changes to one cart within this process queue on a per-cart lock, so
only writers in other processes can race. The loser of such a race does not race again:
for a while its process makes its changes to that cart under the cart's lock in the store,
held for one short transaction (read the version, change, write, commit), so writers in
all processes queue there instead of wasting work, and the change holding it writes the
changes queued behind it in this process too, with one commit. Writers on different carts
never wait for each other.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from omnicart.clock import utc_now
from omnicart.domain import payment, rules
from omnicart.domain.assessment import CartMemo, assess
from omnicart.domain.cart import Cart, draft_expired
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
    CartWrite,
    ConsoleQueries,
    Effects,
    EventRecord,
    QuotaQueries,
    StoredResponse,
)
from omnicart.wire.cart import CartCreate, PaymentRef, ProductOrderItem
from omnicart.wire.decoding import RequestLimits
from omnicart.wire.payments import PaymentMethod

DEFAULT_LIMITS = RequestLimits()

# How often a change is tried again when another process changed the cart first: a
# safety net, as the second attempt is made under the cart's lock and cannot lose.
MAX_ATTEMPTS = 20

# How long after this process last saw another one write a cart its changes to that cart
# keep queueing on the cart's lock in the store rather than racing (`Contention`).
CONTENDED_SECONDS = 1.0

# How many queued changes of one cart one transaction writes at most: the cart's other
# writers (in other processes) wait for the whole batch.
MAX_BATCH = 32


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

# A change of a cart checked against its latest version, at a moment: what to write.
Prepare = Callable[[Cart, CartMemo, datetime], CartWrite]


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


@dataclass(eq=False)
class _Queued:
    """A change waiting for its cart in this process (see `CartService._write`)."""

    owner: str
    if_match: str | None
    prepare: Prepare
    removal: bool
    done: bool = False
    error: BaseException | None = None


class Contention:
    """The carts this process saw other processes write lately (it lost a race on one, or
    found the copy it kept behind), and when. Their changes go under the cart's lock in
    the store (`CartRepository.change_locked`) until `seconds` pass without another
    sighting: an optimistic attempt on them would likely lose. Bounded to `max_carts`."""

    def __init__(self, seconds: float = CONTENDED_SECONDS, max_carts: int = 1_000) -> None:
        self.seconds = seconds
        self.max_carts = max_carts
        self._seen: OrderedDict[str, float] = OrderedDict()

    def seen(self, cart_id: str) -> None:
        self._seen[cart_id] = time.monotonic()
        self._seen.move_to_end(cart_id)
        while len(self._seen) > self.max_carts:
            self._seen.popitem(last=False)

    def recent(self, cart_id: str) -> bool:
        at = self._seen.get(cart_id)
        if at is None:
            return False
        if time.monotonic() - at > self.seconds:
            del self._seen[cart_id]
            return False
        return True


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
        self._carts: OrderedDict[tuple[str, str], tuple[Cart, CartMemo]] = OrderedDict()
        self._items = 0

    def take(self, owner: str, cart_id: str) -> tuple[Cart, CartMemo] | None:
        kept = self._carts.pop((owner, cart_id), None)
        if kept is not None:
            self._items -= len(kept[0].productOrderItem) + 1
        return kept

    def put(self, owner: str, cart: Cart, memo: CartMemo) -> None:
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
        self.contention = Contention()
        self._queued: dict[str, list[_Queued]] = {}
        self._price_memo: dict[Any, PriceLines] = {}

    def revalidate(
        self, cart: Cart, now: datetime, *, protection_ineligible: bool = False, memo: CartMemo | None = None
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

    async def get_cart(self, owner: str, cart_id: str) -> Cart:
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
        cart = Cart.new(time_uuid(), request, now)
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
        methods: list[PaymentMethod],
        refs: list[PaymentRef],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record payment methods (`refs`, one per method, drawn by the caller so that its
        answer can name them) and, when one gives it, the customer's consent to every terms
        and conditions the cart needs now: a cart change like any other."""
        consent = any(method.storeTermsConditionConsent for method in methods)

        def change(cart: Cart) -> None:
            accepted = payment.agreements(terms_for(cart, self.catalog)) if consent else []
            cart.configure(refs, accepted)

        return await self._change(owner, cart_id, if_match, change, reply)

    async def abandon_cart(self, owner: str, cart_id: str, *, if_match: str | None = None) -> None:
        def prepare(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
            cart.ensure_modifiable()
            _, wire = encode_cart(cart, memo)
            return CartWrite(None, Effects(events=[cart_event(CART_DELETED, owner, wire, now)]))

        await self._write(owner, cart_id, if_match, prepare, keep=False)

    async def _change(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        change: Callable[[Cart], object],
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Apply `change` to the latest version of the cart, atomically."""
        rendered: list[RenderedCart] = []

        def prepare(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
            change(cart)
            self.revalidate(cart, now, memo=memo)
            cart.touch(now)
            doc, wire = encode_cart(cart, memo)
            rendered[:] = [RenderedCart(cart.id, cart.version, wire)]
            return CartWrite(doc, self._effects(CART_CHANGED, owner, rendered[0], now, reply))

        await self._write(owner, cart_id, if_match, prepare)
        return rendered[0]

    async def _write(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        prepare: Prepare,
        *,
        keep: bool = True,
    ) -> None:
        """Check the latest version of the cart, `prepare` its change and write it, until
        it is written or refused.

        A cart only this process writes is changed optimistically, on the copy kept from
        its last write: one statement, no lock held in the store. Once another process is
        seen writing the cart too (a lost race, or a kept copy found behind), its changes
        go under the cart's lock in the store for a while (`Contention`): writers in
        different processes then queue there instead of each redoing the work a lost race
        wasted, and whichever change of this process gets the lock writes every change
        queued here for the cart behind it in the same transaction, so a busy cart pays
        one commit per batch rather than per change. A refusal made on a kept copy is only
        believed once the store confirms it."""
        if not is_time_uuid(cart_id):
            raise CartNotFound(cart_id)
        mine = _Queued(owner, if_match, prepare, removal=not keep)
        queue = self._queued.setdefault(cart_id, [])
        queue.append(mine)
        try:
            async with self.locks.hold(cart_id):
                # Bounded although the locked way always writes: a safety net, not a retry policy.
                for _ in range(MAX_ATTEMPTS):
                    if mine.done:  # written (or refused) in the batch of a change before it
                        break
                    if self.contention.recent(cart_id):
                        await self._write_locked(owner, cart_id, self._batch(queue, mine))
                        break
                    written = await self._write_optimistically(owner, cart_id, if_match, prepare)
                    if written is not None:
                        if keep:
                            self.recent.put(owner, *written)
                        mine.done = True
                        break
        finally:
            if mine in queue:
                queue.remove(mine)
            if not queue and self._queued.get(cart_id) is queue:
                del self._queued[cart_id]
        if mine.error is not None:
            raise mine.error
        if not mine.done:
            raise StoreUnavailable(f"cart {cart_id} is changed by too many writers at once; retry")

    @staticmethod
    def _batch(queue: list[_Queued], first: _Queued) -> list[_Queued]:
        """`first` and the changes queued for the cart after it by the same owner, in order,
        up to MAX_BATCH and up to a removal (nothing can follow it); taken off the queue."""
        batch = [first]
        if not first.removal:
            for waiting in queue:
                if len(batch) == MAX_BATCH:
                    break
                if waiting is not first and not waiting.done and waiting.owner == first.owner:
                    batch.append(waiting)
                    if waiting.removal:
                        break
        queue[:] = [waiting for waiting in queue if waiting not in batch]
        return batch

    def _check(self, cart: Cart | None, cart_id: str, if_match: str | None, now: datetime) -> Cart:
        if cart is None or (self.cart_ttl is not None and cart.expired(now, self.cart_ttl)):
            raise CartNotFound(cart_id)
        cart.check_version(if_match)
        return cart

    async def _write_optimistically(
        self, owner: str, cart_id: str, if_match: str | None, prepare: Prepare
    ) -> tuple[Cart, CartMemo] | None:
        """The written cart and its memo; None when the attempt must be made again."""
        kept = self.recent.take(owner, cart_id)
        read, memo = kept or (await self.store.get(owner, cart_id), CartMemo())
        now = self.clock()
        try:
            cart = self._check(read, cart_id, if_match, now)
            expected = cart.version
            write = prepare(cart, memo, now)
        except DomainError:
            if kept is not None:
                return None  # perhaps only the kept copy is behind: ask the store
            raise
        if write.doc is None:
            written = await self.store.remove(owner, cart_id, expected, write.effects)
        else:
            written = await self.store.save(owner, cart, write.doc, expected, write.effects)
        if written:
            return cart, memo
        self.contention.seen(cart_id)
        return None

    async def _write_locked(self, owner: str, cart_id: str, batch: list[_Queued]) -> None:
        """Every change of `batch`, in order, under the cart's lock in the store, in one
        transaction; each is marked done, or given the error it is answered with."""
        kept = self.recent.take(owner, cart_id)
        kept_cart = None if kept is None else kept[0]
        first: list[Cart] = []
        # The memo goes with the cart object: a cart the store decodes (behind, or re-read
        # after a refusal) starts with an empty one.
        current: tuple[Cart | None, CartMemo] = kept or (None, CartMemo())

        def step(queued: _Queued) -> Callable[[Cart], CartWrite | None]:
            def change(cart: Cart) -> CartWrite | None:
                nonlocal current
                if not first:
                    first.append(cart)
                if current[0] is not cart:
                    current = (cart, CartMemo())
                # The clock is read under the lock, so lastUpdate never goes back in time.
                now = self.clock()
                try:
                    return queued.prepare(self._check(cart, cart_id, queued.if_match, now), current[1], now)
                except DomainError as refused:  # checked against the store: believed
                    queued.error = refused
                    return None

            return change

        try:
            cart = await self.store.change_locked(owner, cart_id, kept_cart, [step(queued) for queued in batch])
        except BaseException as failed:
            # Cancelled mid-way, the batch may or may not have committed: its other changes
            # must not be made again on their own, their clients retry (or replay a key).
            error = failed if isinstance(failed, Exception) else StoreUnavailable("the change was interrupted; retry")
            for queued in batch:
                queued.done, queued.error = True, error
            raise
        for queued in batch:
            queued.done = True
            if cart is None:
                queued.error = CartNotFound(cart_id)
        if first and first[0] is not kept_cart:
            self.contention.seen(cart_id)  # another process wrote it since this one did
        if cart is not None and not any(q.removal and q.error is None for q in batch):
            self.recent.put(owner, cart, current[1] if current[0] is cart else CartMemo())

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

        def deleted(owner: str, cart: Cart) -> Effects:
            return Effects(events=[cart_event(CART_DELETED, owner, encode_cart(cart)[1], now)])

        purged = 0
        while True:
            count = await self.store.purge_carts(now - self.cart_ttl, batch, deleted)
            purged += count
            if count < batch:
                return purged
