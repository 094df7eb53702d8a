"""The floor omnicart's Create Cart is measured against: a raw ASGI app, no framework.

It does what any Create Cart must do and nothing else: read and parse the JSON body,
make a time-based id and timestamps, INSERT one row equivalent to omnicart's into the
same `carts` table with the same driver setup (SQLite: one connection used from one
dedicated thread, WAL, synchronous=NORMAL; PostgreSQL: an asyncpg pool of the same size
with the same jsonb-as-text codec), and answer 201 with the cart, Location and ETag.
No validation, no middleware, no logging: the gap to omnicart is what those cost.

With BENCH_FLOOR_WRITES=1 it also makes the durable writes omnicart's Create Cart makes,
in the same transaction as the cart (and, on PostgreSQL, in the same one statement):
the cart's event in the outbox (the envelope with the cart as its snapshot) and a place
in the partner's draft quota (`quota_usage`, a stripe drawn at random). The gap between
the two floors is what those writes cost; the gap from there to omnicart is the rest
(auth, metrics, logging, validation, pricing, the framework).

It also answers the item writes and the read of bench/items.lua (`POST …/carts/{id}/items`,
`DELETE …/carts/{id}/items/{itemId}`, `GET …/carts/{id}`) on carts omnicart made in the
same database, doing only what a change of a cart kept as one document must: the cart
held decoded in memory after its first read (omnicart keeps its carts so too), the item
added or removed, the document encoded, and one transaction that writes it only if its
version is still the one held, with the change's event and the cart as its snapshot. No
pricing, no validation: the floor of a 200-item cart's write next to a 1-item cart's.

    BENCH_DATABASE_URL=sqlite:////tmp/x.db uvicorn --app-dir bench baseline_app:app \
        --loop uvloop --http httptools --no-access-log
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import sqlite3
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import msgspec

URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("OMNICART_DATABASE_URL", "")
PATH = "/omni-svcs/v1/carts"
INSERT = (
    "INSERT INTO carts (id, owner, version, state, created_at, updated_at, doc)"
    " VALUES ({})".format(", ".join("?" * 7) if URL.startswith("sqlite") else "$1, $2, $3, $4, $5, $6, $7")
)
VALIDATION = {"status": "valid", "readyToSubmit": False, "validationMessage": [], "configuration": []}
WRITES = os.environ.get("BENCH_FLOOR_WRITES") == "1"
OWNER, KIND, STRIPES, ROOM = "sandbox", "draft_carts", 8, 1_000_000_000  # a quota never reached
PLACE = "UPDATE quota_usage SET used = used + 1 WHERE owner = {o} AND kind = {k} AND stripe = {s} AND used < share"
OUTBOX = "INSERT INTO outbox (event_id, owner, event_type, created_at, payload)"
READ = "SELECT version, doc FROM carts WHERE id = ?"
SAVE = "UPDATE carts SET version = ?, updated_at = ?, doc = ? WHERE id = ? AND version = ?"
SAVE_PG = "UPDATE carts SET version = $1, updated_at = $2, doc = $3 WHERE id = $4 AND version = $5"
STRIPE_ROWS = "INSERT INTO quota_usage (owner, kind, stripe, used, share, quota) VALUES {} ON CONFLICT DO NOTHING"

encode = msgspec.json.Encoder().encode
decode = msgspec.json.Decoder().decode


def _micros(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


class SQLite:
    def __init__(self, url: str) -> None:
        self.path = unquote(urlsplit(url).path)[1:]
        self.executor = ThreadPoolExecutor(max_workers=1)

    async def open(self) -> None:
        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if WRITES:
                db.execute(STRIPE_ROWS.format(f"('{OWNER}', '{KIND}', 0, 0, {ROOM}, {ROOM})"))
            return db

        self.db = await asyncio.get_running_loop().run_in_executor(self.executor, connect)

    async def insert(self, row: tuple[Any, ...], event: tuple[Any, ...] | None = None) -> None:
        # Timestamps as integer microseconds since the epoch, like omnicart's SQLite store.
        row = (*row[:4], _micros(row[4]), _micros(row[5]), row[6])
        if event is None:
            await asyncio.get_running_loop().run_in_executor(self.executor, self.db.execute, INSERT, row)
            return
        event = (*event[:3], _micros(event[3]), event[4])

        def unit(db: sqlite3.Connection) -> None:
            db.execute(PLACE.format(o="?", k="?", s="0"), (OWNER, KIND))  # SQLite: one stripe, as omnicart's
            db.execute(INSERT, row)
            db.execute(OUTBOX + " VALUES (?, ?, ?, ?, ?)", event)

        await asyncio.get_running_loop().run_in_executor(self.executor, self._transaction, unit)

    def _transaction(self, unit: Callable[[sqlite3.Connection], Any]) -> Any:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            result = unit(db)
            db.execute("COMMIT")
            return result
        except BaseException:
            db.execute("ROLLBACK")
            raise

    async def ready(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self.executor, self.db.execute, "SELECT 1")

    async def read(self, cart_id: str) -> tuple[int, str] | None:
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, lambda: self.db.execute(READ, (cart_id,)).fetchone())

    async def save(self, cart_id: str, version: int, doc: str, event: tuple[Any, ...]) -> bool:
        event = (*event[:3], _micros(event[3]), event[4])

        def unit(db: sqlite3.Connection) -> bool:
            saved = db.execute(SAVE, (version + 1, event[3], doc, cart_id, version)).rowcount == 1
            if saved:
                db.execute(OUTBOX + " VALUES (?, ?, ?, ?, ?)", event)
            return saved

        return await asyncio.get_running_loop().run_in_executor(self.executor, self._transaction, unit)


class Postgres:
    def __init__(self, url: str) -> None:
        self.url = url

    async def open(self) -> None:
        import asyncpg

        async def init(connection: asyncpg.Connection) -> None:
            await connection.set_type_codec(
                "jsonb", schema="pg_catalog", encoder=lambda t: t, decoder=lambda t: t, format="text"
            )

        self.pool = await asyncpg.create_pool(
            self.url, min_size=1, max_size=int(os.environ.get("OMNICART_POOL_SIZE", "10")), init=init,
            command_timeout=30, max_inactive_connection_lifetime=60,
        )
        if WRITES:
            rows = ", ".join(f"('{OWNER}', '{KIND}', {n}, 0, {ROOM}, {ROOM})" for n in range(STRIPES))
            await self.pool.execute(STRIPE_ROWS.format(rows))

    async def insert(self, row: tuple[Any, ...], event: tuple[Any, ...] | None = None) -> None:
        if event is None:
            await self.pool.execute(INSERT, *row)
            return
        # One statement, as omnicart's: the place, the cart if it got one, its event.
        place = PLACE.format(o="$2", k=f"'{KIND}'", s="$8")
        await self.pool.execute(
            f"WITH place AS ({place} RETURNING 1), cart AS ({INSERT.split(' VALUES')[0]}"
            " SELECT $1, $2, $3::int, $4, $5::timestamptz, $6::timestamptz, $7 FROM place RETURNING 1)"
            f" {OUTBOX} SELECT $9, $2, $10, $5::timestamptz, $11 FROM cart",
            *row, random.randrange(STRIPES), *event[:1], event[2], event[4])

    async def ready(self) -> None:
        await self.pool.fetchval("SELECT 1")

    async def read(self, cart_id: str) -> tuple[int, str] | None:
        return await self.pool.fetchrow(READ.replace("?", "$1"), cart_id)

    async def save(self, cart_id: str, version: int, doc: str, event: tuple[Any, ...]) -> bool:
        # One statement: the document if its version is still the one held, and its event.
        saved = await self.pool.fetchval(
            f"WITH cart AS ({SAVE_PG} RETURNING 1), event AS ({OUTBOX} SELECT $6, $7, $8, $2, $9 FROM cart)"
            " SELECT count(*) FROM cart", version + 1, event[3], doc, cart_id, version, event[0], event[1],
            event[2], event[4])
        return saved == 1


store = SQLite(URL) if URL.startswith("sqlite") else Postgres(URL)


def stamp(moment: datetime) -> str:
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S')}.{moment.microsecond // 1000:03d}Z"


async def read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def create_cart(scope: dict[str, Any], receive: Any, send: Any) -> None:
    raw = decode(await read_body(receive))
    cart_id = str(uuid.uuid1(node=secrets.randbits(48) | 0x010000000000))
    now = datetime.now(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    doc = {
        "id": cart_id, "owner": "sandbox", "version": 1, "state": "Draft",
        "creationDate": now, "lastUpdate": now, "channel": raw["channel"],
        "relatedParty": raw["relatedParty"], "productOrderItem": [], "orderTotalPrice": [],
        "validation": VALIDATION, "extra": {},
    }
    stored = encode(doc)
    event = None
    if WRITES:
        event_id = str(uuid.uuid4())
        envelope = encode({"eventId": event_id, "eventType": "ShoppingCartCreateEvent", "eventTime": stamp(now),
                           "event": {"shoppingCart": msgspec.Raw(stored)}})
        event = (event_id, OWNER, "ShoppingCartCreateEvent", now, envelope.decode())
    await store.insert((cart_id, OWNER, 1, "Draft", now, now, stored.decode()), event)
    host = next((v for k, v in scope["headers"] if k == b"host"), b"localhost").decode("latin-1")
    href = f"http://{host}{PATH}/{cart_id}"
    answer = encode({
        "id": cart_id, "href": href, "version": 1, "state": "Draft",
        "creationDate": stamp(now), "lastUpdate": stamp(now), "channel": raw["channel"],
        "relatedParty": raw["relatedParty"], "productOrderItem": [], "orderTotalPrice": [],
        "validation": VALIDATION,
    })
    await send({"type": "http.response.start", "status": 201, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode()),
        (b"location", href.encode()), (b"etag", b'"1"'),
    ]})
    await send({"type": "http.response.body", "body": answer})


async def answer(send: Any, status: int, body: bytes = b"", version: int | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if version is not None:
        headers.append((b"etag", f'"{version}"'.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


held: dict[str, tuple[int, dict[str, Any]]] = {}  # cart id -> (version, document), as read or written last


async def cart_of(cart_id: str) -> tuple[int, dict[str, Any]] | None:
    if cart_id not in held:
        row = await store.read(cart_id)
        if row is None:
            return None
        held[cart_id] = (row[0], decode(row[1]))
    return held[cart_id]


async def change_items(method: str, cart_id: str, item_id: str | None, receive: Any, send: Any) -> None:
    body = await read_body(receive)
    found = await cart_of(cart_id)
    if found is None:
        return await answer(send, 404)
    version, doc = found
    items = doc["productOrderItem"]
    if method == "POST":
        added = decode(body)["items"]
        if {i.get("productOrderItemId") for i in added} & {i["productOrderItemId"] for i in items}:
            return await answer(send, 409, version=version)
        changed = [*items, *added]
    else:
        changed = [i for i in items if i["productOrderItemId"] != item_id]
        if len(changed) == len(items):
            return await answer(send, 404, version=version)
    now = datetime.now(UTC)
    doc = {**doc, "productOrderItem": changed, "version": version + 1, "lastUpdate": stamp(now)}
    stored = encode(doc)
    event_id = str(uuid.uuid4())
    envelope = encode({"eventId": event_id, "eventType": "ShoppingCartAttributeValueChangeEvent",
                       "eventTime": stamp(now), "event": {"shoppingCart": msgspec.Raw(stored)}})
    event = (event_id, OWNER, "ShoppingCartAttributeValueChangeEvent", now, envelope.decode())
    if not await store.save(cart_id, version, stored.decode(), event):
        held.pop(cart_id, None)  # changed by another: read it again next time
        return await answer(send, 412)
    held[cart_id] = (version + 1, doc)
    await answer(send, 200, stored, version + 1)


async def read_cart(cart_id: str, send: Any) -> None:
    row = await store.read(cart_id)
    if row is None:
        return await answer(send, 404)
    await answer(send, 200, row[1].encode(), row[0])


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await store.open()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["method"] == "POST" and scope["path"] == PATH:
        await create_cart(scope, receive, send)
        return
    parts = scope["path"][len(PATH) + 1:].split("/") if scope["path"].startswith(PATH + "/") else []
    if len(parts) == 1 and scope["method"] == "GET":
        return await read_cart(parts[0], send)
    if len(parts) >= 2 and parts[1] == "items" and scope["method"] in ("POST", "DELETE"):
        item_id = parts[2] if len(parts) == 3 else None
        return await change_items(scope["method"], parts[0], item_id, receive, send)
    status = 404
    if scope["path"] == "/ready":
        await store.ready()
        status = 200
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
