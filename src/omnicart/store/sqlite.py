"""The embedded store: one SQLite file in WAL mode, adapting the store's repositories
(`repositories.py`, on `core.py`). `sqlite:///:memory:` is a database in memory instead,
which only the store's connection reaches: the store migrates it as it opens it.

Each worker process owns one connection, used from one dedicated thread, so the event
loop never blocks on disk. A whole unit of work runs in that thread in one hop: the
connection's `async def` methods call sqlite3 synchronously and never suspend, so the
unit's coroutine is driven to its end right there (`_drive`). Writers across processes
are serialised by SQLite itself (`BEGIN IMMEDIATE` + busy timeout); a lock that outlasts
the timeout becomes StoreUnavailable (503), never a 500. Background polls look with a
read-only probe before they take the write lock.

Group commit. Within a worker the thread is the bottleneck under load, and most of a
small write's time there is the transaction, not the unit: taking the write lock, and a
WAL commit that writes every page the unit touched (the carts and outbox table and index
leaves) once more. So write units (`_transaction`) do not go to the thread one by one:
they queue on the event loop's side, and whenever the thread is free every unit queued
by then goes to it in one hop (`_start_batch`), to run in ONE transaction
(`_drive_batch`): one `BEGIN IMMEDIATE`, one COMMIT, and consecutive units share the
pages they write. There is no timer: a lone unit on an idle store goes at once, and a
batch is only what queued while the previous one ran, so it waits no longer than it
would have waited anyway. Each unit of a batch runs in a `SAVEPOINT` of its own; one that
raises (`Rollback`, a duplicate customer order id, a bug) is rolled back to it alone and
the others commit. Callers hear their answers only after the COMMIT, so nothing is
acknowledged that is not durable; when the transaction itself fails (BEGIN's busy
timeout, a savepoint, the COMMIT, or a unit's error that made SQLite end the
transaction) every unit of the batch gets that error, none being written. A batch of one
runs exactly as a lone transaction, without a savepoint. Units of a batch run one after
the other and each sees what the ones before it wrote, as if they had queued on the lock
(which is what they did before). A caller cancelled while its unit waits drops it; once
the unit is in a batch it runs, whole or not at all with the batch, and its answer is
dropped. Reads, single statements and the polls' `_transaction_if` go to the thread
directly, as before: a read has no commit to share, and a poll's probe is there to look
before any write lock is taken, which it could not do inside a batch's transaction.

Timestamps are integer microseconds since the epoch (`documents.column_time`).
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Generic, TypeVar

from omnicart.domain.errors import StoreUnavailable
from omnicart.store import documents
from omnicart.store.core import Dialect, Rollback, Row, Unit
from omnicart.store.repositories import Queries, Repositories
from omnicart.store.urls import MEMORY, SQLITE, database_path
from omnicart.store.values import DuplicateCustomerOrderId, Pool
from omnicart.store.wal import CHECKPOINT_EVERY, LOG_LIMIT_FRAMES, Checkpoints, keep_log_short

R = TypeVar("R")

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another process's write lock

_PLACEHOLDER = re.compile(r"\$(\d+)")

DIALECT = Dialect(
    name=SQLITE.system,
    sql=lambda sql: _PLACEHOLDER.sub(r"?\1", sql),
    for_update="",  # BEGIN IMMEDIATE holds the database's one write lock
    skip_locked="",  # one writer at a time: the probe, then a re-read under the lock
    any_owner="IN (SELECT value FROM json_each($1))",
    writable_ctes=False,
    utf8="CAST({} AS BLOB)",
    quota_stripes=1,  # one writer at a time: a second row would only share the quota thinner
)
QUERIES = Queries(DIALECT)


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


def _unit_error(exc: Exception) -> Exception:
    """A unit's error as its caller gets it."""
    if not isinstance(exc, sqlite3.Error):
        return exc
    mapped = _mapped(exc)
    if mapped is not exc:
        mapped.__cause__ = exc
    return mapped


def _complete(work: Any) -> Any:
    """Drive a unit's coroutine to its end (its connection never suspends)."""
    try:
        work.send(None)
    except StopIteration as done:
        return done.value
    work.close()
    raise RuntimeError("a SQLite unit of work must not suspend")


_Outcome = tuple[bool, Any]  # (True, the unit's answer) or (False, the exception its caller gets)


class _Write(Generic[R]):
    """A write unit waiting for the database thread, and where its caller waits."""

    __slots__ = ("future", "unit")

    def __init__(self, unit: Unit[R], future: asyncio.Future[R]) -> None:
        self.unit = unit
        self.future = future


def _answer(batch: list[_Write[Any]], outcomes: list[_Outcome]) -> None:
    for write, (ok, value) in zip(batch, outcomes, strict=True):
        if write.future.done():  # its caller was cancelled: the answer goes nowhere
            continue
        if ok:
            write.future.set_result(value)
        else:
            write.future.set_exception(value)


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


class SQLiteStore(Repositories):
    dialect = DIALECT
    sql = QUERIES
    _time = staticmethod(documents.column_time)
    _read_time = staticmethod(documents.read_time)

    @staticmethod
    def _owners(owners: list[str]) -> str:
        return json.dumps(owners)

    def __init__(
        self, connection: sqlite3.Connection, executor: ThreadPoolExecutor, checkpoints: Checkpoints | None = None
    ) -> None:
        self._db = connection
        self._connection = _SQLiteConnection(connection)
        self._executor = executor
        self._checkpoints = checkpoints  # None: a database in memory has no log
        # Group commit: write units waiting for the database thread, and whether a batch
        # of them is in the thread now (the next batch starts when it is back).
        self._writes: list[_Write[Any]] = []
        self._writing = False
        self.write_batches = 0  # write transactions group commit has run (tests, diagnostics)

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        checkpoint_every: float = CHECKPOINT_EVERY,
        log_limit_frames: int = LOG_LIMIT_FRAMES,
    ) -> SQLiteStore:
        path = database_path(url)
        if path != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnicart-sqlite")

        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if path == MEMORY:
                # A database in memory is this connection's alone and goes with it: nothing
                # else can migrate it (`omnicart migrate` would make one of its own).
                from omnicart.store.migrate import upgrade_connection

                upgrade_connection(db)
            else:
                keep_log_short(db, log_limit_frames)  # checkpoints run beside the writes (wal.py)
            return db

        connection = await asyncio.get_running_loop().run_in_executor(executor, connect)
        checkpoints = None if path == MEMORY else Checkpoints(path, checkpoint_every, log_limit_frames)
        return cls(connection, executor, checkpoints)

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
                result: R = _complete(unit(self._connection))
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

    def _submit(self, call: Callable[..., R], *args: Any) -> Future[R]:
        """Hand `call` to the database thread, which runs what it is handed in order: after
        the log's catch-up when one is due (wal.py)."""
        if self._checkpoints is not None and self._checkpoints.behind:
            self._executor.submit(self._checkpoints.catch_up, self._db)
        return self._executor.submit(call, *args)

    async def _run(self, unit: Unit[R]) -> R:
        return await asyncio.wrap_future(self._submit(self._drive, unit, False, None, (), None))

    async def _transaction(self, unit: Unit[R]) -> R:
        loop = asyncio.get_running_loop()
        write: _Write[R] = _Write(unit, loop.create_future())
        self._writes.append(write)
        if not self._writing:
            self._start_batch(loop)
        # A caller cancelled here leaves its future cancelled: a unit still waiting is
        # dropped when the next batch is taken; one already taken runs, its answer unheard.
        return await write.future

    def _start_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        """In the event loop: hand every write unit waiting now to the database thread, in
        one hop; the next batch starts when this one's answers are back (`_finish_batch`)."""
        batch = [write for write in self._writes if not write.future.done()]
        self._writes.clear()
        if not batch:
            return
        try:
            done = self._submit(self._drive_batch, [write.unit for write in batch])
        except RuntimeError as exc:  # the executor is shut down: the store is closed
            _answer(batch, [(False, exc)] * len(batch))
            return
        self._writing = True
        self.write_batches += 1

        def back(_: Future[list[_Outcome]]) -> None:  # in the database thread
            try:
                loop.call_soon_threadsafe(self._finish_batch, loop, batch, done)
            except RuntimeError:  # the loop is closed: no one waits any more
                self._writing = False

        done.add_done_callback(back)

    def _finish_batch(
        self, loop: asyncio.AbstractEventLoop, batch: list[_Write[Any]], done: Future[list[_Outcome]]
    ) -> None:
        """In the event loop: answer every caller of a batch, then start the next one."""
        self._writing = False
        try:
            outcomes = done.result()
        except BaseException as exc:  # whatever ended the batch is every caller's answer
            outcomes = [(False, exc)] * len(batch)
        _answer(batch, outcomes)
        self._wrote(loop)
        if self._writes:
            self._start_batch(loop)

    def _drive_batch(self, units: list[Unit[Any]]) -> list[_Outcome]:
        """In the database thread: run `units` in one write transaction, each in a savepoint
        of its own, so that one that fails or rolls back is undone alone; answers each
        unit's outcome once the COMMIT succeeded. A failure of the transaction itself (the
        BEGIN, a savepoint, the COMMIT, or a unit's error that ended the transaction) is
        every unit's answer: none of them is durable."""
        if len(units) == 1:  # nothing to keep apart: exactly a lone transaction
            try:
                return [(True, self._drive(units[0], True, None, (), None))]
            except Exception as exc:  # handed to its caller
                return [(False, exc)]
        db = self._db
        outcomes: list[_Outcome] = []
        try:
            db.execute("BEGIN IMMEDIATE")
            for unit in units:
                db.execute("SAVEPOINT unit")
                try:
                    outcomes.append((True, _complete(unit(self._connection))))
                except Exception as exc:  # undone alone, handed to its caller
                    if isinstance(exc, sqlite3.Error) and not db.in_transaction:
                        raise  # sqlite ended the whole transaction: the batch is lost
                    db.execute("ROLLBACK TO unit")
                    outcomes.append((True, exc.value) if isinstance(exc, Rollback) else (False, _unit_error(exc)))
                db.execute("RELEASE unit")
            db.execute("COMMIT")
        except Exception as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            return [(False, _unit_error(exc)) for _ in units]  # an exception of its own for each caller
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return outcomes

    async def _transaction_if(self, probe: str, args: Sequence[Any], unit: Unit[R], idle: R) -> R:
        result: R = await asyncio.wrap_future(self._submit(self._drive, unit, True, probe, args, idle))
        self._wrote(asyncio.get_running_loop())
        return result

    async def _fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return await self._single(sql, args, _value)

    async def _fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        return await self._single(sql, args, sqlite3.Cursor.fetchone)

    async def _fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return await self._single(sql, args, sqlite3.Cursor.fetchall)

    async def _execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        return await self._single(sql, args, _rowcount)

    async def _single(self, sql: str, args: Sequence[Any], fetch: Callable[[sqlite3.Cursor], R]) -> R:
        result: R = await asyncio.wrap_future(self._submit(self._statement, sql, args, fetch))
        self._wrote(asyncio.get_running_loop())  # a single statement may write (`UPDATE … RETURNING` too)
        return result

    def _wrote(self, loop: asyncio.AbstractEventLoop) -> None:
        """After a commit: the log may be due a checkpoint (wal.py)."""
        if self._checkpoints is not None:
            self._checkpoints.written(loop)

    def pool_status(self) -> Pool:
        # One connection, one thread: calls queue for it (the executor has no public count
        # of its queue), and write units wait for the next group commit.
        queued = self._executor._work_queue.qsize() + len(self._writes)
        return Pool(1, 1 if queued else 0, queued)  # in use: a lower bound (a lone running call is not seen)

    async def close(self) -> None:
        if self._checkpoints is not None:  # first: the store's connection, closed last, copies the rest
            await asyncio.to_thread(self._checkpoints.close)
        await asyncio.get_running_loop().run_in_executor(self._executor, self._db.close)
        self._executor.shutdown(wait=True)
