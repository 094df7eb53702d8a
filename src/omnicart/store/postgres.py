"""The scale-out store: PostgreSQL through an asyncpg connection pool.

Any number of stateless API workers share one database. A change is a read-modify-write
under `SELECT … FOR UPDATE`, so two concurrent changes to one cart queue up instead of
overwriting each other. Losing the server maps to StoreUnavailable (503 + Retry-After);
the pool reconnects by itself once the server is back.
"""

from __future__ import annotations

import builtins  # `list` is a method of the store
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, AsyncIterator, TypeVar

import asyncpg

from omnicart.domain.cart import ProductOrder
from omnicart.domain.credentials import ApiKey, format_scopes
from omnicart.domain.errors import StoreUnavailable
from omnicart.domain.events import Event, Hub
from omnicart.domain.order import Order
from omnicart.store import (
    NO_EFFECTS,
    CartDocument,
    Claim,
    Delivery,
    DeliveryStatus,
    DuplicateCustomerOrderId,
    Effects,
    EventRecord,
    KeyState,
    OrderPlacement,
    StoredResponse,
    documents,
)

R = TypeVar("R")

# Failures that say "the database is not there right now", as opposed to a bug.
UNAVAILABLE = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.InterfaceError,
)

SELECT_FOR_UPDATE = "SELECT doc FROM carts WHERE owner = $1 AND id = $2 FOR UPDATE"


async def _init_connection(connection: asyncpg.Connection) -> None:
    # Documents travel as JSON text produced and parsed by msgspec, not by the driver.
    await connection.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=lambda text: text, decoder=lambda text: text, format="text"
    )


class PostgresStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10) -> PostgresStore:
        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=1,
                max_size=pool_size,
                init=_init_connection,
                command_timeout=30,
                max_inactive_connection_lifetime=60,
            )
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"cannot reach PostgreSQL: {exc}") from exc
        return cls(pool)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        try:
            async with self._pool.acquire(timeout=10) as connection:
                yield connection
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"the cart store is unavailable: {exc}") from exc
        except TimeoutError as exc:
            raise StoreUnavailable("no database connection became free in time") from exc

    async def _transaction(self, work: Callable[[asyncpg.Connection], Awaitable[R]]) -> R:
        async with self._connection() as connection:
            async with connection.transaction():
                return await work(connection)

    # -- carts ---------------------------------------------------------------------

    async def add(self, owner: str, cart: ProductOrder, doc: bytes, effects: Effects = NO_EFFECTS) -> None:
        insert = (
            "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            cart.id, owner, cart.version, cart.state.value, documents.as_datetime(cart.creationDate),
            documents.as_datetime(cart.lastUpdate), doc.decode(),
        )
        if _one_statement(effects):
            # One statement is atomic by itself: no transaction to begin and commit.
            async with self._connection() as connection:
                await _execute_with_effects(connection, insert, effects)
        else:
            await self._transaction(lambda connection: _execute_with_effects(connection, insert, effects))

    async def get(self, owner: str, cart_id: str) -> ProductOrder | None:
        async with self._connection() as connection:
            doc = await connection.fetchval(
                "SELECT doc FROM carts WHERE owner = $1 AND id = $2", owner, cart_id
            )
        return documents.load(doc) if doc is not None else None

    async def update(
        self, owner: str, cart_id: str, change: Callable[[ProductOrder], Effects]
    ) -> ProductOrder | None:
        async def modify(connection: asyncpg.Connection) -> ProductOrder | None:
            doc = await connection.fetchval(SELECT_FOR_UPDATE, owner, cart_id)
            if doc is None:
                return None
            cart = documents.load(doc)
            effects = change(cart)
            await _execute_with_effects(connection, (
                "UPDATE carts SET version = $3, state = $4, updated_at = $5, doc = $6 WHERE owner = $1 AND id = $2",
                owner, cart_id, cart.version, cart.state.value, documents.as_datetime(cart.lastUpdate),
                documents.dump(cart).decode(),
            ), effects)
            return cart

        return await self._transaction(modify)

    async def delete(
        self, owner: str, cart_id: str, check: Callable[[ProductOrder], Effects]
    ) -> bool:
        async def remove(connection: asyncpg.Connection) -> bool:
            doc = await connection.fetchval(SELECT_FOR_UPDATE, owner, cart_id)
            if doc is None:
                return False
            effects = check(documents.load(doc))
            await connection.execute("DELETE FROM carts WHERE owner = $1 AND id = $2", owner, cart_id)
            await _commit_effects(connection, effects)
            return True

        return await self._transaction(remove)

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        async with self._connection() as connection:
            row = await connection.fetchrow(
                "SELECT id, version, state, updated_at, doc::text FROM carts WHERE owner = $1 AND id = $2", owner, cart_id)
        return _document(row) if row is not None else None

    async def list_documents(self, owner: str, limit: int, offset: int) -> list[CartDocument]:
        async with self._connection() as connection:
            rows = await connection.fetch(
                "SELECT id, version, state, updated_at, doc::text FROM carts WHERE owner = $1"
                " ORDER BY updated_at DESC, id LIMIT $2 OFFSET $3", owner, limit, offset)
        return [_document(row) for row in rows]

    async def save(self, owner: str, cart: ProductOrder, doc: bytes, expected_version: int, effects: Effects) -> bool:
        async def write(connection: asyncpg.Connection) -> bool:
            status = await connection.execute(
                "UPDATE carts SET version = $3, state = $4, updated_at = $5, doc = $6 WHERE owner = $1 AND id = $2"
                " AND version = $7", owner, cart.id, cart.version, cart.state.value,
                documents.as_datetime(cart.lastUpdate), doc.decode(), expected_version)
            if status.split()[-1] == "0":
                return False
            await _commit_effects(connection, effects)
            return True

        return await self._transaction(write)

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        async def write(connection: asyncpg.Connection) -> bool:
            status = await connection.execute(
                "DELETE FROM carts WHERE owner = $1 AND id = $2 AND version = $3", owner, cart_id, expected_version)
            if status.split()[-1] == "0":
                return False
            await _commit_effects(connection, effects)
            return True

        return await self._transaction(write)

    async def list(self, owner: str, limit: int, offset: int) -> list[ProductOrder]:
        async with self._connection() as connection:
            rows: list[Any] = await connection.fetch(
                "SELECT doc FROM carts WHERE owner = $1 ORDER BY updated_at DESC, id"
                " LIMIT $2 OFFSET $3",
                owner,
                limit,
                offset,
            )
        return [documents.load(row[0]) for row in rows]

    async def purge_carts(
        self, updated_before: datetime, limit: int, check: Callable[[str, ProductOrder], Effects]
    ) -> int:
        async def purge(connection: asyncpg.Connection) -> int:
            docs = await connection.fetch(
                "SELECT owner, doc FROM carts WHERE state = 'Draft' AND updated_at <= $1 ORDER BY updated_at"
                " LIMIT $2 FOR UPDATE SKIP LOCKED",
                updated_before, limit,
            )
            carts = [(row[0], documents.load(row[1])) for row in docs]
            for owner, cart in carts:
                await _commit_effects(connection, check(owner, cart))
            await connection.execute("DELETE FROM carts WHERE id = ANY($1::text[])", [cart.id for _, cart in carts])
            return len(carts)

        return await self._transaction(purge)

    # -- orders ----------------------------------------------------------------------

    async def place_order(
        self, owner: str, cart_id: str, place: Callable[[ProductOrder, Order | None], OrderPlacement]
    ) -> OrderPlacement | None:
        async def submit(connection: asyncpg.Connection) -> OrderPlacement | None:
            doc = await connection.fetchval(SELECT_FOR_UPDATE, owner, cart_id)
            if doc is None:
                return None
            # After the lock: a submit that held it before us has committed its order.
            before = await connection.fetchval(
                "SELECT doc FROM orders WHERE owner = $1 AND cart_id = $2", owner, cart_id
            )
            cart = documents.load(doc)
            placement = place(cart, documents.load_order(before) if before is not None else None)
            if not placement.new:
                return placement
            order = placement.order
            await connection.execute(
                "UPDATE carts SET version = $3, state = $4, updated_at = $5, doc = $6 WHERE owner = $1 AND id = $2",
                owner, cart_id, cart.version, cart.state.value, documents.as_datetime(cart.lastUpdate),
                documents.dump(cart).decode(),
            )
            try:
                await connection.execute(
                    "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
                    " next_step_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    order.id, owner, cart_id, order.customerOrderId, order.state.value, order.submissionDate,
                    order.lastUpdate, order.next_step_at, documents.dump_order(order).decode(),
                )
            except asyncpg.UniqueViolationError as exc:
                if "customer_order_id" in (exc.constraint_name or ""):
                    raise DuplicateCustomerOrderId(order.customerOrderId) from exc
                raise
            await _commit_effects(connection, placement.effects)
            return placement

        return await self._transaction(submit)

    async def get_order(self, owner: str, order_id: str) -> Order | None:
        async with self._connection() as connection:
            doc = await connection.fetchval(
                "SELECT doc FROM orders WHERE owner = $1 AND id = $2", owner, order_id
            )
        return documents.load_order(doc) if doc is not None else None

    async def list_orders(self, owner: str, state: str | None, limit: int, offset: int) -> list[Order]:
        async with self._connection() as connection:
            rows: list[Any] = await connection.fetch(
                "SELECT doc FROM orders WHERE owner = $1 AND ($2::text IS NULL OR state = $2)"
                " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
                owner, state, limit, offset,
            )
        return [documents.load_order(row[0]) for row in rows]

    async def update_order(
        self, owner: str, order_id: str, change: Callable[[Order], Effects]
    ) -> Order | None:
        async def modify(connection: asyncpg.Connection) -> Order | None:
            doc = await connection.fetchval(
                "SELECT doc FROM orders WHERE owner = $1 AND id = $2 FOR UPDATE", owner, order_id
            )
            if doc is None:
                return None
            return await _change_order(connection, documents.load_order(doc), change)

        return await self._transaction(modify)

    async def claim_due_order(
        self, now: datetime, change: Callable[[Order], Effects]
    ) -> Order | None:
        async def take(connection: asyncpg.Connection) -> Order | None:
            # SKIP LOCKED: an order another worker (or a cancel) holds is left to it.
            doc = await connection.fetchval(
                "SELECT doc FROM orders WHERE next_step_at <= $1 ORDER BY next_step_at LIMIT 1"
                " FOR UPDATE SKIP LOCKED",
                now,
            )
            if doc is None:
                return None
            return await _change_order(connection, documents.load_order(doc), change)

        return await self._transaction(take)

    # -- idempotency keys ------------------------------------------------------------

    async def claim_key(
        self, owner: str, key: str, fingerprint: str, now: datetime, expires_at: datetime,
        stale_before: datetime,
    ) -> KeyState:
        async def claim(connection: asyncpg.Connection) -> KeyState:
            # Insert-first, so two concurrent first uses cannot both win.
            inserted = await connection.fetchval(
                "INSERT INTO idempotency_keys (owner, key, fingerprint, state, created_at, expires_at)"
                " VALUES ($1, $2, $3, 'running', $4, $5) ON CONFLICT (owner, key) DO NOTHING RETURNING 1",
                owner, key, fingerprint, now, expires_at,
            )
            if inserted:
                return KeyState(Claim.NEW)
            row = await connection.fetchrow(
                "SELECT fingerprint, state, status, headers, body, created_at, expires_at"
                " FROM idempotency_keys WHERE owner = $1 AND key = $2 FOR UPDATE",
                owner, key,
            )
            if row["expires_at"] > now and not (row["state"] == "running" and row["created_at"] < stale_before):
                return documents.key_state(owner, key, tuple(row), fingerprint)
            await connection.execute(
                "UPDATE idempotency_keys SET fingerprint = $3, state = 'running', status = NULL,"
                " headers = NULL, body = NULL, created_at = $4, expires_at = $5"
                " WHERE owner = $1 AND key = $2",
                owner, key, fingerprint, now, expires_at,
            )
            return KeyState(Claim.NEW)

        return await self._transaction(claim)

    async def finish_key(self, response: StoredResponse) -> None:
        async with self._connection() as connection:
            await _store_response(connection, response)

    async def release_key(self, owner: str, key: str) -> None:
        async with self._connection() as connection:
            await connection.execute(
                "DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND state = 'running'", owner, key)

    async def purge_keys(self, now: datetime) -> int:
        async with self._connection() as connection:
            status = await connection.execute("DELETE FROM idempotency_keys WHERE expires_at <= $1", now)
        return int(status.split()[-1])

    async def ping(self) -> None:
        async with self._connection() as connection:
            await connection.fetchval("SELECT 1")

    async def close(self) -> None:
        await self._pool.close()


    # -- hubs and event delivery --------------------------------------------------------

    async def add_hub(self, hub: Hub) -> None:
        async with self._connection() as connection:
            await connection.execute(
                f"INSERT INTO hubs ({documents.HUB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)", *documents.hub_row(hub))

    async def get_hub(self, owner: str, hub_id: str) -> Hub | None:
        async with self._connection() as connection:
            row = await connection.fetchrow(
                f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner = $1 AND id = $2", owner, hub_id)
        return documents.load_hub(row) if row is not None else None

    async def list_hubs(self, owner: str) -> list[Hub]:
        async with self._connection() as connection:
            rows = await connection.fetch(
                f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner = $1 ORDER BY created_at, id", owner)
        return [documents.load_hub(row) for row in rows]

    async def delete_hub(self, owner: str, hub_id: str) -> bool:
        async def remove(connection: asyncpg.Connection) -> bool:
            if not await connection.fetchval(
                    "DELETE FROM hubs WHERE owner = $1 AND id = $2 RETURNING 1", owner, hub_id):
                return False  # not this partner's hub: what is due to it stays
            await connection.execute("DELETE FROM deliveries WHERE hub_id = $1 AND delivered_at IS NULL", hub_id)
            return True

        return await self._transaction(remove)

    async def fan_out(self, limit: int) -> int:
        async def fan(connection: asyncpg.Connection) -> int:
            events = await connection.fetch(
                "SELECT id, event_id, owner, event_type, created_at FROM outbox WHERE NOT fanned_out"
                " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
            if not events:
                return 0
            hubs = [documents.load_hub(row) for row in await connection.fetch(
                f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner = ANY($1::text[])",
                list({event["owner"] for event in events}))]
            await connection.executemany(
                "INSERT INTO deliveries (event_id, hub_id, next_attempt_at) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING",
                [(event["event_id"], hub.id, event["created_at"]) for event in events for hub in hubs
                 if hub.owner == event["owner"] and hub.created_at <= event["created_at"]
                 and hub.wants(event["event_type"])],
            )
            await connection.execute("UPDATE outbox SET fanned_out = true WHERE id = ANY($1::bigint[])",
                                     [event["id"] for event in events])
            return len(events)

        return await self._transaction(fan)

    async def claim_deliveries(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        async with self._connection() as connection:
            rows = await connection.fetch(
                "WITH due AS ("
                "  SELECT event_id, hub_id FROM deliveries"
                "  WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1"
                "  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED),"
                " claimed AS ("
                "  UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2 FROM due"
                "  WHERE d.event_id = due.event_id AND d.hub_id = due.hub_id"
                "  RETURNING d.event_id, d.hub_id, d.attempts)"
                " SELECT c.event_id, c.hub_id, c.attempts, h.callback, h.secret, o.payload"
                " FROM claimed c JOIN hubs h ON h.id = c.hub_id JOIN outbox o ON o.event_id = c.event_id"
                " ORDER BY o.id",
                now, lease_until, limit,
            )
        return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode()) for row in rows]

    async def delivered(self, event_id: str, hub_id: str, at: datetime) -> None:
        async with self._connection() as connection:
            await connection.execute(
                "UPDATE deliveries SET delivered_at = $3, last_error = NULL WHERE event_id = $1 AND hub_id = $2",
                event_id, hub_id, at)

    async def delivery_failed(
        self, event_id: str, hub_id: str, error: str, retry_at: datetime | None, at: datetime
    ) -> None:
        async with self._connection() as connection:
            await connection.execute(
                "UPDATE deliveries SET last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at),"
                " gave_up_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END"
                " WHERE event_id = $1 AND hub_id = $2",
                event_id, hub_id, error, retry_at, at)

    async def purge_events(self, before: datetime) -> int:
        async def purge(connection: asyncpg.Connection) -> int:
            await connection.execute(
                "DELETE FROM deliveries WHERE delivered_at < $1 OR gave_up_at < $1", before)
            status = await connection.execute(
                "DELETE FROM outbox o WHERE o.fanned_out AND o.created_at < $1"
                " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = o.event_id)", before)
            return int(status.split()[-1])

        return await self._transaction(purge)

    # -- API keys ------------------------------------------------------------------

    async def add_key(self, key: ApiKey) -> None:
        async with self._connection() as connection:
            await connection.execute(
                "INSERT INTO api_keys (id, partner, secret_hash, scopes, created_at, revoked_at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                key.id, key.partner, key.secret_hash, format_scopes(key.scopes), key.created_at, key.revoked_at,
            )

    async def get_key(self, key_id: str) -> ApiKey | None:
        async with self._connection() as connection:
            row = await connection.fetchrow(f"SELECT {documents.KEY_COLUMNS} FROM api_keys WHERE id = $1", key_id)
        return documents.load_key(row) if row is not None else None

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        async with self._connection() as connection:
            if partner is None:
                rows = await connection.fetch(f"SELECT {documents.KEY_COLUMNS} FROM api_keys ORDER BY created_at, id")
            else:
                rows = await connection.fetch(
                    f"SELECT {documents.KEY_COLUMNS} FROM api_keys WHERE partner = $1 ORDER BY created_at, id", partner
                )
        return [documents.load_key(row) for row in rows]

    async def revoke_key(self, key_id: str, at: datetime) -> ApiKey | None:
        async with self._connection() as connection:
            # COALESCE keeps the first revocation time; one statement, so no transaction.
            row = await connection.fetchrow(
                f"UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING {documents.KEY_COLUMNS}",
                key_id, at,
            )
        return documents.load_key(row) if row is not None else None

    # == console queries (issue 13) =====================================================
    # Only the sandbox console (api/console.py, through its services) calls these; kept
    # together so the store rewrite can port them as one block (sqlite.py has the twin).

    async def search_carts(
        self, owner: str, state: str | None, text: str | None, limit: int, offset: int
    ) -> builtins.list[CartDocument]:
        pattern = None if not text else "%" + _like_escape(text) + "%"
        async with self._connection() as connection:
            rows = await connection.fetch(
                "SELECT id, version, state, updated_at, doc::text FROM carts WHERE owner = $1"
                " AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR id = $3 OR doc::text LIKE $4)"
                " ORDER BY updated_at DESC, id LIMIT $5 OFFSET $6",
                owner, state, text or None, pattern, limit, offset)
        return [_document(row) for row in rows]

    async def list_events(
        self, owner: str, cart_id: str | None, limit: int, offset: int
    ) -> builtins.list[EventRecord]:
        pattern = None if cart_id is None else '%"shoppingCart":{"id":"' + _like_escape(cart_id) + '"%'
        async with self._connection() as connection:
            events = await connection.fetch(
                "SELECT event_id, event_type, created_at, payload::text FROM outbox WHERE owner = $1"
                " AND ($2::text IS NULL OR payload::text LIKE $2) ORDER BY id DESC LIMIT $3 OFFSET $4",
                owner, pattern, limit, offset)
            rows = await connection.fetch(
                "SELECT d.event_id, d.hub_id, h.callback, d.attempts, d.next_attempt_at, d.delivered_at,"
                " d.gave_up_at, d.last_error FROM deliveries d JOIN hubs h ON h.id = d.hub_id"
                " WHERE h.owner = $1 AND d.event_id = ANY($2::text[]) ORDER BY h.created_at, h.id",
                owner, [row[0] for row in events]) if events else []
        deliveries: dict[str, builtins.list[DeliveryStatus]] = {}
        for row in rows:
            deliveries.setdefault(row[0], []).append(DeliveryStatus(*row[1:]))
        return [EventRecord(row[0], row[1], row[2], row[3].encode(), deliveries.get(row[0], [])) for row in events]

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        async with self._connection() as connection:
            status = await connection.execute(
                "UPDATE deliveries SET delivered_at = NULL, gave_up_at = NULL, next_attempt_at = $4"
                " WHERE event_id = $1 AND hub_id = $2 AND hub_id IN (SELECT id FROM hubs WHERE owner = $3)",
                event_id, hub_id, owner, at)
        return status != "UPDATE 0"



def _document(row: Any) -> CartDocument:
    return CartDocument(row[0], row[1], row[2], row[3], row[4].encode())


async def _change_order(
    connection: asyncpg.Connection, order: Order, change: Callable[[Order], Effects]
) -> Order:
    effects = change(order)
    await connection.execute(
        "UPDATE orders SET state = $2, updated_at = $3, next_step_at = $4, doc = $5 WHERE id = $1",
        order.id, order.state.value, order.lastUpdate, order.next_step_at, documents.dump_order(order).decode(),
    )
    await _commit_effects(connection, effects)
    return order


INSERT_EVENT = "INSERT INTO outbox (event_id, owner, event_type, created_at, payload) VALUES ({})"


def _event_row(event: Event) -> tuple[Any, ...]:
    return event.eventId, event.owner, event.eventType, event.eventTime, documents.dump_event(event).decode()


async def _commit_effects(connection: asyncpg.Connection, effects: Effects) -> None:
    if effects.events:
        await connection.executemany(INSERT_EVENT.format("$1, $2, $3, $4, $5"),
                                     [_event_row(event) for event in effects.events])
    if effects.response is not None:
        await _store_response(connection, effects.response)


def _one_statement(effects: Effects) -> bool:
    """Whether a change and its effects fit in one statement: the common case, a change
    and its one event."""
    return len(effects.events) == 1 and effects.response is None


async def _execute_with_effects(
    connection: asyncpg.Connection, statement: tuple[Any, ...], effects: Effects
) -> None:
    """Run `statement` (SQL, *arguments) and commit `effects` with it. A lone event rides
    in the same statement (a data-modifying CTE): one round trip to the server instead of
    two, on every change."""
    sql, *arguments = statement
    if not _one_statement(effects):
        await connection.execute(sql, *arguments)
        await _commit_effects(connection, effects)
        return
    first = len(arguments) + 1
    placeholders = ", ".join(f"${n}" for n in range(first, first + 5))
    await connection.execute(f"WITH change AS ({sql}) {INSERT_EVENT.format(placeholders)}",
                             *arguments, *_event_row(effects.events[0]))


async def _store_response(connection: asyncpg.Connection, response: StoredResponse) -> None:
    await connection.execute(
        "INSERT INTO idempotency_keys"
        " (owner, key, fingerprint, state, status, headers, body, created_at, expires_at)"
        " VALUES ($1, $2, $3, 'done', $4, $5, $6, $7, $8)"
        " ON CONFLICT (owner, key) DO UPDATE SET state = 'done', status = excluded.status,"
        " headers = excluded.headers, body = excluded.body",
        response.owner, response.key, response.fingerprint, response.status,
        documents.dump_headers(response.headers), response.body, response.created_at, response.expires_at,
    )


# == console queries (issue 13): helpers ===============================================

def _like_escape(text: str) -> str:
    """`text` matched literally by LIKE (PostgreSQL's default escape is the backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
