"""The embedded store: one SQLite file in WAL mode, adapting the store core (`core.py`).

Each worker process owns one connection, used from one dedicated thread, so the event
loop never blocks on disk. A whole unit of work runs in that thread in one hop: the
connection's `async def` methods call sqlite3 synchronously and never suspend, so the
unit's coroutine is driven to its end right there (`_drive`). Writers across processes
are serialised by SQLite itself (`BEGIN IMMEDIATE` + busy timeout); a lock that outlasts
the timeout becomes StoreUnavailable (503), never a 500. Background polls look with a
read-only probe before they take the write lock.

Timestamps are integer microseconds since the epoch (`documents.column_time`).
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from omnicart.domain.errors import StoreUnavailable
from omnicart.store import DuplicateCustomerOrderId, documents
from omnicart.store.core import Dialect, Queries, Rollback, Row, StoreCore, Unit

R = TypeVar("R")

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another process's write lock

_PLACEHOLDER = re.compile(r"\$(\d+)")

DIALECT = Dialect(
    name="sqlite",
    sql=lambda sql: _PLACEHOLDER.sub(r"?\1", sql),
    for_update="",  # BEGIN IMMEDIATE holds the database's one write lock
    skip_locked="",  # one writer at a time: the probe, then a re-read under the lock
    any_owner="IN (SELECT value FROM json_each($1))",
    writable_ctes=False,
)
QUERIES = Queries(DIALECT)


def database_path(url: str) -> str:
    """`sqlite:///relative.db`, `sqlite:////abs/path.db` or `sqlite:///:memory:`."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        path = path[1:]
    return path or ":memory:"


def _value(cursor: sqlite3.Cursor) -> Any:
    row = cursor.fetchone()
    return None if row is None else row[0]


def _rowcount(cursor: sqlite3.Cursor) -> int:
    return cursor.rowcount


def _mapped(exc: sqlite3.Error) -> Exception:
    """What a driver error means to the service."""
    if isinstance(exc, sqlite3.OperationalError):  # locked past the busy timeout, disk I/O, …
        return StoreUnavailable(f"the cart store is busy: {exc}")
    if isinstance(exc, sqlite3.IntegrityError) and "customer_order_id" in str(exc):
        return DuplicateCustomerOrderId(str(exc))
    return exc


class _SQLiteConnection:
    """The core's connection interface on sqlite3: `async` in name only."""

    __slots__ = ("_db",)

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self._db.execute(sql, args).fetchone()
        return row

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return self._db.execute(sql, args).fetchall()

    async def fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return _value(self._db.execute(sql, args))

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        return self._db.execute(sql, args).rowcount

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)


class SQLiteStore(StoreCore):
    dialect = DIALECT
    sql = QUERIES
    _time = staticmethod(documents.column_time)
    _read_time = staticmethod(documents.read_time)

    @staticmethod
    def _owners(owners: list[str]) -> str:
        return json.dumps(owners)

    def __init__(self, connection: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        self._db = connection
        self._connection = _SQLiteConnection(connection)
        self._executor = executor

    @classmethod
    async def open(cls, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> SQLiteStore:
        path = database_path(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnicart-sqlite")

        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            return db

        connection = await asyncio.get_running_loop().run_in_executor(executor, connect)
        return cls(connection, executor)

    # -- how units of work run -----------------------------------------------------------

    def _drive(self, unit: Unit[R], write: bool, probe: str | None, args: Sequence[Any], idle: Any) -> R:
        """In the database thread: run `unit` to its end (in a write transaction if
        `write`, and only if `probe` finds a row when there is one)."""
        db = self._db
        try:
            if probe is not None and db.execute(probe, args).fetchone() is None:
                idled: R = idle  # an idle poll takes no write lock from the requests
                return idled
            if write:
                db.execute("BEGIN IMMEDIATE")
            try:
                work = unit(self._connection)
                try:
                    work.send(None)  # type: ignore[attr-defined]
                except StopIteration as done:
                    result: R = done.value
                else:
                    work.close()  # type: ignore[attr-defined]
                    raise RuntimeError("a SQLite unit of work must not suspend")
            except Rollback as rollback:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                rolled_back: R = rollback.value
                return rolled_back
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            if write:
                db.execute("COMMIT")
            return result
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            mapped = _mapped(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def _statement(self, sql: str, args: Sequence[Any], fetch: Callable[[sqlite3.Cursor], R]) -> R:
        """In the database thread: one statement, committed by itself."""
        try:
            return fetch(self._db.execute(sql, args))
        except sqlite3.Error as exc:
            mapped = _mapped(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    async def _run(self, unit: Unit[R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._drive, unit, False, None, (), None
        )

    async def _transaction(self, unit: Unit[R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._drive, unit, True, None, (), None)

    async def _transaction_if(self, probe: str, args: Sequence[Any], unit: Unit[R], idle: R) -> R:
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._drive, unit, True, probe, args, idle
        )

    async def _fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._statement, sql, args, _value)

    async def _fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._statement, sql, args, sqlite3.Cursor.fetchone
        )

    async def _fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self._statement, sql, args, sqlite3.Cursor.fetchall
        )

    async def _execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._statement, sql, args, _rowcount)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._db.close)
        self._executor.shutdown(wait=True)
