"""Many clients at once against a real server with several worker processes."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.conftest import CARTS

pytestmark = pytest.mark.slow


def test_64_parallel_creates_give_64_distinct_carts(live_server, seed_request):
    async def create_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=live_server.url, timeout=60, headers=live_server.headers) as client:
            return await asyncio.gather(*(client.post(CARTS, json=seed_request) for _ in range(64)))

    responses = asyncio.run(create_all())

    assert [r.status_code for r in responses] == [201] * 64
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 64
    listed = httpx.get(f"{live_server.url}{CARTS}", params={"limit": 100}, headers=live_server.headers).json()
    assert {c["id"] for c in listed} == ids
