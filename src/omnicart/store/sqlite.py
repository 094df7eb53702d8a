"""The embedded store: one SQLite file in WAL mode.

Each worker process owns one connection, used from one dedicated thread, so the event
loop never blocks on disk and every statement of a transaction runs on the connection
that began it. Writers across processes are serialised by SQLite itself (`BEGIN
IMMEDIATE` + busy timeout); a lock that outlasts the timeout becomes StoreUnavailable
(503), never a 500.
"""

from __future__ import annotations

import asyncio
import builtins  # `list` is a method of the store
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from omnicart.domain.cart import ProductOrder
from omnicart.domain.credentials import ApiKey, format_scopes
from omnicart.domain.errors import StoreUnavailable
from omnicart.domain.events import Hub
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

BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another process's write lock


def database_path(url: str) -> str:
    """`sqlite:///relative.db`, `sqlite:////abs/path.db` or `sqlite:///:memory:`."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        path = path[1:]
    return path or ":memory:"


class SQLiteStore:
    def __init__(self, connection: sqlite3.Connection, executor: ThreadPoolExecutor) -> None:
        self._db = connection
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

    async def _run(self, work: Callable[[sqlite3.Connection], R]) -> R:
        def guarded() -> R:
            try:
                return work(self._db)
            except sqlite3.OperationalError as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StoreUnavailable(f"the cart store is busy: {exc}") from exc

        return await asyncio.get_running_loop().run_in_executor(self._executor, guarded)

    def _write(self, work: Callable[[sqlite3.Connection], R]) -> Callable[[sqlite3.Connection], R]:
        """Wrap `work` in an immediate (write-locked) transaction."""

        def transaction(db: sqlite3.Connection) -> R:
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

        return transaction

    def _write_if(self, probe: str, arguments: tuple[Any, ...], work: Callable[[sqlite3.Connection], R],
                  idle: R) -> Callable[[sqlite3.Connection], R]:
        """`work` in a write transaction only when the read-only `probe` finds a row: the
        background jobs poll every second in every worker, and an idle poll must not take
        the database's one write lock from the requests."""
        transaction = self._write(work)

        def maybe(db: sqlite3.Connection) -> R:
            return transaction(db) if db.execute(probe, arguments).fetchone() else idle

        return maybe

    # -- carts ---------------------------------------------------------------------

    async def add(self, owner: str, cart: ProductOrder, doc: bytes, effects: Effects = NO_EFFECTS) -> None:
        row = (cart.id, owner, cart.version, cart.state.value, documents.column_time(cart.creationDate),
               documents.column_time(cart.lastUpdate), doc.decode())

        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            _commit_effects(db, effects)

        await self._run(self._write(insert))

    async def get(self, owner: str, cart_id: str) -> ProductOrder | None:
        def read(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT doc FROM carts WHERE owner = ? AND id = ?", (owner, cart_id)
            ).fetchone()

        found = await self._run(read)
        return documents.load(found[0]) if found else None

    async def update(
        self, owner: str, cart_id: str, change: Callable[[ProductOrder], Effects]
    ) -> ProductOrder | None:
        def modify(db: sqlite3.Connection) -> ProductOrder | None:
            found = db.execute(
                "SELECT doc FROM carts WHERE owner = ? AND id = ?", (owner, cart_id)
            ).fetchone()
            if found is None:
                return None
            cart = documents.load(found[0])
            effects = change(cart)
            db.execute(
                "UPDATE carts SET version = ?, state = ?, updated_at = ?, doc = ?"
                " WHERE owner = ? AND id = ?",
                (
                    cart.version,
                    cart.state.value,
                    documents.column_time(cart.lastUpdate),
                    documents.dump(cart).decode(),
                    owner,
                    cart_id,
                ),
            )
            _commit_effects(db, effects)
            return cart

        return await self._run(self._write(modify))

    async def delete(
        self, owner: str, cart_id: str, check: Callable[[ProductOrder], Effects]
    ) -> bool:
        def remove(db: sqlite3.Connection) -> bool:
            found = db.execute(
                "SELECT doc FROM carts WHERE owner = ? AND id = ?", (owner, cart_id)
            ).fetchone()
            if found is None:
                return False
            effects = check(documents.load(found[0]))
            db.execute("DELETE FROM carts WHERE owner = ? AND id = ?", (owner, cart_id))
            _commit_effects(db, effects)
            return True

        return await self._run(self._write(remove))

    async def read(self, owner: str, cart_id: str) -> CartDocument | None:
        found = await self._run(lambda db: db.execute(
            "SELECT id, version, state, updated_at, doc FROM carts WHERE owner = ? AND id = ?", (owner, cart_id)
        ).fetchone())
        return _document(found) if found else None

    async def list_documents(self, owner: str, limit: int, offset: int) -> list[CartDocument]:
        rows = await self._run(lambda db: db.execute(
            "SELECT id, version, state, updated_at, doc FROM carts WHERE owner = ? ORDER BY updated_at DESC, id"
            " LIMIT ? OFFSET ?", (owner, limit, offset)).fetchall())
        return [_document(row) for row in rows]

    async def save(self, owner: str, cart: ProductOrder, doc: bytes, expected_version: int, effects: Effects) -> bool:
        def write(db: sqlite3.Connection) -> bool:
            if not db.execute(
                "UPDATE carts SET version = ?, state = ?, updated_at = ?, doc = ? WHERE owner = ? AND id = ?"
                " AND version = ?",
                (cart.version, cart.state.value, documents.column_time(cart.lastUpdate), doc.decode(), owner,
                 cart.id, expected_version),
            ).rowcount:
                return False
            _commit_effects(db, effects)
            return True

        return await self._run(self._write(write))

    async def remove(self, owner: str, cart_id: str, expected_version: int, effects: Effects) -> bool:
        def write(db: sqlite3.Connection) -> bool:
            if not db.execute("DELETE FROM carts WHERE owner = ? AND id = ? AND version = ?",
                              (owner, cart_id, expected_version)).rowcount:
                return False
            _commit_effects(db, effects)
            return True

        return await self._run(self._write(write))

    async def list(self, owner: str, limit: int, offset: int) -> list[ProductOrder]:
        def read(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                "SELECT doc FROM carts WHERE owner = ? ORDER BY updated_at DESC, id"
                " LIMIT ? OFFSET ?",
                (owner, limit, offset),
            ).fetchall()

        return [documents.load(row[0]) for row in await self._run(read)]

    async def purge_carts(
        self, updated_before: datetime, limit: int, check: Callable[[str, ProductOrder], Effects]
    ) -> int:
        def purge(db: sqlite3.Connection) -> int:
            rows = db.execute(
                "SELECT owner, doc FROM carts WHERE state = 'Draft' AND updated_at <= ? ORDER BY updated_at LIMIT ?",
                (documents.column_time(updated_before), limit),
            ).fetchall()
            carts = [(row[0], documents.load(row[1])) for row in rows]
            for owner, cart in carts:
                _commit_effects(db, check(owner, cart))
                db.execute("DELETE FROM carts WHERE id = ?", (cart.id,))
            return len(carts)

        return await self._run(self._write(purge))

    # -- orders ----------------------------------------------------------------------

    async def place_order(
        self, owner: str, cart_id: str, place: Callable[[ProductOrder, Order | None], OrderPlacement]
    ) -> OrderPlacement | None:
        def submit(db: sqlite3.Connection) -> OrderPlacement | None:
            found = db.execute(
                "SELECT doc FROM carts WHERE owner = ? AND id = ?", (owner, cart_id)
            ).fetchone()
            if found is None:
                return None
            before = db.execute(
                "SELECT doc FROM orders WHERE owner = ? AND cart_id = ?", (owner, cart_id)
            ).fetchone()
            cart = documents.load(found[0])
            placement = place(cart, documents.load_order(before[0]) if before else None)
            if not placement.new:
                return placement
            order = placement.order
            db.execute(
                "UPDATE carts SET version = ?, state = ?, updated_at = ?, doc = ? WHERE owner = ? AND id = ?",
                (cart.version, cart.state.value, documents.column_time(cart.lastUpdate), documents.dump(cart).decode(),
                 owner, cart_id),
            )
            try:
                db.execute(
                    "INSERT INTO orders (id, owner, cart_id, customer_order_id, state, created_at, updated_at,"
                    " next_step_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (order.id, owner, cart_id, order.customerOrderId, order.state.value,
                     documents.column_time(order.submissionDate), documents.column_time(order.lastUpdate),
                     documents.column_time(order.next_step_at), documents.dump_order(order).decode()),
                )
            except sqlite3.IntegrityError as exc:
                if "customer_order_id" in str(exc):
                    raise DuplicateCustomerOrderId(order.customerOrderId) from exc
                raise
            _commit_effects(db, placement.effects)
            return placement

        return await self._run(self._write(submit))

    async def get_order(self, owner: str, order_id: str) -> Order | None:
        def read(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT doc FROM orders WHERE owner = ? AND id = ?", (owner, order_id)
            ).fetchone()

        found = await self._run(read)
        return documents.load_order(found[0]) if found else None

    async def list_orders(self, owner: str, state: str | None, limit: int, offset: int) -> list[Order]:
        def read(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                "SELECT doc FROM orders WHERE owner = ? AND (? IS NULL OR state = ?)"
                " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (owner, state, state, limit, offset),
            ).fetchall()

        return [documents.load_order(row[0]) for row in await self._run(read)]

    async def update_order(
        self, owner: str, order_id: str, change: Callable[[Order], Effects]
    ) -> Order | None:
        def modify(db: sqlite3.Connection) -> Order | None:
            found = db.execute(
                "SELECT doc FROM orders WHERE owner = ? AND id = ?", (owner, order_id)
            ).fetchone()
            if found is None:
                return None
            return _change_order(db, documents.load_order(found[0]), change)

        return await self._run(self._write(modify))

    async def claim_due_order(
        self, now: datetime, change: Callable[[Order], Effects]
    ) -> Order | None:
        due = "SELECT doc FROM orders WHERE next_step_at <= ? ORDER BY next_step_at LIMIT 1"
        at = documents.column_time(now)

        def take(db: sqlite3.Connection) -> Order | None:
            # Read again under the write lock: another process may have taken it meanwhile.
            found = db.execute(due, (at,)).fetchone()
            return None if found is None else _change_order(db, documents.load_order(found[0]), change)

        def claim(db: sqlite3.Connection) -> Order | None:
            # Looking costs no write lock; most polls find nothing due.
            if db.execute(due, (at,)).fetchone() is None:
                return None
            return self._write(take)(db)

        return await self._run(claim)

    # -- idempotency keys ------------------------------------------------------------

    async def claim_key(
        self, owner: str, key: str, fingerprint: str, now: datetime, expires_at: datetime,
        stale_before: datetime,
    ) -> KeyState:
        def claim(db: sqlite3.Connection) -> KeyState:
            row = db.execute(
                "SELECT fingerprint, state, status, headers, body, created_at, expires_at"
                " FROM idempotency_keys WHERE owner = ? AND key = ?",
                (owner, key),
            ).fetchone()
            if row is not None and row[6] > now.isoformat() and not (
                row[1] == "running" and row[5] < stale_before.isoformat()
            ):
                return documents.key_state(owner, key, row, fingerprint)
            db.execute(
                "INSERT INTO idempotency_keys (owner, key, fingerprint, state, created_at, expires_at)"
                " VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT (owner, key) DO UPDATE SET"
                " fingerprint = excluded.fingerprint, state = 'running', status = NULL,"
                " headers = NULL, body = NULL, created_at = excluded.created_at,"
                " expires_at = excluded.expires_at",
                (owner, key, fingerprint, now.isoformat(), expires_at.isoformat()),
            )
            return KeyState(Claim.NEW)

        return await self._run(self._write(claim))

    async def finish_key(self, response: StoredResponse) -> None:
        await self._run(self._write(lambda db: _store_response(db, response)))

    async def release_key(self, owner: str, key: str) -> None:
        await self._run(self._write(lambda db: db.execute(
            "DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND state = 'running'", (owner, key))))

    async def purge_keys(self, now: datetime) -> int:
        return await self._run(self._write(lambda db: db.execute(
            "DELETE FROM idempotency_keys WHERE expires_at <= ?", (now.isoformat(),)).rowcount))

    async def ping(self) -> None:
        await self._run(lambda db: db.execute("SELECT 1").fetchone())

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._db.close)
        self._executor.shutdown(wait=True)


    # -- hubs and event delivery --------------------------------------------------------

    async def add_hub(self, hub: Hub) -> None:
        row = documents.hub_row(hub)
        row = (*row[:5], documents.column_time(hub.created_at))
        await self._run(lambda db: db.execute(
            f"INSERT INTO hubs ({documents.HUB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", row))

    async def get_hub(self, owner: str, hub_id: str) -> Hub | None:
        row = await self._run(lambda db: db.execute(
            f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner = ? AND id = ?", (owner, hub_id)).fetchone())
        return documents.load_hub(row) if row is not None else None

    async def list_hubs(self, owner: str) -> list[Hub]:
        rows = await self._run(lambda db: db.execute(
            f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner = ? ORDER BY created_at, id", (owner,)).fetchall())
        return [documents.load_hub(row) for row in rows]

    async def delete_hub(self, owner: str, hub_id: str) -> bool:
        def remove(db: sqlite3.Connection) -> bool:
            if not db.execute("DELETE FROM hubs WHERE owner = ? AND id = ?", (owner, hub_id)).rowcount:
                return False  # not this partner's hub: what is due to it stays
            db.execute("DELETE FROM deliveries WHERE hub_id = ? AND delivered_at IS NULL", (hub_id,))
            return True

        return await self._run(self._write(remove))

    async def fan_out(self, limit: int) -> int:
        def fan(db: sqlite3.Connection) -> int:
            events = db.execute(
                "SELECT id, event_id, owner, event_type, created_at FROM outbox WHERE NOT fanned_out"
                " ORDER BY id LIMIT ?", (limit,)).fetchall()
            if not events:
                return 0
            owners = sorted({event[2] for event in events})
            hubs = [documents.load_hub(row) for row in db.execute(
                f"SELECT {documents.HUB_COLUMNS} FROM hubs WHERE owner IN ({', '.join('?' * len(owners))})",
                owners).fetchall()]
            for _, event_id, owner, event_type, created_at in events:
                happened = datetime.fromisoformat(created_at)
                db.executemany(
                    "INSERT OR IGNORE INTO deliveries (event_id, hub_id, next_attempt_at) VALUES (?, ?, ?)",
                    [(event_id, hub.id, created_at) for hub in hubs
                     if hub.owner == owner and hub.created_at <= happened and hub.wants(event_type)],
                )
            db.executemany("UPDATE outbox SET fanned_out = 1 WHERE id = ?", [(event[0],) for event in events])
            return len(events)

        pending = "SELECT 1 FROM outbox WHERE NOT fanned_out LIMIT 1"
        return await self._run(self._write_if(pending, (), fan, 0))

    async def claim_deliveries(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        def claim(db: sqlite3.Connection) -> list[Delivery]:
            due = db.execute(
                "SELECT d.event_id, d.hub_id, d.attempts + 1, h.callback, h.secret, o.payload"
                " FROM deliveries d JOIN hubs h ON h.id = d.hub_id JOIN outbox o ON o.event_id = d.event_id"
                " WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND d.next_attempt_at <= ?"
                " ORDER BY d.next_attempt_at, o.id LIMIT ?",
                (documents.column_time(now), limit)).fetchall()
            db.executemany(
                "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ? WHERE event_id = ? AND hub_id = ?",
                [(documents.column_time(lease_until), row[0], row[1]) for row in due])
            return [Delivery(row[0], row[1], row[2], row[3], row[4], row[5].encode()) for row in due]

        due = ("SELECT 1 FROM deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL"
               " AND next_attempt_at <= ? LIMIT 1")
        return await self._run(self._write_if(due, (documents.column_time(now),), claim, []))

    async def delivered(self, event_id: str, hub_id: str, at: datetime) -> None:
        await self._run(lambda db: db.execute(
            "UPDATE deliveries SET delivered_at = ?, last_error = NULL WHERE event_id = ? AND hub_id = ?",
            (documents.column_time(at), event_id, hub_id)))

    async def delivery_failed(
        self, event_id: str, hub_id: str, error: str, retry_at: datetime | None, at: datetime
    ) -> None:
        await self._run(lambda db: db.execute(
            "UPDATE deliveries SET last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), gave_up_at = ?"
            " WHERE event_id = ? AND hub_id = ?",
            (error, documents.column_time(retry_at), None if retry_at else documents.column_time(at),
             event_id, hub_id)))

    async def purge_events(self, before: datetime) -> int:
        cutoff = documents.column_time(before)

        def purge(db: sqlite3.Connection) -> int:
            db.execute("DELETE FROM deliveries WHERE delivered_at < ? OR gave_up_at < ?", (cutoff, cutoff))
            return db.execute(
                "DELETE FROM outbox WHERE fanned_out AND created_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = outbox.event_id)",
                (cutoff,)).rowcount

        return await self._run(self._write(purge))

    # -- API keys ------------------------------------------------------------------

    async def add_key(self, key: ApiKey) -> None:
        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO api_keys (id, partner, secret_hash, scopes, created_at, revoked_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key.id, key.partner, key.secret_hash, format_scopes(key.scopes),
                 key.created_at.isoformat(), key.revoked_at.isoformat() if key.revoked_at else None),
            )

        await self._run(insert)

    async def get_key(self, key_id: str) -> ApiKey | None:
        def read(db: sqlite3.Connection) -> Any:
            return db.execute(f"SELECT {documents.KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)).fetchone()

        found = await self._run(read)
        return documents.load_key(found) if found else None

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        def read(db: sqlite3.Connection) -> list[Any]:
            if partner is None:
                return db.execute(f"SELECT {documents.KEY_COLUMNS} FROM api_keys ORDER BY created_at, id").fetchall()
            return db.execute(
                f"SELECT {documents.KEY_COLUMNS} FROM api_keys WHERE partner = ? ORDER BY created_at, id", (partner,)
            ).fetchall()

        return [documents.load_key(row) for row in await self._run(read)]

    async def revoke_key(self, key_id: str, at: datetime) -> ApiKey | None:
        def revoke(db: sqlite3.Connection) -> Any:
            db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (at.isoformat(), key_id),
            )
            return db.execute(f"SELECT {documents.KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)).fetchone()

        found = await self._run(self._write(revoke))
        return documents.load_key(found) if found else None

    # == console queries (issue 13) =====================================================
    # Only the sandbox console (api/console.py, through its services) calls these; kept
    # together so the store rewrite can port them as one block (postgres.py has the twin).

    async def search_carts(
        self, owner: str, state: str | None, text: str | None, limit: int, offset: int
    ) -> builtins.list[CartDocument]:
        pattern = None if not text else "%" + _like_escape(text) + "%"
        rows = await self._run(lambda db: db.execute(
            "SELECT id, version, state, updated_at, doc FROM carts WHERE owner = ?"
            " AND (? IS NULL OR state = ?) AND (? IS NULL OR id = ? OR doc LIKE ? ESCAPE '\\')"
            " ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
            (owner, state, state, text, text, pattern, limit, offset)).fetchall())
        return [_document(row) for row in rows]

    async def list_events(
        self, owner: str, cart_id: str | None, limit: int, offset: int
    ) -> builtins.list[EventRecord]:
        pattern = None if cart_id is None else '%"shoppingCart":{"id":"' + _like_escape(cart_id) + '"%'

        def read(db: sqlite3.Connection) -> builtins.list[EventRecord]:
            events = db.execute(
                "SELECT event_id, event_type, created_at, payload FROM outbox WHERE owner = ?"
                " AND (? IS NULL OR payload LIKE ? ESCAPE '\\') ORDER BY id DESC LIMIT ? OFFSET ?",
                (owner, pattern, pattern, limit, offset)).fetchall()
            ids = [row[0] for row in events]
            deliveries: dict[str, builtins.list[DeliveryStatus]] = {}
            for row in db.execute(
                "SELECT d.event_id, d.hub_id, h.callback, d.attempts, d.next_attempt_at, d.delivered_at,"
                " d.gave_up_at, d.last_error FROM deliveries d JOIN hubs h ON h.id = d.hub_id"
                f" WHERE h.owner = ? AND d.event_id IN ({', '.join('?' * len(ids))}) ORDER BY h.created_at, h.id",
                (owner, *ids)).fetchall() if ids else []:
                deliveries.setdefault(row[0], []).append(DeliveryStatus(
                    row[1], row[2], row[3], datetime.fromisoformat(row[4]), _time(row[5]), _time(row[6]), row[7]))
            return [EventRecord(row[0], row[1], datetime.fromisoformat(row[2]), row[3].encode(),
                                deliveries.get(row[0], [])) for row in events]

        return await self._run(read)

    async def replay_delivery(self, owner: str, event_id: str, hub_id: str, at: datetime) -> bool:
        return bool(await self._run(self._write(lambda db: db.execute(
            "UPDATE deliveries SET delivered_at = NULL, gave_up_at = NULL, next_attempt_at = ?"
            " WHERE event_id = ? AND hub_id = ? AND hub_id IN (SELECT id FROM hubs WHERE owner = ?)",
            (documents.column_time(at), event_id, hub_id, owner)).rowcount)))


def _document(row: Any) -> CartDocument:
    return CartDocument(row[0], row[1], row[2], datetime.fromisoformat(row[3]), row[4].encode())


def _change_order(db: sqlite3.Connection, order: Order, change: Callable[[Order], Effects]) -> Order:
    effects = change(order)
    db.execute(
        "UPDATE orders SET state = ?, updated_at = ?, next_step_at = ?, doc = ? WHERE id = ?",
        (order.state.value, documents.column_time(order.lastUpdate), documents.column_time(order.next_step_at),
         documents.dump_order(order).decode(), order.id),
    )
    _commit_effects(db, effects)
    return order


def _commit_effects(db: sqlite3.Connection, effects: Effects) -> None:
    for event in effects.events:
        db.execute(
            "INSERT INTO outbox (event_id, owner, event_type, created_at, payload) VALUES (?, ?, ?, ?, ?)",
            (event.eventId, event.owner, event.eventType, documents.column_time(event.eventTime),
             documents.dump_event(event).decode()),
        )
    if effects.response is not None:
        _store_response(db, effects.response)


def _store_response(db: sqlite3.Connection, response: StoredResponse) -> None:
    db.execute(
        "INSERT INTO idempotency_keys"
        " (owner, key, fingerprint, state, status, headers, body, created_at, expires_at)"
        " VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)"
        " ON CONFLICT (owner, key) DO UPDATE SET state = 'done', status = excluded.status,"
        " headers = excluded.headers, body = excluded.body",
        (response.owner, response.key, response.fingerprint, response.status,
         documents.dump_headers(response.headers), response.body, response.created_at.isoformat(),
         response.expires_at.isoformat()),
    )


# == console queries (issue 13): helpers ===============================================

def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
