"""Numbers about the store for the metrics (`StoreStatistics`): `stats` runs a count by
state of carts and of orders and one outbox query, every OMNICART_METRICS_REFRESH_SECONDS
per worker; each adapter's `pool_status` reads its own in-memory state only (asyncpg's
pool, or the SQLite thread's queue).

What they cost must not grow with the store (docs/capacity.md, "Flat at 10 million"):
- the pending events are found from the two partial indexes that hold them (the events
  not fanned out, the deliveries neither made nor given up), never by reading the outbox,
  which keeps every event for a week (9 GB at 10M carts: a 3 s scan per refresh per
  worker, before);
- a count by state reads a whole table, so a store may give `estimated_counts`: a
  statement answering (row estimate, states, their frequencies) from the database's own
  statistics of the table, used instead once the table holds ESTIMATED_ABOVE rows.
  PostgreSQL's come from ANALYZE (autovacuum keeps them fresh); SQLite has none per value
  and always counts (an embedded store is small).
The counts have no placeholders; the outbox query is one text for both databases."""

from __future__ import annotations

from typing import ClassVar

from omnicart.store.core import StoreCore
from omnicart.store.values import Snapshot

# Above how many rows (by the database's own estimate) a table's count by state is estimated.
ESTIMATED_ABOVE = 1_000_000

COUNT_BY_STATE = "SELECT state, count(*) FROM {} GROUP BY state"
# An event is pending until every delivery of it is made or given up (or it is not fanned
# out yet): the union of what the partial indexes `outbox_pending` and
# `deliveries_undelivered_due` hold, a pending delivery's event looked up by its id (a
# subquery per delivery, so that no plan joins the whole outbox to them).
PENDING = (
    "SELECT count(*), min(created_at) FROM ("
    "SELECT event_id, created_at FROM outbox WHERE NOT fanned_out"
    " UNION SELECT d.event_id, (SELECT o.created_at FROM outbox o WHERE o.event_id = d.event_id)"
    " FROM deliveries d WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL) AS pending"
)


class Stats(StoreCore):
    """`StoreStatistics.stats`; `pool_status` is the adapter's."""

    # A statement of the table's name ($1) answering one row: its row estimate, its states
    # and their frequencies (NULLs when the database has no statistics of it yet).
    estimated_counts: ClassVar[str | None] = None

    async def stats(self) -> Snapshot:
        carts = await self._by_state("carts")
        orders = await self._by_state("orders")
        row = await self._fetchone(PENDING)
        assert row is not None  # an aggregate without GROUP BY answers one row
        pending, oldest = row
        return Snapshot(carts, orders, pending, self._maybe_time(oldest))

    async def _by_state(self, table: str) -> dict[str, int]:
        if self.estimated_counts is not None:
            row = await self._fetchone(self.estimated_counts, (table,))
            if row is not None and row[0] is not None and row[0] > ESTIMATED_ABOVE and row[1] is not None:
                rows, states, frequencies = row
                return {state: round(rows * share) for state, share in zip(states, frequencies, strict=True)}
        return dict(await self._fetchall(COUNT_BY_STATE.format(table)))
