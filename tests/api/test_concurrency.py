"""No lost writes: many writers on one cart, through HTTP, against several worker processes."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.conftest import CARTS

pytestmark = pytest.mark.slow

WRITERS = 64
SIM = "SIM_pkey80001_sku6001001"


async def _post_items(server, cart_id: str, headers: dict[str, str] | None = None) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=WRITERS)
    async with httpx.AsyncClient(base_url=server.url, headers=server.headers, timeout=120, limits=limits) as client:
        return await asyncio.gather(
            *(
                client.post(
                    f"{CARTS}/{cart_id}/items",
                    headers=headers or {},
                    json={"items": [{"productOrderItemId": f"w{n}", "productOfferingId": SIM}]},
                )
                for n in range(WRITERS)
            )
        )


def _create(server, seed_request) -> dict:
    response = httpx.post(f"{server.url}{CARTS}", json=seed_request, headers=server.headers)
    assert response.status_code == 201
    return response.json()


def test_64_concurrent_adds_without_if_match_all_land(live_server, seed_request):
    cart = _create(live_server, seed_request)

    responses = asyncio.run(_post_items(live_server, cart["id"]))

    assert [r.status_code for r in responses] == [200] * WRITERS
    final = httpx.get(f"{live_server.url}{CARTS}/{cart['id']}", headers=live_server.headers).json()
    assert sorted(i["productOrderItemId"] for i in final["productOrderItem"]) == sorted(f"w{n}" for n in range(WRITERS))
    assert final["version"] == 1 + WRITERS
    # Every acknowledged write saw a distinct version: none overwrote another.
    assert sorted(r.json()["version"] for r in responses) == list(range(2, 2 + WRITERS))
    nrc = next(p for p in final["orderTotalPrice"] if p["priceType"] == "NRC")
    assert nrc["price"]["dutyFreeAmount"]["value"] == 5.0 * WRITERS


def test_64_concurrent_adds_with_one_stale_if_match_exactly_one_lands(live_server, seed_request):
    cart = _create(live_server, seed_request)

    responses = asyncio.run(_post_items(live_server, cart["id"], {"If-Match": '"1"'}))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (WRITERS - 1)
    for refused in (r for r in responses if r.status_code == 412):
        assert refused.json()["details"]["currentETag"] == '"2"'
        assert refused.headers["etag"] == '"2"'
    final = httpx.get(f"{live_server.url}{CARTS}/{cart['id']}", headers=live_server.headers).json()
    assert (final["version"], len(final["productOrderItem"])) == (2, 1)
