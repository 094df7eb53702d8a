"""The store: one repository interface, one core (`core.py`: every unit of work and
every statement) and one thin adapter per database (`sqlite.py`, `postgres.py`).

`open_store(url)` picks the adapter from the URL scheme, so the rest of the service
never names a database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from omnicart.domain.cart import Cart
from omnicart.domain.credentials import ApiKey
from omnicart.domain.events import Event, Hub
from omnicart.domain.order import Order


@dataclass(frozen=True)
class StoredResponse:
    """The first response to an Idempotency-Key, kept to be replayed."""

    owner: str
    key: str
    fingerprint: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    created_at: datetime
    expires_at: datetime


class Claim(Enum):
    """What the store knows of an Idempotency-Key when a request arrives with it."""

    NEW = "new"  # first use (or the old record expired): the caller now holds the key
    RUNNING = "running"  # a request with this key is still being processed
    MISMATCH = "mismatch"  # the key was used for a different request
    DONE = "done"  # answered before: replay `response`


@dataclass(frozen=True)
class KeyState:
    claim: Claim
    response: StoredResponse | None = None


@dataclass(frozen=True)
class Effects:
    """What else a change commits, in the same transaction as the change itself."""

    events: list[Event] = field(default_factory=list)
    response: StoredResponse | None = None


NO_EFFECTS = Effects()


@dataclass(frozen=True)
class CartWrite:
    """What a change made under the cart's lock writes (`CartRepository.change_locked`):
    the changed cart as its document `doc`, or (`doc` None) the cart's removal, and the
    effects that commit with it."""

    doc: bytes | None
    effects: Effects = NO_EFFECTS


@dataclass(frozen=True)
class CartDocument:
    """A stored cart as bytes, for reads that need not decode it: `doc` is exactly what
    was given to `add`/`save`."""

    id: str
    version: int
    state: str
    last_update: datetime
    doc: bytes


# How far the finding queries count their matches: a page's total is exact up to this
# many and None beyond (docs/decisions.md, "Totals of long lists"). Counting is an index
# scan of every match, and of the table's pages for rows not yet vacuumed: for a partner
# with a million carts it cost 100 times the page, and 10 000 recent ones still 2-30 ms.
TOTAL_COUNTED = 1_000


@dataclass(frozen=True)
class CartFilter:
    """What `find_carts` keeps: every condition given (None: any). The range is on the
    cart's lastUpdate, `updated_from` inclusive, `updated_to` exclusive."""

    state: str | None = None
    customer_id: str | None = None  # the `relatedParty` whose role is "customer"
    updated_from: datetime | None = None
    updated_to: datetime | None = None


@dataclass(frozen=True)
class OrderFilter:
    """What `find_orders` keeps: every condition given (None: any). The range is on the
    submission date, `submitted_from` inclusive, `submitted_to` exclusive."""

    state: str | None = None
    customer_order_id: str | None = None
    cart_id: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


class CartRepository(Protocol):
    """What the services need from a database. Every method is one transaction.

    `doc` is the cart's JSON encoding, made once by the caller: the store writes those
    bytes as they are and never re-encodes the cart. The `id`, `version`, `state`,
    `created_at` and `updated_at` columns come from `cart` (timestamps as datetimes or
    ISO 8601 text); the owner is always passed alongside, never read from the cart.
    """

    async def add(self, owner: str, cart: Cart, doc: bytes, effects: Effects = NO_EFFECTS) -> None: ...

    async def get(self, owner: str, cart_id: str) -> Cart | None:
        """The owner's cart, decoded; None when it does not exist for this owner."""
        ...

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        """The owner's cart as stored, not decoded."""
        ...

    async def save(self, owner: str, cart: Cart, doc: bytes, expected_version: int, effects: Effects) -> bool:
        """Write `cart` with its effects iff the owner's stored cart still has version
        `expected_version`; False (nothing written, effects included) when it has another
        version, belongs to another owner or is gone. Optimistic: no lock is held between
        the caller's read and this write (`change_locked` is the locked way)."""
        ...

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        """Delete the cart with its effects iff it still has `expected_version`, like `save`."""
        ...

    async def change_locked(
        self,
        owner: str,
        cart_id: str,
        kept: Cart | None,
        changes: Sequence[Callable[[Cart], CartWrite | None]],
    ) -> Cart | None:
        """Change the owner's cart under its write lock, held for this one transaction
        only: writers of the same cart queue instead of racing, writers of other carts
        never wait. Each of `changes` in turn gets the cart as the one before left it (the
        first: `kept` itself when it still has the stored version, so the document is
        neither read nor decoded; else the stored document), changes it in place and says
        what to write, each write with its own effects — or None: nothing, and the next
        change gets the cart as it was before this one. A removal must be the last change.
        All of it commits at once (one commit for many changes of a busy cart). Returns the
        cart as the changes left it; None (no change called, nothing written) when the
        cart does not exist for this owner. Whatever a change raises rolls everything back
        and is raised again."""
        ...

    async def find_carts(
        self, owner: str, found: CartFilter, limit: int, offset: int
    ) -> tuple[list[CartDocument], int | None]:
        """A page of the owner's carts that match `found`, most recently changed first, and
        how many match in all (None: more than TOTAL_COUNTED)."""
        ...

    async def purge_carts(self, updated_before: datetime, limit: int, check: Callable[[str, Cart], Effects]) -> int:
        """Delete up to `limit` Draft carts, of any owner, last changed at or before
        `updated_before`, each with what `check(owner, cart)` returns; skips carts another
        transaction holds. Returns how many were deleted."""
        ...

    async def claim_key(
        self,
        owner: str,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
        stale_before: datetime,
    ) -> KeyState:
        """Take an Idempotency-Key for a request, atomically. A `running` claim older than
        `stale_before` belonged to a worker that died: it is taken over."""
        ...

    async def finish_key(self, response: StoredResponse) -> None: ...

    async def release_key(self, owner: str, key: str) -> None: ...

    async def purge_keys(self, now: datetime) -> int: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class KeyRepository(Protocol):
    """Where partners' API keys are kept: only their hashes, never a secret."""

    async def add_key(self, key: ApiKey) -> None: ...

    async def get_key(self, key_id: str) -> ApiKey | None: ...

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        """Every key (of one partner), revoked ones included, oldest first."""
        ...

    async def revoke_key(self, key_id: str, at: datetime) -> ApiKey | None:
        """Mark the key revoked at `at` (an earlier revocation stands); None if unknown."""
        ...


@dataclass(frozen=True)
class OrderPlacement:
    """What express submit decided: a new order, to be written with the submitted cart and
    the effects, or (`new` False) the order the cart became before, and nothing is written."""

    order: Order
    new: bool
    effects: Effects = NO_EFFECTS


class DuplicateCustomerOrderId(Exception):
    """The random customerOrderId of a new order is taken already; nothing was written."""


class OrderRepository(Protocol):
    """What the order use cases need from a database. Every method is one transaction."""

    async def place_order(
        self, owner: str, cart_id: str, place: Callable[[Cart, Order | None], OrderPlacement]
    ) -> OrderPlacement | None:
        """Read the cart under its write lock and the order it was submitted as (if any);
        `place` decides. A new placement writes the changed cart, the order and the effects
        together. None when the cart does not exist for this owner. Raises
        DuplicateCustomerOrderId when the new order's customerOrderId is taken."""
        ...

    async def get_order(self, owner: str, order_id: str) -> Order | None: ...

    async def find_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        """A page of the owner's orders that match `found`, newest submission first, and
        how many match in all (None: more than TOTAL_COUNTED)."""
        ...

    async def update_order(self, owner: str, order_id: str, change: Callable[[Order], Effects]) -> Order | None:
        """Like `CartRepository.update`, for an order."""
        ...

    async def claim_due_order(self, now: datetime, change: Callable[[Order], Effects]) -> Order | None:
        """Take one order, of any owner, whose next planned step is due at `now`, under a
        write lock no other worker waits for (another worker takes another order), and
        apply `change` to it. None when no order is due."""
        ...


@dataclass(frozen=True)
class Delivery:
    """One event on its way to one hub: `body` is the event envelope as it is POSTed, and
    `attempt` counts this try (1 for the first)."""

    event_id: str
    hub_id: str
    attempt: int
    callback: str
    secret: str
    body: bytes


class EventRepository(Protocol):
    """Listeners (hubs) and the delivery of the outbox's events to them."""

    async def add_hub(self, hub: Hub) -> None: ...

    async def get_hub(self, owner: str, hub_id: str) -> Hub | None: ...

    async def list_hubs(self, owner: str) -> list[Hub]: ...

    async def delete_hub(self, owner: str, hub_id: str) -> bool:
        """Remove the hub and what was still to be delivered to it."""
        ...

    async def fan_out(self, limit: int) -> int:
        """Turn up to `limit` new outbox events into one pending delivery per hub of the
        event's owner that existed when the event happened and wants its type. Returns how
        many events were fanned out; safe to run in every worker at once."""
        ...

    async def claim_deliveries(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Take up to `limit` deliveries due at `now`, oldest first, and hide them from
        other workers until `lease_until`: should this worker die mid-delivery, another
        one tries again then (at-least-once)."""
        ...

    async def delivered(self, event_id: str, hub_id: str, at: datetime) -> None: ...

    async def delivery_failed(
        self, event_id: str, hub_id: str, error: str, retry_at: datetime | None, at: datetime
    ) -> None:
        """Record a failed attempt: try again at `retry_at`, or (None) give up."""
        ...

    async def release_delivery(self, event_id: str, hub_id: str, retry_at: datetime) -> None:
        """Hand back a delivery claimed but not attempted (its hub's circuit is open): due
        again at `retry_at`, and the claim costs it no attempt."""
        ...

    async def purge_events(self, before: datetime) -> int:
        """Forget deliveries finished before `before`, and events older than it with
        nothing left to deliver. Returns how many events went."""
        ...


# -- the sandbox console's queries (omnicart/api/console.py) ------------------------------
# Read-mostly look-ups the console needs and the API does not; kept apart so the store
# rewrite can port them as one block (their SQL is the last block of sqlite.py/postgres.py).


@dataclass(frozen=True)
class DeliveryStatus:
    """Where one event stands with one hub."""

    hub_id: str
    callback: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    gave_up_at: datetime | None
    last_error: str | None

    @property
    def status(self) -> str:
        if self.delivered_at is not None:
            return "delivered"
        if self.gave_up_at is not None:
            return "given up"
        return "retrying" if self.attempts else "pending"


@dataclass(frozen=True)
class EventRecord:
    """An outbox event as the console shows it: the envelope and its deliveries."""

    event_id: str
    event_type: str
    created_at: datetime
    payload: bytes
    deliveries: list[DeliveryStatus]


class ConsoleQueries(Protocol):
    async def search_carts(
        self, owner: str, state: str | None, text: str | None, limit: int, offset: int
    ) -> list[CartDocument]:
        """The owner's carts, most recently changed first, optionally only those in `state`
        and those whose id is `text` or whose document contains it (e.g. a customer id)."""
        ...

    async def list_events(self, owner: str, cart_id: str | None, limit: int, offset: int) -> list[EventRecord]:
        """The owner's events still in the outbox, newest first, each with its deliveries;
        with `cart_id`, only the events whose snapshot is that cart (its version history)."""
        ...

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        """Make the delivery of the event to the owner's hub due again at `at` (delivered or
        given up before); False when there is no such delivery for this owner."""
        ...


class QuotaQueries(Protocol):
    """The counts behind the quotas per partner (docs/security.md)."""

    async def count_drafts(self, owner: str, limit: int) -> int:
        """How many Draft carts the owner has, counted up to `limit` (never more)."""
        ...

    async def count_live_keys(self, owner: str, now: datetime, limit: int) -> int:
        """How many of the owner's Idempotency-Keys have not expired at `now`, up to `limit`."""
        ...

    async def add_hub_within(self, hub: Hub, limit: int) -> bool:
        """Add `hub` iff its owner has fewer than `limit` hubs, atomically; False when the
        owner has `limit` already (nothing added)."""
        ...


class CartStore(CartRepository, ConsoleQueries, QuotaQueries, Protocol):
    """What the cart's use cases need: the carts, the console's look-ups of them, and the
    draft quota's count."""


class Store(CartRepository, KeyRepository, OrderRepository, EventRepository, ConsoleQueries, QuotaQueries, Protocol):
    """One database, every repository."""


async def open_store(url: str, *, pool_size: int = 10, busy_timeout_ms: int = 10_000) -> Store:
    if url.startswith("sqlite:"):
        from omnicart.store.sqlite import SQLiteStore

        return await SQLiteStore.open(url, busy_timeout_ms=busy_timeout_ms)
    if url.startswith(("postgresql:", "postgres:")):
        from omnicart.store.postgres import PostgresStore

        return await PostgresStore.open(url, pool_size=pool_size)
    raise ValueError(f"unsupported OMNICART_DATABASE_URL scheme: {url.split(':', 1)[0]!r}")
