"""Quotas under a burst against a real server (issue 21): 120 requests at once at a quota
of 50 (drafts, new Idempotency-Keys, hubs) give exactly 50, with one worker on SQLite and
two on PostgreSQL. Before, a draft
quota passed under concurrency (120/120 created) and an Idempotency-Key quota refused
every new key of a burst."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.api.conftest import CARTS
from tests.credentials import OTHER_AUTH
from tests.live import LiveServer

pytestmark = pytest.mark.slow

HUB = "/omni-svcs/v1/hub"
QUOTA = {
    "OMNICART_MAX_DRAFT_CARTS_PER_PARTNER": "50",
    "OMNICART_MAX_IDEMPOTENCY_KEYS_PER_PARTNER": "50",
    "OMNICART_MAX_HUBS_PER_PARTNER": "50",
    "OMNICART_WEBHOOK_PRIVATE_CALLBACKS": "1",
}


async def burst(live: LiveServer, headers: list[dict[str, str]], body: dict, path: str = CARTS) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(headers))
    async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=limits) as client:
        return await asyncio.gather(*(client.post(path, json=body, headers=h) for h in headers))


def outcomes(responses: list[httpx.Response]) -> Counter:
    """How many were created, and how many refused naming which quota."""
    return Counter(
        "created" if r.status_code == 201 else f"{r.status_code} {r.json()['details']['errors'][0]['field']}"
        for r in responses
    )


def test_a_burst_of_120_at_a_quota_of_50_gives_exactly_50(database_url, seed_request, tmp_path):
    workers = 1 if database_url.startswith("sqlite") else 2
    with LiveServer(database_url, workers=workers, env=QUOTA, log=tmp_path / "server.log") as live:
        drafts = asyncio.run(burst(live, [live.headers] * 120, seed_request))
        assert outcomes(drafts) == {"created": 50, "422 productOrder": 70}
        # Another partner, each request with a new key: the key quota refuses 70 and takes
        # nothing for them, so its 50 keys each make one of its 50 drafts.
        keyed = [{**OTHER_AUTH, "Idempotency-Key": f"key-{i}"} for i in range(120)]
        assert outcomes(asyncio.run(burst(live, keyed, seed_request))) == {
            "created": 50,
            "422 Idempotency-Key": 70,
        }
        hubs = asyncio.run(burst(live, [live.headers] * 120, {"callback": "http://127.0.0.1:9/events"}, HUB))
        assert outcomes(hubs) == {"created": 50, "422 callback": 70}
