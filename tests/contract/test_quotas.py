"""Quotas per partner in the store (issue 11), on every database: a hub is added within
the quota atomically, even by registrations racing in several connections or processes."""

from __future__ import annotations

import asyncio

from omnicart.store import NO_EFFECTS, documents, open_store
from omnicart.wire.cart import State
from tests.contract.conftest import add, make_cart
from tests.contract.test_event_store import make_hub


async def test_registrations_racing_never_pass_the_hub_quota(store, database_url):
    # Two stores: two pools, as two workers would have.
    other = await open_store(database_url, pool_size=4)
    try:
        for attempt in range(3):
            owner = f"partner-race-{attempt}"
            hubs = [make_hub(owner=owner) for _ in range(12)]
            added = await asyncio.gather(
                *[(store if i % 2 else other).add_hub_within(hub, 3) for i, hub in enumerate(hubs)]
            )
            assert sorted(added) == [False] * 9 + [True] * 3
            assert len(await store.list_hubs(owner)) == 3
    finally:
        await other.close()


async def test_the_hub_quota_counts_hubs_that_are_gone_no_more(store):
    hubs = [make_hub() for _ in range(2)]
    assert [await store.add_hub_within(hub, 2) for hub in hubs] == [True, True]
    assert await store.add_hub_within(make_hub(), 2) is False
    assert await store.delete_hub("partner-a", hubs[0].id) is True
    assert await store.add_hub_within(make_hub(), 2) is True


async def test_the_draft_count_stops_at_its_bound_and_counts_only_drafts(store):
    carts = [make_cart() for _ in range(4)]
    for cart in carts:
        await add(store, cart)
    assert await store.count_drafts("partner-a", 10) == 4
    assert await store.count_drafts("partner-a", 3) == 3
    submitted = carts[0]
    submitted.state, submitted.version = State.SUBMITTED, 2
    assert await store.save("partner-a", submitted, documents.dump(submitted), 1, NO_EFFECTS) is True
    assert await store.count_drafts("partner-a", 10) == 3
