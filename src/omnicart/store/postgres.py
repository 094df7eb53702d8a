"""The scale-out store: PostgreSQL through an asyncpg connection pool, adapting the store's
repositories (`repositories.py`, on `core.py`).

Any number of stateless API workers share one database. A cart write is optimistic: one
`UPDATE … WHERE version = $n` statement that carries its events and idempotent response
in data-modifying CTEs, so it needs no explicit transaction and holds no lock across
round trips. A cart several workers write at once is changed in a short transaction under
its row lock instead (`change_locked`), as are the read-modify-write units of orders
(`SELECT … FOR UPDATE`); background jobs take rows with `FOR UPDATE SKIP LOCKED`. Losing the server maps
to StoreUnavailable (503 + Retry-After); the pool reconnects by itself once the server is
back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import asyncpg

from omnicart.domain.errors import StoreUnavailable, TextNotStorable
from omnicart.store import documents
from omnicart.store.core import (
    CHANGE_FOLLOWS,
    EVENT_COLUMNS,
    RESPONSE_COLUMNS,
    RESPONSE_CONFLICT,
    Connection,
    Dialect,
    Rollback,
    Row,
    Unit,
)
from omnicart.store.repositories import Queries, Repositories
from omnicart.store.urls import POSTGRESQL, driver_url
from omnicart.store.values import DuplicateCustomerOrderId, Effects, Pool

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

DIALECT = Dialect(
    name=POSTGRESQL.system,
    sql=lambda sql: sql,
    for_update=" FOR UPDATE",
    skip_locked=" FOR UPDATE SKIP LOCKED",
    any_owner="= ANY($1::text[])",
    writable_ctes=True,
    utf8="convert_to({}, 'UTF8')",
    # Writers in many connections: one partner's creates take places in eight rows, not one.
    quota_stripes=8,
)
QUERIES = Queries(DIALECT)


def with_effects(sql: str, first: int, events: int, response: bool) -> str:
    """The change `sql` (its arguments end at `first - 1`) as one statement that also
    commits `events` events (0, 1, or 2 for "several", bound as arrays) and the idempotent
    response, each only if the change touched a row; it answers how many rows it touched.
    A change that needs common table expressions of its own puts them before
    `CHANGE_FOLLOWS` (a data-modifying one cannot be nested in `change`)."""
    ctes, _, change = sql.rpartition(CHANGE_FOLLOWS)
    parts = [f"{ctes}, change AS ({change} RETURNING 1)" if ctes else f"WITH change AS ({change} RETURNING 1)"]
    n = first
    if events == 1:
        parts.append(
            f"event AS (INSERT INTO outbox ({EVENT_COLUMNS}) SELECT ${n}::text, ${n + 1}::text, ${n + 2}::text,"
            f" ${n + 3}::timestamptz, ${n + 4}::text FROM change)"
        )
        n += 5
    elif events:
        parts.append(
            f"event AS (INSERT INTO outbox ({EVENT_COLUMNS}) SELECT e.event_id, e.owner, e.event_type, e.created_at,"
            f" e.payload FROM change, unnest(${n}::text[], ${n + 1}::text[], ${n + 2}::text[],"
            f" ${n + 3}::timestamptz[], ${n + 4}::text[]) WITH ORDINALITY"
            f" AS e(event_id, owner, event_type, created_at, payload, n) ORDER BY e.n)"
        )
        n += 5
    if response:
        parts.append(
            f"response AS (INSERT INTO idempotency_keys ({RESPONSE_COLUMNS}) SELECT ${n}::text, ${n + 1}::text,"
            f" ${n + 2}::text, 'done', ${n + 3}::int, ${n + 4}::text, ${n + 5}::bytea, ${n + 6}::timestamptz,"
            f" ${n + 7}::timestamptz FROM change{RESPONSE_CONFLICT})"
        )
    return ", ".join(parts) + " SELECT count(*) FROM change"


_WITH_EFFECTS: dict[tuple[str, int, int, bool], str] = {}


async def _init_connection(connection: asyncpg.Connection) -> None:
    # JSON travels as text produced and parsed by msgspec, not by the driver (the outbox
    # and the documents are `text` columns; this covers any jsonb left in a query).
    await connection.set_type_codec(
        "jsonb", schema="pg_catalog", encoder=lambda text: text, decoder=lambda text: text, format="text"
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """What a connection handed back to the pool needs beyond asyncpg's own reset, which
    rolls back a transaction left open (a request cancelled mid-write): nothing. omnicart
    keeps no session state (no LISTEN, no session settings, only transaction-level
    advisory locks), so asyncpg's default reset query (`RESET ALL; UNLISTEN *; …`) would be
    a round trip per request for nothing."""


# How long a request waits for a connection when all of the pool's are in use (then 503).
ACQUIRE_TIMEOUT_SECONDS = 10


async def connection_pool(url: str, pool_size: int) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        driver_url(url),
        min_size=1,
        max_size=pool_size,
        init=_init_connection,
        reset=_keep_session,
        command_timeout=30,
        max_inactive_connection_lifetime=60,
    )


def _rowcount(status: str) -> int:
    """How many rows a command changed, from its status ("UPDATE 1", "INSERT 0 1")."""
    return int(status.rpartition(" ")[2])


class _PostgresConnection:
    """The core's connection interface on an asyncpg connection."""

    __slots__ = ("_connection",)

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self._connection.fetchrow(sql, *args)
        return row

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._connection.fetch(sql, *args))

    async def fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return await self._connection.fetchval(sql, *args)

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        return _rowcount(await self._connection.execute(sql, *args))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._connection.executemany(sql, rows)


class PostgresStore(Repositories):
    dialect = DIALECT
    sql = QUERIES
    _time = staticmethod(documents.as_datetime)  # asyncpg takes and gives datetimes
    # ANALYZE's picture of a table's states (stats.py): rows, and each state's share of them.
    estimated_counts = (
        "SELECT c.reltuples::bigint, s.most_common_vals::text::text[], s.most_common_freqs FROM pg_class c"
        " LEFT JOIN pg_stats s ON s.schemaname = c.relnamespace::regnamespace::text"
        " AND s.tablename = c.relname AND s.attname = 'state'"
        " WHERE c.oid = to_regclass($1)"
    )

    @staticmethod
    def _read_time(value: Any) -> Any:
        return value

    @staticmethod
    def _owners(owners: list[str]) -> list[str]:
        return owners

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, *, pool_size: int = 10) -> PostgresStore:
        try:
            pool = await connection_pool(url, pool_size)
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"cannot reach PostgreSQL: {exc}") from exc
        return cls(pool)

    async def _apply(self, db: Connection, sql: str, args: Sequence[Any], effects: Effects) -> bool:
        """The change and its effects in one statement (`with_effects`): one round trip,
        atomic without a transaction."""
        events, response = effects.events, effects.response
        if not events and response is None:
            return bool(await db.execute(sql, args))
        shape = (sql, len(args) + 1, min(len(events), 2), response is not None)
        statement = _WITH_EFFECTS.get(shape)
        if statement is None:
            statement = _WITH_EFFECTS[shape] = with_effects(*shape)
        arguments = list(args)
        if len(events) == 1:
            arguments += self._event_row(events[0])
        elif events:
            arguments += [list(column) for column in zip(*(self._event_row(e) for e in events), strict=True)]
        if response is not None:
            arguments += self._response_row(response)
        return bool(await db.fetchval(statement, arguments))

    # -- how units of work run -----------------------------------------------------------

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:  # a pooled asyncpg connection (proxy)
        # The wait for a connection is bounded only when there may be one: an idle
        # connection is handed over without suspending (nothing awaits between the count
        # and the hand-over), and asyncpg arms a timer for a bounded acquire and again for
        # its release (~3 % of a Create Cart's CPU under load). A pooled connection that
        # must be opened again is bounded by the connect timeout; every statement by
        # command_timeout.
        timeout = None if self._pool.get_idle_size() else ACQUIRE_TIMEOUT_SECONDS
        try:
            async with self._pool.acquire(timeout=timeout) as connection:
                try:
                    yield connection
                except TimeoutError as exc:  # past command_timeout
                    raise StoreUnavailable("a statement of the cart store ran out of time") from exc
        except TimeoutError as exc:  # before UNAVAILABLE: a TimeoutError is an OSError
            raise StoreUnavailable("no database connection became free in time") from exc
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"the cart store is unavailable: {exc}") from exc
        except asyncpg.CharacterNotInRepertoireError as exc:
            # PostgreSQL's text refuses NUL; every text parameter (a filter, a form field, an
            # id) passes here, so this is the one check for all of them (a body's strings are
            # refused while decoding). A Python str holds nothing else text refuses.
            raise TextNotStorable() from exc
        except asyncpg.UniqueViolationError as exc:
            if "customer_order_id" in (exc.constraint_name or ""):
                raise DuplicateCustomerOrderId(exc.detail or str(exc)) from exc
            raise

    async def _run(self, unit: Unit[R]) -> R:
        async with self._connection() as connection:
            try:
                return await unit(_PostgresConnection(connection))
            except Rollback as rollback:
                value: R = rollback.value
                return value

    async def _transaction(self, unit: Unit[R]) -> R:
        async with self._connection() as connection:
            try:
                async with connection.transaction():
                    return await unit(_PostgresConnection(connection))
            except Rollback as rollback:
                value: R = rollback.value
                return value

    async def _fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        async with self._connection() as connection:
            return await connection.fetchval(sql, *args)

    async def _fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        async with self._connection() as connection:
            row: Row | None = await connection.fetchrow(sql, *args)
            return row

    async def _fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        async with self._connection() as connection:
            return list(await connection.fetch(sql, *args))

    async def _execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        async with self._connection() as connection:
            return _rowcount(await connection.execute(sql, *args))

    def pool_status(self) -> Pool:
        size, idle = self._pool.get_size(), self._pool.get_idle_size()
        # asyncpg has no public count of waiting acquirers: its free-connection queue's waiters.
        waiting = len(getattr(getattr(self._pool, "_queue", None), "_getters", ()) or ())
        return Pool(size, size - idle, waiting)

    async def close(self) -> None:
        await self._pool.close()
