"""Events: the outbox, the hubs that listen to it and the deliveries to them — their
statements and units of work (`EventRepository`, a hub's quota, and the console's view
of events).

A change writes its events to the outbox in its own transaction (`core.py`, effects);
`fan_out` turns each into one delivery per hub that wants it, and the dispatcher claims
due deliveries under a lease, so a worker that dies mid-delivery leaves them to another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from omnicart.domain.events import Hub
from omnicart.store.core import (
    Connection,
    CoreQueries,
    Dialect,
    Row,
    StoreCore,
    counted_page,
    like_escape,
    page_and_total,
)
from omnicart.store.urls import POSTGRESQL
from omnicart.store.values import Backlog, Delivery, DeliveryStatus, EventDelivery, EventFilter, EventRecord

HUB_COLUMNS = "id, owner, callback, query, secret, created_at"
# A delivery as the console shows it (`DeliveryStatus`), with its hub `h` and delivery `d`.
DELIVERY_STATUS = "d.hub_id, h.callback, d.attempts, d.next_attempt_at, d.delivered_at, d.gave_up_at, d.last_error"


class HubQueries(CoreQueries):
    """Every statement about hubs, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q = dialect.sql
        self.insert_hub = q(f"INSERT INTO hubs ({HUB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)")
        self.hub = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner = $1 AND id = $2")
        self.list_hubs = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner = $1 ORDER BY created_at, id")
        self.delete_hub = q("DELETE FROM hubs WHERE owner = $1 AND id = $2")
        self.drop_pending_deliveries = q("DELETE FROM deliveries WHERE hub_id = $1 AND delivered_at IS NULL")
        self.hubs_of_owners = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner {dialect.any_owner}")
        # The quota of hubs per partner (issue 11; docs/security.md): an insert that counts
        # in the same statement, serialised per owner by `hub_quota_lock`.
        self.insert_hub_within = q(
            f"INSERT INTO hubs ({HUB_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6"
            " WHERE (SELECT count(*) FROM hubs WHERE owner = $2) < $7"
        )
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL takes a lock per
        # owner for the rest of the transaction, so two registrations cannot both count
        # the same number of hubs.
        self.hub_quota_lock = (
            q("SELECT pg_advisory_xact_lock(hashtext('hubs:' || $1))") if dialect.name == POSTGRESQL.system else None
        )


class DeliveryQueries(CoreQueries):
    """Every statement about deliveries due and their outcomes, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, skip = dialect.sql, dialect.skip_locked
        due = "delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1"
        self.any_due_delivery = q(f"SELECT 1 FROM deliveries WHERE {due} LIMIT 1")
        self.due_deliveries = q(
            "SELECT d.event_id, d.hub_id, d.attempts + 1, h.callback, h.secret, o.payload, h.owner"
            " FROM deliveries d JOIN hubs h ON h.id = d.hub_id JOIN outbox o ON o.event_id = d.event_id"
            f" WHERE d.{due.replace(' AND ', ' AND d.')} ORDER BY d.next_attempt_at, o.id LIMIT $2"
        )
        self.lease_delivery = q(
            "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $1 WHERE event_id = $2 AND hub_id = $3"
        )
        # One statement where the database can: take, lease and read the due deliveries.
        self.claim_deliveries = (
            q(
                "WITH due AS ("
                f"  SELECT event_id, hub_id FROM deliveries WHERE {due}"
                f"  ORDER BY next_attempt_at LIMIT $3{skip}),"
                " claimed AS ("
                "  UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2 FROM due"
                "  WHERE d.event_id = due.event_id AND d.hub_id = due.hub_id"
                "  RETURNING d.event_id, d.hub_id, d.attempts)"
                " SELECT c.event_id, c.hub_id, c.attempts, h.callback, h.secret, o.payload, h.owner"
                " FROM claimed c JOIN hubs h ON h.id = c.hub_id JOIN outbox o ON o.event_id = c.event_id"
                " ORDER BY o.id"
            )
            if dialect.writable_ctes
            else None
        )
        self.delivered = q(
            "UPDATE deliveries SET delivered_at = $3, last_error = NULL WHERE event_id = $1 AND hub_id = $2"
        )
        self.delivery_failed = q(
            "UPDATE deliveries SET last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at),"
            " gave_up_at = $5 WHERE event_id = $1 AND hub_id = $2"
        )
        # A claimed delivery handed back unattempted (its hub's circuit is open).
        self.release_delivery = q(
            "UPDATE deliveries SET attempts = attempts - 1, next_attempt_at = $3"
            " WHERE event_id = $1 AND hub_id = $2 AND attempts > 0 AND delivered_at IS NULL AND gave_up_at IS NULL"
        )


class EventQueries(HubQueries, DeliveryQueries):
    """Every statement about events, in one dialect: the outbox's own, its fan-out into
    deliveries, and the hubs' and deliveries' statements."""

    def __init__(self, dialect: Dialect) -> None:
        super().__init__(dialect)
        q, skip = dialect.sql, dialect.skip_locked
        self.pending_events = q(
            f"SELECT id, event_id, owner, event_type, created_at FROM outbox WHERE NOT fanned_out"
            f" ORDER BY id LIMIT $1{skip}"
        )
        self.any_pending_event = "SELECT 1 FROM outbox WHERE NOT fanned_out LIMIT 1"
        self.insert_delivery = q(
            "INSERT INTO deliveries (event_id, hub_id, next_attempt_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        )
        self.fanned_out = q("UPDATE outbox SET fanned_out = TRUE WHERE id = $1")
        self.purge_deliveries = q("DELETE FROM deliveries WHERE delivered_at < $1 OR gave_up_at < $1")
        self.purge_events = q(
            "DELETE FROM outbox WHERE fanned_out AND created_at < $1"
            " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = outbox.event_id)"
        )
        # The console's view of events: a page of them (of a cart and its order, of a
        # type) with how many match in all, then the deliveries of that page.
        chosen = (
            "owner = $1 AND (CAST($2 AS TEXT) IS NULL OR payload LIKE $2 ESCAPE '\\' OR payload LIKE $3 ESCAPE '\\')"
            " AND (CAST($4 AS TEXT) IS NULL OR event_type = $4)"
        )
        page = f"SELECT event_id FROM outbox WHERE {chosen} ORDER BY id DESC LIMIT $5 OFFSET $6"
        self.owner_events, self.count_events = map(
            q, counted_page("event_id, event_type, created_at, payload", "outbox", chosen, "id DESC", 4)
        )
        self.deliveries_of_events = q(
            f"SELECT d.event_id, {DELIVERY_STATUS} FROM deliveries d JOIN hubs h ON h.id = d.hub_id"
            f" WHERE h.owner = $1 AND d.event_id IN ({page})"
            " ORDER BY h.created_at, h.id"
        )
        # A hub's backlog: what waits (undelivered, not given up), the oldest of it, and the
        # newest failure (a failed delivery keeps its error until it is delivered).
        backlog = (
            f"SELECT d.event_id, o.event_type, o.created_at, {DELIVERY_STATUS} FROM deliveries d"
            " JOIN hubs h ON h.id = d.hub_id JOIN outbox o ON o.event_id = d.event_id"
            " WHERE h.owner = $1 AND d.hub_id = $2 AND d.delivered_at IS NULL"
        )
        self.hub_waiting = q(
            "SELECT count(*) FROM deliveries d JOIN hubs h ON h.id = d.hub_id"
            " WHERE h.owner = $1 AND d.hub_id = $2 AND d.delivered_at IS NULL AND d.gave_up_at IS NULL"
        )
        self.hub_head = q(f"{backlog} AND d.gave_up_at IS NULL ORDER BY o.id LIMIT 1")
        self.hub_last_failure = q(f"{backlog} AND d.last_error IS NOT NULL ORDER BY o.id DESC LIMIT 1")
        self.replay_delivery = q(
            "UPDATE deliveries SET delivered_at = NULL, gave_up_at = NULL, next_attempt_at = $4"
            " WHERE event_id = $2 AND hub_id = $3 AND hub_id IN (SELECT id FROM hubs WHERE owner = $1)"
        )


class Events(StoreCore):
    """`EventRepository`, the hubs' quota (`QuotaQueries.add_hub_within`) and the
    console's events (`ConsoleQueries.list_events`, `hub_backlog`, `replay_delivery`)."""

    sql: ClassVar[EventQueries]

    # -- hubs ------------------------------------------------------------------------

    def _hub(self, row: Row) -> Hub:
        return Hub(
            id=row[0], owner=row[1], callback=row[2], query=row[3], secret=row[4], created_at=self._read_time(row[5])
        )

    async def add_hub(self, hub: Hub) -> None:
        await self._execute(
            self.sql.insert_hub, (hub.id, hub.owner, hub.callback, hub.query, hub.secret, self._time(hub.created_at))
        )

    async def get_hub(self, owner: str, hub_id: str) -> Hub | None:
        row = await self._fetchone(self.sql.hub, (owner, hub_id))
        return None if row is None else self._hub(row)

    async def list_hubs(self, owner: str) -> list[Hub]:
        return [self._hub(row) for row in await self._fetchall(self.sql.list_hubs, (owner,))]

    async def delete_hub(self, owner: str, hub_id: str) -> bool:
        async def unit(db: Connection) -> bool:
            if not await db.execute(self.sql.delete_hub, (owner, hub_id)):
                return False  # not this partner's hub: what is due to it stays
            await db.execute(self.sql.drop_pending_deliveries, (hub_id,))
            return True

        return await self._transaction(unit)

    async def add_hub_within(self, hub: Hub, limit: int) -> bool:
        """Add `hub` iff its owner has fewer than `limit` hubs, atomically (two
        registrations racing cannot both take the last place); False: nothing added."""
        args = (hub.id, hub.owner, hub.callback, hub.query, hub.secret, self._time(hub.created_at), limit)

        async def unit(db: Connection) -> bool:
            if self.sql.hub_quota_lock is not None:
                await db.fetchval(self.sql.hub_quota_lock, (hub.owner,))
            return bool(await db.execute(self.sql.insert_hub_within, args))

        return await self._transaction(unit)

    # -- the outbox and its deliveries -------------------------------------------------

    async def fan_out(self, limit: int) -> int:
        async def unit(db: Connection) -> int:
            events = await db.fetchall(self.sql.pending_events, (limit,))
            if not events:
                return 0
            owners = sorted({event[2] for event in events})
            hubs = [self._hub(row) for row in await db.fetchall(self.sql.hubs_of_owners, (self._owners(owners),))]
            deliveries = []
            for _, event_id, owner, event_type, created_at in events:
                happened = self._read_time(created_at)
                deliveries += [
                    (event_id, hub.id, created_at)
                    for hub in hubs
                    if hub.owner == owner and hub.created_at <= happened and hub.wants(event_type)
                ]
            if deliveries:
                await db.executemany(self.sql.insert_delivery, deliveries)
            await db.executemany(self.sql.fanned_out, [(event[0],) for event in events])
            return len(events)

        return await self._transaction_if(self.sql.any_pending_event, (), unit, 0)

    async def claim_deliveries(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        at, lease = self._time(now), self._time(lease_until)
        claim = self.sql.claim_deliveries
        if claim is not None:
            rows = await self._fetchall(claim, (at, lease, limit))
            return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode(), row[6]) for row in rows]

        async def unit(db: Connection) -> list[Delivery]:
            due = await db.fetchall(self.sql.due_deliveries, (at, limit))
            await db.executemany(self.sql.lease_delivery, [(lease, row[0], row[1]) for row in due])
            return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode(), row[6]) for row in due]

        return await self._transaction_if(self.sql.any_due_delivery, (at,), unit, [])

    async def delivered(self, event_id: str, hub_id: str, at: datetime) -> None:
        await self._execute(self.sql.delivered, (event_id, hub_id, self._time(at)))

    async def delivery_failed(
        self, event_id: str, hub_id: str, error: str, retry_at: datetime | None, at: datetime
    ) -> None:
        await self._execute(
            self.sql.delivery_failed,
            (event_id, hub_id, error, self._time(retry_at), None if retry_at else self._time(at)),
        )

    async def release_delivery(self, event_id: str, hub_id: str, retry_at: datetime) -> None:
        """Hand back a delivery claimed but not attempted (webhooks/delivery.py: its hub's
        circuit is open): due again at `retry_at`, and its claim does not count as an attempt."""
        await self._execute(self.sql.release_delivery, (event_id, hub_id, self._time(retry_at)))

    async def purge_events(self, before: datetime) -> int:
        cutoff = self._time(before)

        async def unit(db: Connection) -> int:
            await db.execute(self.sql.purge_deliveries, (cutoff,))
            return await db.execute(self.sql.purge_events, (cutoff,))

        return await self._transaction(unit)

    # -- the console's look-ups (omnicart/console, through its services) ----------------------

    def _delivery_status(self, row: Row) -> DeliveryStatus:
        """A `DELIVERY_STATUS` row."""
        return DeliveryStatus(
            row[0],
            row[1],
            row[2],
            self._read_time(row[3]),
            self._maybe_time(row[4]),
            self._maybe_time(row[5]),
            row[6],
        )

    async def list_events(
        self, owner: str, chosen: EventFilter, limit: int, offset: int
    ) -> tuple[list[EventRecord], int | None]:
        cart_id = chosen.cart_id
        snapshots = None if cart_id is None else '%"shoppingCart":{"id":"' + like_escape(cart_id) + '"%'
        ordered = None if cart_id is None else '%"cartId":"' + like_escape(cart_id) + '"%'
        args = (owner, snapshots, ordered, chosen.event_type)

        async def unit(db: Connection) -> tuple[list[EventRecord], int | None]:
            events, total = await page_and_total(db, self.sql.owner_events, self.sql.count_events, args, limit, offset)
            deliveries: dict[str, list[DeliveryStatus]] = {}
            for row in await db.fetchall(self.sql.deliveries_of_events, (*args, limit, offset)):
                deliveries.setdefault(row[0], []).append(self._delivery_status(row[1:]))
            records = [
                EventRecord(row[0], row[1], self._read_time(row[2]), _text(row[3]).encode(), deliveries.get(row[0], []))
                for row in events
            ]
            return records, total

        return await self._run(unit)

    async def hub_backlog(self, owner: str, hub_id: str) -> Backlog:
        args = (owner, hub_id)

        def one(row: Row | None) -> EventDelivery | None:
            if row is None:
                return None
            return EventDelivery(row[0], row[1], self._read_time(row[2]), self._delivery_status(row[3:]))

        async def unit(db: Connection) -> Backlog:
            waiting = await db.fetchval(self.sql.hub_waiting, args)
            head = one(await db.fetchone(self.sql.hub_head, args))
            return Backlog(int(waiting), head, one(await db.fetchone(self.sql.hub_last_failure, args)))

        return await self._run(unit)

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        return bool(await self._execute(self.sql.replay_delivery, (owner, event_id, hub_id, self._time(at))))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else bytes(value).decode()
