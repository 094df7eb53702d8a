"""The store core: how a unit of work runs, and how a change's effects commit with it,
written once for both databases. The repositories are built on it, one module per
concern (`carts.py`, `orders.py`, `events.py`, `keys.py`, `stats.py`), and put together
in `repositories.py`.

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
into SQLite's (`?1`) once, when the queries are built. Each concern holds the exact text
of its statements in a queries class of its own (`CartQueries`, …); the adapter's
`sql` (`repositories.Queries`) has every one of them as an attribute, so tests can
EXPLAIN what runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar

from omnicart.domain.events import Event
from omnicart.store import documents
from omnicart.store.values import TOTAL_COUNTED, Effects, StoredResponse

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

    name: str  # `urls.Database.system`
    sql: Callable[[str], str]  # from `$n` placeholders to the driver's
    for_update: str  # row lock of a read-modify-write ("" where the transaction locks all)
    skip_locked: str  # rows another worker holds are left to it
    any_owner: str  # `owner` is one of the array bound to $1 (see `StoreCore._owners`)
    writable_ctes: bool  # a change and its effects fit in one statement (the adapter's `_apply`)
    utf8: str  # a text column `{}` read as its UTF-8 bytes: a document handed over as is, no str between
    quota_stripes: int  # rows a partner's use of a quota is spread over (store/quotas.py)


# Where a change's own common table expressions end and the change begins (PostgreSQL's
# `with_effects` puts the change's effects after it, in the same WITH).
CHANGE_FOLLOWS = " /* the change: */ "
EVENT_COLUMNS = "event_id, owner, event_type, created_at, payload"
RESPONSE_COLUMNS = "owner, key, fingerprint, state, status, headers, body, created_at, expires_at"
RESPONSE_CONFLICT = (
    " ON CONFLICT (owner, key) DO UPDATE SET state = 'done', status = excluded.status,"
    " headers = excluded.headers, body = excluded.body"
)


class CoreQueries:
    """The statements of the effects, and the store's ping. Every concern's queries build
    on these (`super().__init__`), so the adapter's `Queries` builds each part once."""

    def __init__(self, dialect: Dialect) -> None:
        q = dialect.sql
        self.insert_event = q(f"INSERT INTO outbox ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)")
        self.store_response = q(
            f"INSERT INTO idempotency_keys ({RESPONSE_COLUMNS})"
            f" VALUES ($1, $2, $3, 'done', $4, $5, $6, $7, $8){RESPONSE_CONFLICT}"
        )
        self.ping = "SELECT 1"


def _no_effects(effects: Effects) -> bool:
    return not effects.events and effects.response is None


class StoreCore:
    """What every repository of the store is built on: an adapter provides how units of
    work run (`_run`, `_transaction`, `_transaction_if`) and the column codecs; the core
    commits a change's effects with it."""

    sql: ClassVar[CoreQueries]
    dialect: ClassVar[Dialect]

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

    def _maybe_time(self, value: Any) -> datetime | None:
        return None if value is None else self._read_time(value)

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

    async def ping(self) -> None:
        await self._fetchval(self.sql.ping)


def bounded_count(table: str, where: str, bound: str) -> str:
    """How many rows of `table` match `where`, counted up to `bound` (a parameter or a number)."""
    return f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT {bound}) AS found"


def counted_page(columns: str, table: str, where: str, order: str, parameters: int) -> tuple[str, str]:
    """A finding's two statements, for a filter `where` of `parameters` parameters: its
    page (`columns` in `order`, then the limit and the offset), each row carrying as its
    last column how many rows match in all (`bounded_count` up to TOTAL_COUNTED + 1: one
    statement, so one round trip, for page and total); and that count alone, for a page
    past the last match, which has no row to carry it.
    The bound is written out, not a parameter: a generic plan must not guess it (for
    `LIMIT $n` PostgreSQL guesses a tenth of the rows, and would read a large owner's
    rows from the table rather than count them in an index)."""
    limit, offset = (f"${parameters + n}" for n in (1, 2))
    total = bounded_count(table, where, str(TOTAL_COUNTED + 1))
    page = f"SELECT {columns}, ({total}) FROM {table} WHERE {where} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    return page, total


async def page_and_total(
    db: Connection, page: str, count: str, args: Sequence[Any], limit: int, offset: int
) -> tuple[list[Row], int | None]:
    """A finding's page (`counted_page`'s statements, `args` its filter's), its rows
    with the total column last, and how many rows match in all: None past TOTAL_COUNTED.
    The total comes with the rows; only an empty page past the first counts apart."""
    rows = await db.fetchall(page, (*args, limit, offset))
    if rows:
        total = rows[0][-1]
    elif offset:
        total = await db.fetchval(count, args)
    else:
        total = 0
    return rows, (int(total) if total <= TOTAL_COUNTED else None)


def like_escape(text: str) -> str:
    """`text` matched literally by LIKE … ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
