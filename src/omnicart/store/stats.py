"""Numbers about the store for the metrics (`StoreStatistics`): `stats` runs two grouped
counts and one outbox query, every OMNICART_METRICS_REFRESH_SECONDS per worker; each
adapter's `pool_status` reads its own in-memory state only (asyncpg's pool, or the
SQLite thread's queue).

The counts read whole tables, so they stay out of the `Queries` the query-plan tests
hold to reading an index; they have no placeholders: one text for both databases."""

from __future__ import annotations

from omnicart.store.core import StoreCore
from omnicart.store.values import Snapshot

CARTS_BY_STATE = "SELECT state, count(*) FROM carts GROUP BY state"
ORDERS_BY_STATE = "SELECT state, count(*) FROM orders GROUP BY state"
# An event is pending until every delivery of it is made or given up (or it is not fanned out yet).
PENDING = (
    "SELECT count(*), min(o.created_at) FROM outbox o WHERE NOT o.fanned_out OR EXISTS ("
    "SELECT 1 FROM deliveries d WHERE d.event_id = o.event_id"
    " AND d.delivered_at IS NULL AND d.gave_up_at IS NULL)"
)


class Stats(StoreCore):
    """`StoreStatistics.stats`; `pool_status` is the adapter's."""

    async def stats(self) -> Snapshot:
        carts = dict(await self._fetchall(CARTS_BY_STATE))
        orders = dict(await self._fetchall(ORDERS_BY_STATE))
        row = await self._fetchone(PENDING)
        assert row is not None  # an aggregate without GROUP BY answers one row
        pending, oldest = row
        return Snapshot(carts, orders, pending, self._maybe_time(oldest))
