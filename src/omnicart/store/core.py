"""The store core: every SQL statement and every unit of work, written once for both
databases.

A unit of work is an `async def unit(db)` over a small connection interface
(`Connection`: fetch one, fetch all, fetch a value, execute, execute many). The
repository methods build their statements' arguments, say how their unit must run —
`_run` (no explicit transaction), `_transaction` (a write transaction) or
`_transaction_if` (a write transaction only if a read-only probe finds work) — and the
adapter runs it:

- `sqlite.py` runs the whole unit in its one database thread, in one hop: its connection's
  `async def` methods call sqlite3 synchronously and never suspend, so the coroutine is
  driven to completion there with `send(None)`. Writers serialise on `BEGIN IMMEDIATE`;
  write units waiting together share one transaction (group commit), each in a savepoint,
  so a unit's `Rollback` or error undoes that unit alone.
- `postgres.py` runs it on a pooled asyncpg connection; writers that must not wait for
  each other use `FOR UPDATE SKIP LOCKED`, and a change carries its effects (events,
  the idempotent response) in the same statement through data-modifying CTEs (its
  `_apply`).

SQL is written with PostgreSQL's numbered placeholders (`$1`); `Dialect.sql` turns them
into SQLite's (`?1`) once, when `Queries` is built. `Queries` holds the exact text of
every statement the store runs, so tests can EXPLAIN what runs.

Optimistic cart writes (`save`, `remove`) change a row only if it still has the version
the caller read: `UPDATE … WHERE owner AND id AND version`; a stale, foreign or missing
cart changes nothing — its effects included — and answers False.
`change_locked` is the other way to write a cart, for carts that several workers write
at once: read the version under the row's write lock (`FOR UPDATE`; SQLite's
`BEGIN IMMEDIATE` locks everything), change, write (several changes one after the
other, each its own `UPDATE` with its effects), commit — one short transaction in which
the cart's other writers queue rather than lose.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from omnicart.domain.cart import Cart
from omnicart.domain.credentials import ApiKey, format_scopes, parse_scopes
from omnicart.domain.events import Event, Hub
from omnicart.domain.order import Order
from omnicart.store import (
    NO_EFFECTS,
    TOTAL_COUNTED,
    CartDocument,
    CartFilter,
    CartWrite,
    Claim,
    Delivery,
    DeliveryStatus,
    Effects,
    EventRecord,
    KeyState,
    OrderFilter,
    OrderPlacement,
    StoredResponse,
    documents,
)

R = TypeVar("R")
Row = Any  # a driver's row, indexed by position: a tuple (sqlite3) or a Record (asyncpg)


class Connection(Protocol):
    """What a unit of work may do with its database connection."""

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None: ...

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    async def fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any: ...

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run one statement; returns how many rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...


Unit = Callable[[Connection], Awaitable[R]]


class Rollback(Exception):
    """Raised by a unit of work to undo everything it did and answer `value`."""

    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


@dataclass(frozen=True)
class Dialect:
    """What differs in the text of the SQL."""

    name: str
    sql: Callable[[str], str]  # from `$n` placeholders to the driver's
    for_update: str  # row lock of a read-modify-write ("" where the transaction locks all)
    skip_locked: str  # rows another worker holds are left to it
    any_owner: str  # `owner` is one of the array bound to $1 (see `StoreCore._owners`)
    writable_ctes: bool  # a change and its effects fit in one statement (the adapter's `_apply`)


HUB_COLUMNS = "id, owner, callback, query, secret, created_at"
KEY_COLUMNS = "id, partner, secret_hash, scopes, created_at, revoked_at"
CART_DOCUMENT = "id, version, state, updated_at, doc"
EVENT_COLUMNS = "event_id, owner, event_type, created_at, payload"
RESPONSE_COLUMNS = "owner, key, fingerprint, state, status, headers, body, created_at, expires_at"
RESPONSE_CONFLICT = (
    " ON CONFLICT (owner, key) DO UPDATE SET state = 'done', status = excluded.status,"
    " headers = excluded.headers, body = excluded.body"
)


class Queries:
    """Every statement of the store, in one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        q, lock, skip = dialect.sql, dialect.for_update, dialect.skip_locked
        # -- carts
        self.insert_cart = q(
            "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc, customer_id)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        self.cart_doc = q("SELECT doc FROM carts WHERE owner = $1 AND id = $2")
        self.cart_document = q(f"SELECT {CART_DOCUMENT} FROM carts WHERE owner = $1 AND id = $2")
        self.cart_for_update = q(f"SELECT version, doc FROM carts WHERE owner = $1 AND id = $2{lock}")
        self.save_cart = q(
            "UPDATE carts SET version = $4, state = $5, updated_at = $6, doc = $7, customer_id = $8"
            " WHERE owner = $1 AND id = $2 AND version = $3"
        )
        self.remove_cart = q("DELETE FROM carts WHERE owner = $1 AND id = $2 AND version = $3")
        # A locked change's read: the version, and the document only when it is not the
        # version the caller already holds ($3), so an up-to-date kept copy costs no transfer.
        self.cart_version_for_update = q(
            "SELECT version, CASE WHEN version = $3 THEN NULL ELSE doc END FROM carts"
            f" WHERE owner = $1 AND id = $2{lock}"
        )
        # The API's finding (GET /carts): optional state, customer and lastUpdate range
        # (from inclusive, to exclusive); the page, and the count of matches up to a bound
        # (TOTAL_COUNTED): an exact count of a million carts costs more than the page.
        cart_filter = (
            "owner = $1 AND (CAST($2 AS TEXT) IS NULL OR state = $2)"
            " AND (CAST($3 AS TEXT) IS NULL OR customer_id = $3)"
            " AND (CAST($4 AS TIMESTAMPTZ) IS NULL OR updated_at >= $4)"
            " AND (CAST($5 AS TIMESTAMPTZ) IS NULL OR updated_at < $5)"
        )
        self.find_carts = q(
            f"SELECT {CART_DOCUMENT} FROM carts WHERE {cart_filter} ORDER BY updated_at DESC, id LIMIT $6 OFFSET $7"
        )
        self.count_carts = q(f"SELECT count(*) FROM (SELECT 1 FROM carts WHERE {cart_filter} LIMIT $6) AS found")
        self.expired_drafts = q(
            "SELECT id, owner, doc FROM carts WHERE state = 'Draft' AND updated_at <= $1"
            f" ORDER BY updated_at LIMIT $2{skip}"
        )
        self.any_expired_draft = q("SELECT 1 FROM carts WHERE state = 'Draft' AND updated_at <= $1 LIMIT 1")
        self.delete_cart = q("DELETE FROM carts WHERE id = $1")
        # The console's search: by state, and by id or any text of the document (a customer).
        self.search_carts = q(
            f"SELECT {CART_DOCUMENT} FROM carts WHERE owner = $1 AND (CAST($2 AS TEXT) IS NULL OR state = $2)"
            " AND (CAST($3 AS TEXT) IS NULL OR id = $3 OR doc LIKE $4 ESCAPE '\\')"
            " ORDER BY updated_at DESC, id LIMIT $5 OFFSET $6"
        )
        # -- the console's view of events: a page of them, then the deliveries of that page
        page = (
            "SELECT event_id FROM outbox WHERE owner = $1"
            " AND (CAST($2 AS TEXT) IS NULL OR payload LIKE $2 ESCAPE '\\') ORDER BY id DESC LIMIT $3 OFFSET $4"
        )
        self.owner_events = q(
            "SELECT event_id, event_type, created_at, payload FROM outbox WHERE owner = $1"
            " AND (CAST($2 AS TEXT) IS NULL OR payload LIKE $2 ESCAPE '\\') ORDER BY id DESC LIMIT $3 OFFSET $4"
        )
        self.deliveries_of_events = q(
            "SELECT d.event_id, d.hub_id, h.callback, d.attempts, d.next_attempt_at, d.delivered_at, d.gave_up_at,"
            " d.last_error FROM deliveries d JOIN hubs h ON h.id = d.hub_id"
            f" WHERE h.owner = $1 AND d.event_id IN ({page})"
            " ORDER BY h.created_at, h.id"
        )
        self.replay_delivery = q(
            "UPDATE deliveries SET delivered_at = NULL, gave_up_at = NULL, next_attempt_at = $4"
            " WHERE event_id = $2 AND hub_id = $3 AND hub_id IN (SELECT id FROM hubs WHERE owner = $1)"
        )
        # -- orders
        self.order_of_cart = q("SELECT doc FROM orders WHERE owner = $1 AND cart_id = $2")
        self.insert_order = q(
            "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
            " next_step_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        self.order_doc = q("SELECT doc FROM orders WHERE owner = $1 AND id = $2")
        self.order_for_update = q(f"SELECT doc FROM orders WHERE owner = $1 AND id = $2{lock}")
        # The API's finding (GET /orders): optional state, customerOrderId, cartId and
        # submission range (from inclusive, to exclusive); the page, and the bounded count.
        order_filter = (
            "owner = $1 AND (CAST($2 AS TEXT) IS NULL OR state = $2)"
            " AND (CAST($3 AS TEXT) IS NULL OR customer_order_id = $3)"
            " AND (CAST($4 AS TEXT) IS NULL OR cart_id = $4)"
            " AND (CAST($5 AS TIMESTAMPTZ) IS NULL OR created_at >= $5)"
            " AND (CAST($6 AS TIMESTAMPTZ) IS NULL OR created_at < $6)"
        )
        self.find_orders = q(
            f"SELECT doc FROM orders WHERE {order_filter} ORDER BY created_at DESC, id DESC LIMIT $7 OFFSET $8"
        )
        self.count_orders = q(f"SELECT count(*) FROM (SELECT 1 FROM orders WHERE {order_filter} LIMIT $7) AS found")
        self.update_order = q(
            "UPDATE orders SET state = $2, updated_at = $3, next_step_at = $4, doc = $5 WHERE id = $1"
        )
        self.due_order = q(f"SELECT doc FROM orders WHERE next_step_at <= $1 ORDER BY next_step_at LIMIT 1{skip}")
        self.any_due_order = q("SELECT 1 FROM orders WHERE next_step_at <= $1 LIMIT 1")
        # -- effects and idempotency keys
        self.insert_event = q(f"INSERT INTO outbox ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)")
        self.store_response = q(
            f"INSERT INTO idempotency_keys ({RESPONSE_COLUMNS})"
            f" VALUES ($1, $2, $3, 'done', $4, $5, $6, $7, $8){RESPONSE_CONFLICT}"
        )
        self.claim_new_key = q(
            "INSERT INTO idempotency_keys (owner, key, fingerprint, state, created_at, expires_at)"
            " VALUES ($1, $2, $3, 'running', $4, $5) ON CONFLICT (owner, key) DO NOTHING RETURNING 1"
        )
        self.key_for_update = q(
            "SELECT fingerprint, state, status, headers, body, created_at, expires_at"
            f" FROM idempotency_keys WHERE owner = $1 AND key = $2{lock}"
        )
        self.reclaim_key = q(
            "UPDATE idempotency_keys SET fingerprint = $3, state = 'running', status = NULL,"
            " headers = NULL, body = NULL, created_at = $4, expires_at = $5 WHERE owner = $1 AND key = $2"
        )
        self.release_key = q("DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND state = 'running'")
        self.purge_keys = q("DELETE FROM idempotency_keys WHERE expires_at <= $1")
        self.ping = "SELECT 1"
        # -- hubs and deliveries
        self.insert_hub = q(f"INSERT INTO hubs ({HUB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)")
        self.hub = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner = $1 AND id = $2")
        self.list_hubs = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner = $1 ORDER BY created_at, id")
        self.delete_hub = q("DELETE FROM hubs WHERE owner = $1 AND id = $2")
        self.drop_pending_deliveries = q("DELETE FROM deliveries WHERE hub_id = $1 AND delivered_at IS NULL")
        self.pending_events = q(
            f"SELECT id, event_id, owner, event_type, created_at FROM outbox WHERE NOT fanned_out"
            f" ORDER BY id LIMIT $1{skip}"
        )
        self.any_pending_event = "SELECT 1 FROM outbox WHERE NOT fanned_out LIMIT 1"
        self.hubs_of_owners = q(f"SELECT {HUB_COLUMNS} FROM hubs WHERE owner {dialect.any_owner}")
        self.insert_delivery = q(
            "INSERT INTO deliveries (event_id, hub_id, next_attempt_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        )
        self.fanned_out = q("UPDATE outbox SET fanned_out = TRUE WHERE id = $1")
        due = "delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1"
        self.any_due_delivery = q(f"SELECT 1 FROM deliveries WHERE {due} LIMIT 1")
        self.due_deliveries = q(
            "SELECT d.event_id, d.hub_id, d.attempts + 1, h.callback, h.secret, o.payload"
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
                " SELECT c.event_id, c.hub_id, c.attempts, h.callback, h.secret, o.payload"
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
        self.purge_deliveries = q("DELETE FROM deliveries WHERE delivered_at < $1 OR gave_up_at < $1")
        self.purge_events = q(
            "DELETE FROM outbox WHERE fanned_out AND created_at < $1"
            " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = outbox.event_id)"
        )
        # -- API keys
        self.insert_key = q(f"INSERT INTO api_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)")
        self.key = q(f"SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1")
        self.list_keys = f"SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, id"
        self.list_partner_keys = q(f"SELECT {KEY_COLUMNS} FROM api_keys WHERE partner = $1 ORDER BY created_at, id")
        # COALESCE keeps the first revocation time.
        self.revoke_key = q(
            f"UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING {KEY_COLUMNS}"
        )
        # -- quotas per partner (issue 11; docs/security.md): bounded counts, so a count
        # never reads more than the quota's worth of index entries, and a hub insert that
        # counts in the same statement (serialised per owner: `hub_quota_lock`).
        self.count_drafts = q(
            "SELECT count(*) FROM (SELECT 1 FROM carts WHERE owner = $1 AND state = 'Draft' LIMIT $2) AS drafts"
        )
        self.count_live_keys = q(
            "SELECT count(*) FROM (SELECT 1 FROM idempotency_keys WHERE owner = $1 AND expires_at > $2"
            " LIMIT $3) AS live"
        )
        self.insert_hub_within = q(
            f"INSERT INTO hubs ({HUB_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6"
            " WHERE (SELECT count(*) FROM hubs WHERE owner = $2) < $7"
        )
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL takes a lock per
        # owner for the rest of the transaction, so two registrations cannot both count
        # the same number of hubs.
        self.hub_quota_lock = (
            q("SELECT pg_advisory_xact_lock(hashtext('hubs:' || $1))") if dialect.name == "postgresql" else None
        )
        # -- a claimed delivery handed back unattempted (its hub's circuit is open)
        self.release_delivery = q(
            "UPDATE deliveries SET attempts = attempts - 1, next_attempt_at = $3"
            " WHERE event_id = $1 AND hub_id = $2 AND attempts > 0 AND delivered_at IS NULL AND gave_up_at IS NULL"
        )


def _no_effects(effects: Effects) -> bool:
    return not effects.events and effects.response is None


class StoreCore:
    """Every repository of `omnicart.store`, on an adapter that provides how units of work
    run (`_run`, `_transaction`, `_transaction_if`) and the column codecs."""

    sql: Queries
    dialect: Dialect

    # -- what an adapter provides ----------------------------------------------------

    async def _run(self, unit: Unit[R]) -> R:
        """Run `unit` on one connection without an explicit transaction (each statement
        commits by itself). A `Rollback` answers its value."""
        raise NotImplementedError

    async def _transaction(self, unit: Unit[R]) -> R:
        """Run `unit` in a write transaction: committed if it returns, rolled back if it
        raises (a `Rollback` then answers its value)."""
        raise NotImplementedError

    async def _transaction_if(self, probe: str, args: Sequence[Any], unit: Unit[R], idle: R) -> R:
        """`_transaction(unit)`, where the database may first look with the read-only
        `probe` and answer `idle` without taking a write lock when it finds no row."""
        return await self._transaction(unit)

    # One statement, committed by itself: as `_run` would, without a unit of work (the
    # adapters run these straight on the connection).

    async def _fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return await self._run(lambda db: db.fetchval(sql, args))

    async def _fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        return await self._run(lambda db: db.fetchone(sql, args))

    async def _fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return await self._run(lambda db: db.fetchall(sql, args))

    async def _execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        return await self._run(lambda db: db.execute(sql, args))

    @staticmethod
    def _time(moment: datetime | str | None) -> Any:
        """A timestamp (a datetime, or ISO 8601 text such as the carrier's
        `2026-11-28T12:55:20.692Z`) as a column value."""
        raise NotImplementedError

    @staticmethod
    def _read_time(value: Any) -> datetime:
        """A timestamp column's value as an aware datetime."""
        raise NotImplementedError

    @staticmethod
    def _owners(owners: list[str]) -> Any:
        """The value bound to `Dialect.any_owner`."""
        raise NotImplementedError

    # -- a change with its effects ---------------------------------------------------

    async def _apply(self, db: Connection, sql: str, args: Sequence[Any], effects: Effects) -> bool:
        """Run the change `sql` and, only if it touched a row, commit `effects` with it
        (inside a transaction; an adapter with writable CTEs makes it one statement).
        Returns whether a row was touched."""
        if not await db.execute(sql, args):
            return False
        await self._commit_effects(db, effects)
        return True

    async def _change(self, sql: str, args: Sequence[Any], effects: Effects) -> bool:
        """`sql` with its effects, atomically; False (and nothing written) when `sql`
        touched no row."""

        if _no_effects(effects):
            return bool(await self._execute(sql, args))

        async def unit(db: Connection) -> bool:
            if await self._apply(db, sql, args, effects):
                return True
            raise Rollback(False)

        if self.dialect.writable_ctes:
            return await self._run(unit)  # one statement (see `_apply`): atomic by itself
        return await self._transaction(unit)

    def _event_row(self, event: Event) -> tuple[Any, ...]:
        return event.eventId, event.owner, event.eventType, self._time(event.eventTime), event.envelope.decode()

    def _response_row(self, response: StoredResponse) -> tuple[Any, ...]:
        return (
            response.owner,
            response.key,
            response.fingerprint,
            response.status,
            documents.dump_headers(response.headers),
            response.body,
            self._time(response.created_at),
            self._time(response.expires_at),
        )

    async def _commit_effects(self, db: Connection, effects: Effects) -> None:
        """Effects not tied to one change (inside a transaction)."""
        events = effects.events
        if len(events) == 1:
            await db.execute(self.sql.insert_event, self._event_row(events[0]))
        elif events:
            await db.executemany(self.sql.insert_event, [self._event_row(e) for e in events])
        if effects.response is not None:
            await db.execute(self.sql.store_response, self._response_row(effects.response))

    # -- carts -----------------------------------------------------------------------

    async def add(self, owner: str, cart: Cart, doc: bytes, effects: Effects = NO_EFFECTS) -> None:
        t = self._time
        await self._change(
            self.sql.insert_cart,
            (
                cart.id,
                owner,
                cart.version,
                cart.state.value,
                t(cart.creationDate),
                t(cart.lastUpdate),
                doc.decode(),
                cart.customer_id,
            ),
            effects,
        )

    async def get(self, owner: str, cart_id: str) -> Cart | None:
        doc = await self._fetchval(self.sql.cart_doc, (owner, cart_id))
        return None if doc is None else documents.load(doc)

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        row = await self._fetchone(self.sql.cart_document, (owner, cart_id))
        return None if row is None else self._cart_document(row)

    def _cart_document(self, row: Row) -> CartDocument:
        return CartDocument(
            id=row[0], version=row[1], state=row[2], last_update=self._read_time(row[3]), doc=row[4].encode()
        )

    async def save(self, owner: str, cart: Cart, doc: bytes, expected_version: int, effects: Effects) -> bool:
        return await self._change(
            self.sql.save_cart,
            (
                owner,
                cart.id,
                expected_version,
                cart.version,
                cart.state.value,
                self._time(cart.lastUpdate),
                doc.decode(),
                cart.customer_id,
            ),
            effects,
        )

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        return await self._change(self.sql.remove_cart, (owner, cart_id, expected_version), effects)

    async def change_locked(
        self,
        owner: str,
        cart_id: str,
        kept: Cart | None,
        changes: Sequence[Callable[[Cart], CartWrite | None]],
    ) -> Cart | None:
        known = -1 if kept is None else kept.version

        async def unit(db: Connection) -> Cart | None:
            found = await db.fetchone(self.sql.cart_version_for_update, (owner, cart_id, known))
            if found is None:
                return None
            version, doc = found
            cart = kept if doc is None else documents.load(doc)
            assert cart is not None  # no document only when the version is the kept one's
            for change in changes:
                write = change(cart)
                if write is None:
                    # Refused, perhaps half-way: the cart as the previous change left it
                    # (this transaction sees its own writes).
                    cart = documents.load(await db.fetchval(self.sql.cart_doc, (owner, cart_id)))
                    continue
                if write.doc is None:
                    written = await self._apply(db, self.sql.remove_cart, (owner, cart_id, version), write.effects)
                else:
                    args = (
                        owner,
                        cart_id,
                        version,
                        cart.version,
                        cart.state.value,
                        self._time(cart.lastUpdate),
                        write.doc.decode(),
                        cart.customer_id,
                    )
                    written = await self._apply(db, self.sql.save_cart, args, write.effects)
                assert written, "the row is locked: nobody can have changed it since it was read"
                version = cart.version
            return cart

        return await self._transaction(unit)

    async def find_carts(
        self, owner: str, found: CartFilter, limit: int, offset: int
    ) -> tuple[list[CartDocument], int | None]:
        t = self._time
        args = (owner, found.state, found.customer_id, t(found.updated_from), t(found.updated_to))

        async def unit(db: Connection) -> tuple[list[CartDocument], int | None]:
            rows = await db.fetchall(self.sql.find_carts, (*args, limit, offset))
            total = await db.fetchval(self.sql.count_carts, (*args, TOTAL_COUNTED + 1))
            return [self._cart_document(row) for row in rows], _bounded(total)

        return await self._run(unit)

    # -- the console (api/console.py, through its services) -------------------------------

    async def search_carts(
        self, owner: str, state: str | None, text: str | None, limit: int, offset: int
    ) -> list[CartDocument]:
        pattern = None if not text else "%" + _like_escape(text) + "%"
        rows = await self._fetchall(self.sql.search_carts, (owner, state, text or None, pattern, limit, offset))
        return [self._cart_document(row) for row in rows]

    async def list_events(self, owner: str, cart_id: str | None, limit: int, offset: int) -> list[EventRecord]:
        pattern = None if cart_id is None else '%"shoppingCart":{"id":"' + _like_escape(cart_id) + '"%'
        args = (owner, pattern, limit, offset)

        async def unit(db: Connection) -> list[EventRecord]:
            events = await db.fetchall(self.sql.owner_events, args)
            deliveries: dict[str, list[DeliveryStatus]] = {}
            for row in await db.fetchall(self.sql.deliveries_of_events, args):
                deliveries.setdefault(row[0], []).append(
                    DeliveryStatus(
                        row[1],
                        row[2],
                        row[3],
                        self._read_time(row[4]),
                        self._maybe_time(row[5]),
                        self._maybe_time(row[6]),
                        row[7],
                    )
                )
            return [
                EventRecord(row[0], row[1], self._read_time(row[2]), _text(row[3]).encode(), deliveries.get(row[0], []))
                for row in events
            ]

        return await self._run(unit)

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        return bool(await self._execute(self.sql.replay_delivery, (owner, event_id, hub_id, self._time(at))))

    def _maybe_time(self, value: Any) -> datetime | None:
        return None if value is None else self._read_time(value)

    async def purge_carts(self, updated_before: datetime, limit: int, check: Callable[[str, Cart], Effects]) -> int:
        cutoff = self._time(updated_before)

        async def unit(db: Connection) -> int:
            rows = await db.fetchall(self.sql.expired_drafts, (cutoff, limit))
            for _, owner, doc in rows:
                await self._commit_effects(db, check(owner, documents.load(doc)))
            await db.executemany(self.sql.delete_cart, [(row[0],) for row in rows])
            return len(rows)

        return await self._transaction_if(self.sql.any_expired_draft, (cutoff,), unit, 0)

    # -- orders ----------------------------------------------------------------------

    async def place_order(
        self, owner: str, cart_id: str, place: Callable[[Cart, Order | None], OrderPlacement]
    ) -> OrderPlacement | None:
        t = self._time

        async def unit(db: Connection) -> OrderPlacement | None:
            found = await db.fetchone(self.sql.cart_for_update, (owner, cart_id))
            if found is None:
                return None
            # After the lock: a submit that held it before us has committed its order.
            before = await db.fetchval(self.sql.order_of_cart, (owner, cart_id))
            cart = documents.load(found[1])
            placement = place(cart, documents.load_order(before) if before is not None else None)
            if not placement.new:
                return placement
            order = placement.order
            await db.execute(
                self.sql.save_cart,
                (
                    owner,
                    cart_id,
                    found[0],
                    cart.version,
                    cart.state.value,
                    t(cart.lastUpdate),
                    documents.dump(cart).decode(),
                    cart.customer_id,
                ),
            )
            await self._apply(
                db,
                self.sql.insert_order,
                (
                    order.id,
                    owner,
                    cart_id,
                    order.customerOrderId,
                    order.state.value,
                    t(order.submissionDate),
                    t(order.lastUpdate),
                    t(order.next_step_at),
                    documents.dump_order(order).decode(),
                ),
                placement.effects,
            )
            return placement

        return await self._transaction(unit)

    async def get_order(self, owner: str, order_id: str) -> Order | None:
        doc = await self._fetchval(self.sql.order_doc, (owner, order_id))
        return None if doc is None else documents.load_order(doc)

    async def find_orders(
        self, owner: str, found: OrderFilter, limit: int, offset: int
    ) -> tuple[list[Order], int | None]:
        t = self._time
        args = (
            owner,
            found.state,
            found.customer_order_id,
            found.cart_id,
            t(found.submitted_from),
            t(found.submitted_to),
        )

        async def unit(db: Connection) -> tuple[list[Order], int | None]:
            rows = await db.fetchall(self.sql.find_orders, (*args, limit, offset))
            total = await db.fetchval(self.sql.count_orders, (*args, TOTAL_COUNTED + 1))
            return [documents.load_order(row[0]) for row in rows], _bounded(total)

        return await self._run(unit)

    async def _change_order(self, db: Connection, order: Order, change: Callable[[Order], Effects]) -> Order:
        effects = change(order)
        t = self._time
        await self._apply(
            db,
            self.sql.update_order,
            (
                order.id,
                order.state.value,
                t(order.lastUpdate),
                t(order.next_step_at),
                documents.dump_order(order).decode(),
            ),
            effects,
        )
        return order

    async def update_order(self, owner: str, order_id: str, change: Callable[[Order], Effects]) -> Order | None:
        async def unit(db: Connection) -> Order | None:
            doc = await db.fetchval(self.sql.order_for_update, (owner, order_id))
            return None if doc is None else await self._change_order(db, documents.load_order(doc), change)

        return await self._transaction(unit)

    async def claim_due_order(self, now: datetime, change: Callable[[Order], Effects]) -> Order | None:
        at = self._time(now)

        async def unit(db: Connection) -> Order | None:
            # Under the write lock: another worker may have taken the order the probe saw.
            doc = await db.fetchval(self.sql.due_order, (at,))
            return None if doc is None else await self._change_order(db, documents.load_order(doc), change)

        return await self._transaction_if(self.sql.any_due_order, (at,), unit, None)

    # -- idempotency keys ------------------------------------------------------------

    async def claim_key(
        self,
        owner: str,
        key: str,
        fingerprint: str,
        now: datetime,
        expires_at: datetime,
        stale_before: datetime,
    ) -> KeyState:
        t = self._time

        async def unit(db: Connection) -> KeyState:
            # Insert first, so two concurrent first uses cannot both win.
            if await db.fetchval(self.sql.claim_new_key, (owner, key, fingerprint, t(now), t(expires_at))):
                return KeyState(Claim.NEW)
            row = await db.fetchone(self.sql.key_for_update, (owner, key))
            assert row is not None  # the insert above found it taken, and deletions wait for this lock
            created_at, expires = self._read_time(row[5]), self._read_time(row[6])
            if expires > now and not (row[1] == "running" and created_at < stale_before):
                return self._key_state(owner, key, row, fingerprint, created_at, expires)
            await db.execute(self.sql.reclaim_key, (owner, key, fingerprint, t(now), t(expires_at)))
            return KeyState(Claim.NEW)

        return await self._transaction(unit)

    @staticmethod
    def _key_state(
        owner: str, key: str, row: Row, fingerprint: str, created_at: datetime, expires_at: datetime
    ) -> KeyState:
        stored_fingerprint, state, status, headers, body = row[:5]
        if stored_fingerprint != fingerprint:
            return KeyState(Claim.MISMATCH)
        if state == "running":
            return KeyState(Claim.RUNNING)
        return KeyState(
            Claim.DONE,
            StoredResponse(
                owner=owner,
                key=key,
                fingerprint=fingerprint,
                status=status,
                headers=documents.load_headers(headers),
                body=bytes(body),
                created_at=created_at,
                expires_at=expires_at,
            ),
        )

    async def finish_key(self, response: StoredResponse) -> None:
        await self._execute(self.sql.store_response, self._response_row(response))

    async def release_key(self, owner: str, key: str) -> None:
        await self._execute(self.sql.release_key, (owner, key))

    async def purge_keys(self, now: datetime) -> int:
        return await self._execute(self.sql.purge_keys, (self._time(now),))

    async def ping(self) -> None:
        await self._fetchval(self.sql.ping)

    # -- hubs and event delivery -----------------------------------------------------

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
            return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode()) for row in rows]

        async def unit(db: Connection) -> list[Delivery]:
            due = await db.fetchall(self.sql.due_deliveries, (at, limit))
            await db.executemany(self.sql.lease_delivery, [(lease, row[0], row[1]) for row in due])
            return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode()) for row in due]

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

    async def purge_events(self, before: datetime) -> int:
        cutoff = self._time(before)

        async def unit(db: Connection) -> int:
            await db.execute(self.sql.purge_deliveries, (cutoff,))
            return await db.execute(self.sql.purge_events, (cutoff,))

        return await self._transaction(unit)

    # -- API keys --------------------------------------------------------------------

    def _key(self, row: Row) -> ApiKey:
        return ApiKey(
            id=row[0],
            partner=row[1],
            secret_hash=row[2],
            scopes=parse_scopes(row[3]),
            created_at=self._read_time(row[4]),
            revoked_at=None if row[5] is None else self._read_time(row[5]),
        )

    async def add_key(self, key: ApiKey) -> None:
        await self._execute(
            self.sql.insert_key,
            (
                key.id,
                key.partner,
                key.secret_hash,
                format_scopes(key.scopes),
                self._time(key.created_at),
                self._time(key.revoked_at),
            ),
        )

    async def get_key(self, key_id: str) -> ApiKey | None:
        row = await self._fetchone(self.sql.key, (key_id,))
        return None if row is None else self._key(row)

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        sql, args = (self.sql.list_keys, ()) if partner is None else (self.sql.list_partner_keys, (partner,))
        return [self._key(row) for row in await self._fetchall(sql, args)]

    async def revoke_key(self, key_id: str, at: datetime) -> ApiKey | None:
        row = await self._fetchone(self.sql.revoke_key, (key_id, self._time(at)))
        return None if row is None else self._key(row)

    # -- quotas per partner (docs/security.md) -------------------------------------------

    async def count_drafts(self, owner: str, limit: int) -> int:
        """How many Draft carts the owner has, counted up to `limit`."""
        return int(await self._fetchval(self.sql.count_drafts, (owner, limit)))

    async def count_live_keys(self, owner: str, now: datetime, limit: int) -> int:
        """How many of the owner's Idempotency-Keys have not expired at `now`, counted up
        to `limit`."""
        return int(await self._fetchval(self.sql.count_live_keys, (owner, self._time(now), limit)))

    async def add_hub_within(self, hub: Hub, limit: int) -> bool:
        """Add `hub` iff its owner has fewer than `limit` hubs, atomically (two
        registrations racing cannot both take the last place); False: nothing added."""
        args = (hub.id, hub.owner, hub.callback, hub.query, hub.secret, self._time(hub.created_at), limit)

        async def unit(db: Connection) -> bool:
            if self.sql.hub_quota_lock is not None:
                await db.fetchval(self.sql.hub_quota_lock, (hub.owner,))
            return bool(await db.execute(self.sql.insert_hub_within, args))

        return await self._transaction(unit)

    # -- deliveries held behind an open circuit (webhooks/delivery.py) ---------------------

    async def release_delivery(self, event_id: str, hub_id: str, retry_at: datetime) -> None:
        """Hand back a delivery claimed but not attempted: due again at `retry_at`, and
        its claim does not count as an attempt."""
        await self._execute(self.sql.release_delivery, (event_id, hub_id, self._time(retry_at)))


def _bounded(count: int) -> int | None:
    """A count made with LIMIT TOTAL_COUNTED + 1: None when it reached past the bound."""
    return int(count) if count <= TOTAL_COUNTED else None


def _like_escape(text: str) -> str:
    """`text` matched literally by LIKE … ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else bytes(value).decode()
