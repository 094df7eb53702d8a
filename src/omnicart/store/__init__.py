"""The store: one repository interface (`interface.py`: the protocols; `hooks.py`: the
caller's code some of their methods run; `values.py`: what goes in and comes out),
written once for both databases — one module per concern (`carts.py`, `orders.py`,
`events.py`, `keys.py`, `stats.py`) on one core of units of work (`core.py`) — and one
thin adapter per database (`sqlite.py`, `postgres.py`).

`open_store(url)` opens the store the URL names (`urls.py`), so the rest of the service
never names a database. This module is the store's face: callers import from here.
"""

from __future__ import annotations

from omnicart.store.hooks import CartChange, OrderChange, PlaceOrder, PurgeCheck
from omnicart.store.interface import (
    AppointmentRepository,
    CartRepository,
    CartStore,
    ConsoleQueries,
    EventRepository,
    HubStore,
    IdempotencyKeys,
    KeyRepository,
    KeyStore,
    OrderRepository,
    QuotaQueries,
    Store,
    StoreStatistics,
)
from omnicart.store.urls import SQLITE, database_of
from omnicart.store.values import (
    NO_EFFECTS,
    TOTAL_COUNTED,
    Backlog,
    Booking,
    CartDocument,
    CartFilter,
    CartSearch,
    CartWrite,
    Claim,
    Delivery,
    DeliveryStatus,
    DuplicateCustomerOrderId,
    Effects,
    EventDelivery,
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

__all__ = [
    "NO_EFFECTS",
    "TOTAL_COUNTED",
    "AppointmentRepository",
    "Backlog",
    "Booking",
    "CartChange",
    "CartDocument",
    "CartFilter",
    "CartRepository",
    "CartSearch",
    "CartStore",
    "CartWrite",
    "Claim",
    "ConsoleQueries",
    "Delivery",
    "DeliveryStatus",
    "DuplicateCustomerOrderId",
    "Effects",
    "EventDelivery",
    "EventFilter",
    "EventRecord",
    "EventRepository",
    "HubStore",
    "IdempotencyKeys",
    "KeyRepository",
    "KeyState",
    "KeyStore",
    "OrderChange",
    "OrderDocument",
    "OrderFilter",
    "OrderPlacement",
    "OrderRepository",
    "PlaceOrder",
    "Pool",
    "PurgeCheck",
    "QuotaQueries",
    "Snapshot",
    "Store",
    "StoreStatistics",
    "StoredResponse",
    "open_store",
]


async def open_store(url: str, *, pool_size: int = 10, busy_timeout_ms: int = 10_000) -> Store:
    database = database_of(url)
    if database is SQLITE:
        from omnicart.store.sqlite import SQLiteStore

        return await SQLiteStore.open(url, busy_timeout_ms=busy_timeout_ms)
    from omnicart.store.postgres import PostgresStore  # POSTGRESQL, the other one

    return await PostgresStore.open(url, pool_size=pool_size)
