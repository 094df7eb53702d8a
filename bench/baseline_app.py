"""The floor omnicart's Create Cart is measured against: a raw ASGI app, no framework.

It does what any Create Cart must do and nothing else: read and parse the JSON body,
make a time-based id and timestamps, INSERT one row equivalent to omnicart's into the
same `carts` table with the same driver setup (SQLite: one connection used from one
dedicated thread, WAL, synchronous=NORMAL; PostgreSQL: an asyncpg pool of the same size
with the same jsonb-as-text codec), and answer 201 with the cart, Location and ETag.
No validation, no middleware, no logging: the gap to omnicart is what those cost.

    BENCH_DATABASE_URL=sqlite:////tmp/x.db uvicorn --app-dir bench baseline_app:app \
        --loop uvloop --http httptools --no-access-log
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import uuid
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
            return db

        self.db = await asyncio.get_running_loop().run_in_executor(self.executor, connect)

    async def insert(self, row: tuple[Any, ...]) -> None:
        # Timestamps as integer microseconds since the epoch, like omnicart's SQLite store.
        row = (*row[:4], _micros(row[4]), _micros(row[5]), row[6])
        await asyncio.get_running_loop().run_in_executor(self.executor, self.db.execute, INSERT, row)

    async def ready(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self.executor, self.db.execute, "SELECT 1")


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

    async def insert(self, row: tuple[Any, ...]) -> None:
        await self.pool.execute(INSERT, *row)

    async def ready(self) -> None:
        await self.pool.fetchval("SELECT 1")


store = SQLite(URL) if URL.startswith("sqlite") else Postgres(URL)


def stamp(moment: datetime) -> str:
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S')}.{moment.microsecond // 1000:03d}Z"


async def create_cart(scope: dict[str, Any], receive: Any, send: Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    raw = decode(body)
    cart_id = str(uuid.uuid1(node=secrets.randbits(48) | 0x010000000000))
    now = datetime.now(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    doc = {
        "id": cart_id, "owner": "sandbox", "version": 1, "state": "Draft",
        "creationDate": now, "lastUpdate": now, "channel": raw["channel"],
        "relatedParty": raw["relatedParty"], "productOrderItem": [], "orderTotalPrice": [],
        "validation": VALIDATION, "extra": {},
    }
    await store.insert((cart_id, "sandbox", 1, "Draft", now, now, encode(doc).decode()))
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
    status = 404
    if scope["path"] == "/ready":
        await store.ready()
        status = 200
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
