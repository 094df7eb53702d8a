"""Numbers about the store for the metrics, read apart from the repositories so the store
proper stays as it is (it is being rewritten; this is the one small place that knows its
tables and its pool). For the store's maintainers: `snapshot` runs two grouped counts and
one outbox query, every OMNICART_METRICS_REFRESH_SECONDS per worker; `pool` reads
in-memory pool state only. Both should become store methods once the rewrite settles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

CARTS_BY_STATE = "SELECT state, count(*) FROM carts GROUP BY state"
ORDERS_BY_STATE = "SELECT state, count(*) FROM orders GROUP BY state"
# An event is pending until every delivery of it is made or given up (or it is not fanned out yet).
PENDING = ("SELECT count(*), min(o.created_at) FROM outbox o WHERE NOT o.fanned_out OR EXISTS ("
           "SELECT 1 FROM deliveries d WHERE d.event_id = o.event_id"
           " AND d.delivered_at IS NULL AND d.gave_up_at IS NULL)")


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
    pool = getattr(store, "_pool", None)
    if pool is not None:  # PostgreSQL (asyncpg)
        async with pool.acquire() as connection:
            carts = dict(await connection.fetch(CARTS_BY_STATE))
            orders = dict(await connection.fetch(ORDERS_BY_STATE))
            pending, oldest = await connection.fetchrow(PENDING)
        return Snapshot(carts, orders, pending, oldest)

    def read(db: Any) -> Snapshot:  # SQLite, on the store's own thread
        pending, oldest = db.execute(PENDING).fetchone()
        return Snapshot(dict(db.execute(CARTS_BY_STATE).fetchall()), dict(db.execute(ORDERS_BY_STATE).fetchall()),
                        pending, datetime.fromisoformat(oldest) if oldest else None)

    result: Snapshot = await store._run(read)
    return result


def pool(store: Any) -> Pool | None:
    asyncpg_pool = getattr(store, "_pool", None)
    if asyncpg_pool is not None:
        size, idle = asyncpg_pool.get_size(), asyncpg_pool.get_idle_size()
        # asyncpg has no public count of waiting acquirers: its free-connection queue's waiters.
        waiting = len(getattr(getattr(asyncpg_pool, "_queue", None), "_getters", ()) or ())
        return Pool(size, size - idle, waiting)
    executor = getattr(store, "_executor", None)
    if executor is not None:  # SQLite: one connection, one thread; calls queue for it
        queued = executor._work_queue.qsize()
        return Pool(1, 1 if queued else 0, queued)  # in use: a lower bound (a lone running call is not seen)
    return None
