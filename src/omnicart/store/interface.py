"""The store's interface: one protocol per need of its callers (`Store`: all of them).
Four of their methods run their caller's code inside their transaction: store/hooks.py
says how such a hook behaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from omnicart.domain.cart import Cart
from omnicart.domain.credentials import ApiKey
from omnicart.domain.events import Hub
from omnicart.domain.order import Order
from omnicart.store.hooks import CartChange, OrderChange, PlaceOrder, PurgeCheck
from omnicart.store.values import (
    NO_EFFECTS,
    Backlog,
    CartDocument,
    CartFilter,
    CartSearch,
    Delivery,
    Effects,
    EventFilter,
    EventRecord,
    KeyState,
    OrderDocument,
    OrderFilter,
    OrderPlacement,
    Pool,
    Snapshot,
    StoredResponse,
)

# -- the protocols ------------------------------------------------------------------------


class CartRepository(Protocol):
    """What the services need from a database. Every method is one transaction.

    `doc` is the cart's JSON encoding, made once by the caller: the store writes those
    bytes as they are and never re-encodes the cart. `plain`, where the caller knows it
    (`encode_cart` does), says whether `doc` holds no unknown fields (None: the store
    looks, a search of the whole document). The `id`, `version`, `state`,
    `created_at` and `updated_at` columns come from `cart` (timestamps as datetimes or
    ISO 8601 text); the owner is always passed alongside, never read from the cart.
    """

    async def add(
        self, owner: str, cart: Cart, doc: bytes, effects: Effects = NO_EFFECTS, plain: bool | None = None
    ) -> None: ...

    async def get(self, owner: str, cart_id: str) -> Cart | None:
        """The owner's cart, decoded; None when it does not exist for this owner."""
        ...

    async def cart_named(self, owner: str, customer_order_id: str) -> str | None:
        """The id of the owner's cart with this second name (its customer order id, given
        by `order/create`), or None."""
        ...

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        """The owner's cart as stored, not decoded."""
        ...

    async def save(
        self, owner: str, cart: Cart, doc: bytes, expected_version: int, effects: Effects, plain: bool | None = None
    ) -> bool:
        """Write `cart` with its effects iff the owner's stored cart still has version
        `expected_version`; False (nothing written, effects included) when it has another
        version, belongs to another owner or is gone. Optimistic: no lock is held between
        the caller's read and this write (`change_locked` is the locked way)."""
        ...

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        """Delete the cart with its effects iff it still has `expected_version`, like `save`."""
        ...

    async def change_locked(
        self, owner: str, cart_id: str, kept: Cart | None, changes: Sequence[CartChange]
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

    async def purge_carts(self, updated_before: datetime, limit: int, check: PurgeCheck) -> int:
        """Delete up to `limit` Draft carts, of any owner, last changed at or before
        `updated_before`, each with what `check(owner, cart)` returns; skips carts another
        transaction holds. Returns how many were deleted."""
        ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class IdempotencyKeys(Protocol):
    """Idempotency-Keys and the answers kept for them (services/idempotency.py). A change
    made under a key commits its answer with it (`Effects.response`)."""

    async def claim_key(
        self,
        owner: str,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
        stale_before: datetime,
        quota: int | None = None,
    ) -> KeyState:
        """Take an Idempotency-Key for a request, atomically. A `running` claim older than
        `stale_before` belonged to a worker that died: it is taken over. With `quota`, a
        key that becomes live is taken only while the owner holds fewer live keys (else
        `Claim.FULL`, nothing taken), exactly under any concurrency (store/quotas.py)."""
        ...

    async def finish_key(self, response: StoredResponse) -> None: ...

    async def release_key(self, owner: str, key: str) -> None: ...

    async def purge_keys(self, now: datetime) -> int: ...


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


class OrderRepository(Protocol):
    """What the order use cases need from a database. Every method is one transaction."""

    async def place_order(self, owner: str, cart_id: str, place: PlaceOrder) -> OrderPlacement | None:
        """Read the cart under its write lock and the order it was submitted as (if any);
        `place` decides. A new placement writes the changed cart, the order and the effects
        together, and takes a seat of its `booking`'s slot: when the slot has none left
        (another order took the last, even one committed a moment ago by another worker),
        nothing is written and AppointmentRefused is raised. None when the cart does not
        exist for this owner. Raises DuplicateCustomerOrderId when the new order's
        customerOrderId is taken."""
        ...

    async def get_order(self, owner: str, order_id: str) -> Order | None: ...

    async def find_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        """A page of the owner's orders that match `found`, newest submission first, and
        how many match in all (None: more than TOTAL_COUNTED)."""
        ...

    async def read_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[OrderDocument], int | None]:
        """`find_orders`' page as the API answers it, read as stored: no order decoded."""
        ...

    async def update_order(self, owner: str, order_id: str, change: OrderChange) -> Order | None:
        """Read the owner's order under its write lock, apply `change` to it and write it
        with the effects `change` returns. None when it does not exist for this owner."""
        ...

    async def claim_due_order(self, now: datetime, change: OrderChange) -> Order | None:
        """Take one order, of any owner, whose next planned step is due at `now`, under a
        write lock no other worker waits for (another worker takes another order), and
        apply `change` to it. None when no order is due."""
        ...


class AppointmentRepository(Protocol):
    """The technician appointments booked with orders (`OrderPlacement.booking`): what is
    left of a slot is its capacity less these, whoever the scheduling provider is."""

    async def booked(self, address_id: str, first: date, last: date) -> dict[str, int]:
        """How many appointments each slot at the address has booked, for the slots of the
        days from `first` to `last` (both included); a slot with none is not listed."""
        ...


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


class ConsoleQueries(Protocol):
    """Read-mostly look-ups the sandbox console needs and the API does not."""

    async def search_carts(
        self, owner: str, found: CartSearch, limit: int, offset: int
    ) -> tuple[list[CartDocument], int | None]:
        """A page of the owner's carts matching `found` (a customer id as its text, say),
        most recently changed first; and how many match in all (None: more than
        TOTAL_COUNTED)."""
        ...

    async def list_events(
        self, owner: str, chosen: EventFilter, limit: int, offset: int
    ) -> tuple[list[EventRecord], int | None]:
        """A page of the owner's events still in the outbox that match `chosen`, newest
        first, each with its deliveries; and how many match in all (None: more than
        TOTAL_COUNTED). With `chosen.cart_id`, the events whose snapshot is that cart (its
        version history) or the order it became."""
        ...

    async def hub_backlog(self, owner: str, hub_id: str) -> Backlog:
        """What the owner's hub has still to receive: how many deliveries wait, the oldest
        of them and the newest failed delivery (empty for another owner's hub)."""
        ...

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        """Make the delivery of the event to the owner's hub due again at `at` (delivered or
        given up before); False when there is no such delivery for this owner."""
        ...


class QuotaQueries(Protocol):
    """The quotas per partner, taken atomically with what they limit, and their exact
    counts (docs/security.md, "Quotas"; store/quotas.py)."""

    async def add_within(
        self, owner: str, cart: Cart, doc: bytes, effects: Effects, quota: int, plain: bool | None = None
    ) -> bool:
        """`CartRepository.add` iff the owner then has at most `quota` Draft carts,
        atomically, across any number of workers; False: nothing written."""
        ...

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


class StoreStatistics(Protocol):
    """What the metrics read of the store (docs/metrics.md)."""

    async def stats(self) -> Snapshot:
        """The whole database's counts: two grouped counts and one outbox query, each a
        statement of its own (a job runs them every OMNICART_METRICS_REFRESH_SECONDS in
        every worker)."""
        ...

    def pool_status(self) -> Pool:
        """This worker's connections to the database, from memory only: no query, so it
        is cheap enough for every scrape."""
        ...


# -- what each use case needs: the repositories it calls, one protocol ---------------------


class CartStore(CartRepository, ConsoleQueries, QuotaQueries, Protocol):
    """The cart's use cases (services/carts.py): the carts, the console's look-ups of
    them, and the count behind the draft quota."""


class KeyStore(IdempotencyKeys, QuotaQueries, Protocol):
    """Idempotency-Keys (services/idempotency.py): the keys, and the count behind their
    quota."""


class HubStore(EventRepository, ConsoleQueries, QuotaQueries, Protocol):
    """Listeners (webhooks/hubs.py): the hubs, the console's view of their deliveries,
    and the hub quota's atomic registration."""


class Store(
    CartRepository,
    IdempotencyKeys,
    KeyRepository,
    OrderRepository,
    AppointmentRepository,
    EventRepository,
    ConsoleQueries,
    QuotaQueries,
    StoreStatistics,
    Protocol,
):
    """One database, every repository."""
