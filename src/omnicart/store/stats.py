"""Numbers about the store for the metrics: `snapshot` runs two grouped counts and one
outbox query, every OMNICART_METRICS_REFRESH_SECONDS per worker; `pool` reads in-memory
pool state only (asyncpg's pool, or the SQLite thread's queue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

CARTS_BY_STATE = "SELECT state, count(*) FROM carts GROUP BY state"
ORDERS_BY_STATE = "SELECT state, count(*) FROM orders GROUP BY state"
# An event is pending until every delivery of it is made or given up (or it is not fanned out yet).
PENDING = (
    "SELECT count(*), min(o.created_at) FROM outbox o WHERE NOT o.fanned_out OR EXISTS ("
    "SELECT 1 FROM deliveries d WHERE d.event_id = o.event_id"
    " AND d.delivered_at IS NULL AND d.gave_up_at IS NULL)"
)


@dataclass(frozen=True)
class Snapshot:
    carts: dict[str, int]
    orders: dict[str, int]
    pending_events: int
    oldest_pending: datetime | None


@dataclass(frozen=True)
class Pool:
    size: int
    in_use: int
    waiting: int


async def snapshot(store: Any) -> Snapshot:
    """Two grouped counts and one outbox query, through the store's own statement runners
    (one SQL text for both databases; the core translates placeholders and reads times)."""
    carts = dict(await store._fetchall(CARTS_BY_STATE))
    orders = dict(await store._fetchall(ORDERS_BY_STATE))
    pending, oldest = await store._fetchone(PENDING)
    return Snapshot(carts, orders, pending, store._read_time(oldest) if oldest is not None else None)


def pool(store: Any) -> Pool | None:
    asyncpg_pool = getattr(store, "_pool", None)
    if asyncpg_pool is not None:
        size, idle = asyncpg_pool.get_size(), asyncpg_pool.get_idle_size()
        # asyncpg has no public count of waiting acquirers: its free-connection queue's waiters.
        waiting = len(getattr(getattr(asyncpg_pool, "_queue", None), "_getters", ()) or ())
        return Pool(size, size - idle, waiting)
    executor = getattr(store, "_executor", None)
    if executor is not None:  # SQLite: one connection, one thread; calls queue for it
        # and write units wait for the next group commit (sqlite.py)
        queued = executor._work_queue.qsize() + len(getattr(store, "_writes", ()))
        return Pool(1, 1 if queued else 0, queued)  # in use: a lower bound (a lone running call is not seen)
    return None
