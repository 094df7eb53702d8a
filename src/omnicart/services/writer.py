"""The write engine of carts: how a change of one cart reaches the store, safely and fast,
whatever else is changing that cart at the same moment. The use cases (services/carts.py)
only say what a change is (`Prepare`: the cart in, what to write out); `CartWriter.write`
decides how it is written.

- **Optimistic by default.** A change is prepared on the latest version of the cart and
  written only if the cart still has that version (`store.save(..., expected_version)`):
  one statement, no lock held in the store, and writers of different carts never wait for
  each other. Should another process have written the cart meanwhile, the change is
  prepared again on the new version.
- **One at a time per cart in this process.** Changes to one cart queue on a per-cart
  lock (`CartLocks`), so only writers in other processes can race.
- **Kept copies.** The process keeps the carts it wrote last (`RecentCarts`), with the
  memo of what each item came to (domain/assessment.py), so the next change to one of
  them reads and decodes nothing and re-prices only what it touched. A refusal made on a
  kept copy is believed only once the store confirms it: the copy may be behind.
- **Locked under contention.** The loser of a race does not race again: for a while
  after this process last saw another one write a cart (`Contention`), its changes to
  that cart go under the cart's lock in the store (`store.change_locked`, one short
  transaction), so writers in every process queue there instead of wasting work.
- **Batches.** The change holding that lock also writes every change queued behind it
  in this process for the same cart and owner, in the same transaction (up to
  MAX_BATCH, and up to a removal, after which nothing can follow): a busy cart pays one
  commit per batch rather than per change.

Bounded attempts remain as a safety net (then StoreUnavailable, a 503).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from omnicart.domain.assessment import CartMemo
from omnicart.domain.cart import Cart
from omnicart.domain.errors import CartNotFound, DomainError, StoreUnavailable
from omnicart.domain.ids import is_time_uuid
from omnicart.store import CartRepository, CartWrite

# How often a change is tried again when another process changed the cart first: a
# safety net, as the second attempt is made under the cart's lock and cannot lose.
MAX_ATTEMPTS = 20

# How long after this process last saw another one write a cart its changes to that cart
# keep queueing on the cart's lock in the store rather than racing (`Contention`).
CONTENDED_SECONDS = 1.0

# How many queued changes of one cart one transaction writes at most: the cart's other
# writers (in other processes) wait for the whole batch.
MAX_BATCH = 32

# A change of a cart checked against its latest version, at a moment: what to write. It
# runs inside the store's transaction when the cart is written under its lock, so it
# must only compute: no I/O, no awaiting.
Prepare = Callable[[Cart, CartMemo, datetime], CartWrite]

# The use case's check of the cart a change is about to act on (services/carts.py
# `changeable`): the cart as read (None: not found), its id, the If-Match given, the
# moment. Returns the cart or raises the refusal.
Check = Callable[[Cart | None, str, str | None, datetime], Cart]


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


class Contention:
    """The carts this process saw other processes write lately (it lost a race on one, or
    found the copy it kept behind), and when. Their changes go under the cart's lock in
    the store until `seconds` pass without another sighting: an optimistic attempt on
    them would likely lose. Bounded to `max_carts`."""

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


@dataclass(eq=False)
class _Queued:
    """A change waiting for its cart in this process."""

    owner: str
    if_match: str | None
    prepare: Prepare
    removal: bool
    done: bool = False
    error: BaseException | None = None


class CartWriter:
    """Writes the changes of carts (see the module's docstring). `check`: what the cart
    must be for a change to act on it; `clock`: the moment of a change; `cache_items`:
    how many cart items RecentCarts may hold (0: none)."""

    def __init__(
        self,
        store: CartRepository,
        *,
        check: Check,
        clock: Callable[[], datetime],
        cache_items: int = 2_000,
    ) -> None:
        self.store = store
        self.check = check
        self.clock = clock
        self.locks = CartLocks()
        self.recent = RecentCarts(cache_items)
        self.contention = Contention()
        self._queued: dict[str, list[_Queued]] = {}

    def created(self, owner: str, cart: Cart, memo: CartMemo) -> None:
        """A cart this process has just added to the store: kept for its next change."""
        self.recent.put(owner, cart, memo)

    def forget(self, owner: str, cart_id: str) -> None:
        """The cart is about to change outside this writer (express submit): its kept
        copy would be behind."""
        self.recent.take(owner, cart_id)

    async def write(
        self, owner: str, cart_id: str, if_match: str | None, prepare: Prepare, *, keep: bool = True
    ) -> None:
        """Check the latest version of the cart, `prepare` its change and write it, until
        it is written or refused (the refusal is raised). `keep`: the cart is kept for its
        next change (not after a removal)."""
        if not is_time_uuid(cart_id):
            raise CartNotFound(cart_id)
        mine = _Queued(owner, if_match, prepare, removal=not keep)
        queue = self._queued.setdefault(cart_id, [])
        queue.append(mine)
        try:
            async with self.locks.hold(cart_id):
                await self._attempts(owner, cart_id, mine, queue)
        finally:
            if mine in queue:
                queue.remove(mine)
            if not queue and self._queued.get(cart_id) is queue:
                del self._queued[cart_id]
        if mine.error is not None:
            raise mine.error
        if not mine.done:
            raise StoreUnavailable(f"cart {cart_id} is changed by too many writers at once; retry")

    async def _attempts(self, owner: str, cart_id: str, mine: _Queued, queue: list[_Queued]) -> None:
        # Bounded although the locked way always writes: a safety net, not a retry policy.
        for _ in range(MAX_ATTEMPTS):
            if mine.done:  # written (or refused) in the batch of a change before it
                return
            if self.contention.recent(cart_id):
                await self._write_locked(owner, cart_id, self._batch(queue, mine))
                return
            written = await self._write_optimistically(owner, cart_id, mine.if_match, mine.prepare)
            if written is not None:
                if not mine.removal:
                    self.recent.put(owner, *written)
                mine.done = True
                return

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

    async def _write_optimistically(
        self, owner: str, cart_id: str, if_match: str | None, prepare: Prepare
    ) -> tuple[Cart, CartMemo] | None:
        """The written cart and its memo; None when the attempt must be made again."""
        kept = self.recent.take(owner, cart_id)
        read, memo = kept or (await self.store.get(owner, cart_id), CartMemo())
        now = self.clock()
        try:
            cart = self.check(read, cart_id, if_match, now)
            expected = cart.version
            write = prepare(cart, memo, now)
        except DomainError:
            if kept is not None:
                return None  # perhaps only the kept copy is behind: ask the store
            raise
        if write.doc is None:
            written = await self.store.remove(owner, cart_id, expected, write.effects)
        else:
            written = await self.store.save(owner, cart, write.doc, expected, write.effects, write.plain)
        if written:
            return cart, memo
        self.contention.seen(cart_id)
        return None

    async def _write_locked(self, owner: str, cart_id: str, batch: list[_Queued]) -> None:
        """Every change of `batch`, in order, under the cart's lock in the store, in one
        transaction; each is marked done, or given the error it is answered with."""
        kept = self.recent.take(owner, cart_id)
        steps = _LockedSteps(self, cart_id, kept)
        try:
            cart = await self.store.change_locked(owner, cart_id, steps.kept_cart, [steps.step(q) for q in batch])
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
        if steps.stored_was_newer:
            self.contention.seen(cart_id)  # another process wrote it since this one did
        if cart is not None and not any(q.removal and q.error is None for q in batch):
            self.recent.put(owner, cart, steps.memo_of(cart))


class _LockedSteps:
    """The changes of a batch as the store runs them under the cart's lock: each gets the
    cart as the one before left it, with the memo that goes with that cart object (the
    kept one's, or an empty one for a cart the store decoded); a refusal is the store's
    own answer, so it is believed, and the next change gets the cart as it was."""

    def __init__(self, writer: CartWriter, cart_id: str, kept: tuple[Cart, CartMemo] | None) -> None:
        self.writer = writer
        self.cart_id = cart_id
        self.kept_cart = None if kept is None else kept[0]
        self.current: tuple[Cart | None, CartMemo] = kept or (None, CartMemo())
        self.first: Cart | None = None

    @property
    def stored_was_newer(self) -> bool:
        """Whether the store handed the first change a cart other than the kept copy."""
        return self.first is not None and self.first is not self.kept_cart

    def memo_of(self, cart: Cart) -> CartMemo:
        return self.current[1] if self.current[0] is cart else CartMemo()

    def step(self, queued: _Queued) -> Callable[[Cart], CartWrite | None]:
        def change(cart: Cart) -> CartWrite | None:
            if self.first is None:
                self.first = cart
            if self.current[0] is not cart:
                self.current = (cart, CartMemo())
            # The clock is read under the lock, so lastUpdate never goes back in time.
            now = self.writer.clock()
            try:
                checked = self.writer.check(cart, self.cart_id, queued.if_match, now)
                return queued.prepare(checked, self.current[1], now)
            except DomainError as refused:  # checked against the store: believed
                queued.error = refused
                return None

        return change
