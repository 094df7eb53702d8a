"""Reading the outbox straight from the database, to check which events a change committed
(the outbox belongs to the events feature; these tests only look)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.database import rows

QUERY = "SELECT event_type, payload FROM outbox ORDER BY id"


async def read_outbox(database_url: str, resource: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(eventType, the event envelope) of every event (about a `resource`, e.g.
    "productOrder", when given), oldest first."""
    found = await rows(database_url, QUERY)
    events = [(kind, json.loads(payload) if isinstance(payload, str | bytes) else payload) for kind, payload in found]
    return [(kind, envelope) for kind, envelope in events if resource is None or resource in envelope["event"]]


def outbox(database_url: str, resource: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """`read_outbox` for synchronous tests."""
    return asyncio.run(read_outbox(database_url, resource))


def deliveries(database_url: str) -> list[tuple[int, str | None]]:
    """(attempts so far, the last attempt's error) of every delivery."""
    return [(row[0], row[1]) for row in asyncio.run(rows(database_url, "SELECT attempts, last_error FROM deliveries"))]
