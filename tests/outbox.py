"""Reading the outbox straight from the database, to check which events a change committed
(the outbox belongs to the events feature; these tests only look)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from typing import Any

import asyncpg

from omnicart.store.urls import database_path

QUERY = "SELECT event_type, payload FROM outbox ORDER BY id"


async def read_outbox(database_url: str, resource: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(eventType, the event envelope) of every event (about a `resource`, e.g.
    "productOrder", when given), oldest first."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_path(database_url)) as db:
            rows = db.execute(QUERY).fetchall()
    else:
        connection = await asyncpg.connect(database_url)
        try:
            rows = [tuple(row) for row in await connection.fetch(QUERY)]
        finally:
            await connection.close()
    events = [(kind, json.loads(payload) if isinstance(payload, str | bytes) else payload) for kind, payload in rows]
    return [(kind, envelope) for kind, envelope in events if resource is None or resource in envelope["event"]]


def outbox(database_url: str, resource: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """`read_outbox` for synchronous tests."""
    return asyncio.run(read_outbox(database_url, resource))


async def _fetch(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_path(database_url)) as db:
            return db.execute(sql).fetchall()
    connection = await asyncpg.connect(database_url)
    try:
        return [tuple(row) for row in await connection.fetch(sql)]
    finally:
        await connection.close()


def deliveries(database_url: str) -> list[tuple[int, str | None]]:
    """(attempts so far, the last attempt's error) of every delivery."""
    return [
        (row[0], row[1]) for row in asyncio.run(_fetch(database_url, "SELECT attempts, last_error FROM deliveries"))
    ]
