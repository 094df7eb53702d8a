"""Quotas per partner in the store (issues 11 and 21), on every database: a hub, a draft
cart and a live Idempotency-Key are each taken within the quota atomically, even by
writers racing in several connections or processes, and a place given up (a draft
submitted, a key expired) is found again when the quota looks full."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from omnicart.domain.events import new_event
from omnicart.store import NO_EFFECTS, Claim, Effects, EventFilter, documents, open_store
from omnicart.wire.cart import State
from tests.contract.conftest import add, cart_page, make_cart
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


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


async def two_workers(store, database_url, write, n: int) -> list:
    """`write(store, i)` for i in range(n), all at once, half of them through a second
    store (a pool of its own, as another worker would have)."""
    other = await open_store(database_url, pool_size=4)
    try:
        return list(await asyncio.gather(*[write(store if i % 2 else other, i) for i in range(n)]))
    finally:
        await other.close()


async def add_draft(store, owner="partner-a", quota=5, effects=NO_EFFECTS) -> bool:
    cart = make_cart(owner)
    return bool(await store.add_within(owner, cart, documents.dump(cart), effects, quota))


async def test_drafts_racing_never_pass_the_quota_nor_fall_short_of_it(store, database_url):
    added = await two_workers(store, database_url, lambda s, i: add_draft(s, quota=5), 12)
    assert sorted(added) == [False] * 7 + [True] * 5
    assert await store.count_drafts("partner-a", 100) == 5


async def test_a_refused_draft_writes_nothing_not_even_its_event(store):
    assert await add_draft(store, quota=1) is True
    event = new_event("CartCreated", "partner-a", "shoppingCart", b'{"id":"x"}', NOW)
    assert await add_draft(store, quota=1, effects=Effects(events=[event])) is False
    assert len(await cart_page(store, "partner-a")) == 1
    assert await store.list_events("partner-a", EventFilter(), 10, 0) == ([], 0)


async def test_a_draft_submitted_or_gone_frees_its_place(store):
    carts = [make_cart() for _ in range(2)]
    for cart in carts:
        assert await store.add_within("partner-a", cart, documents.dump(cart), NO_EFFECTS, 2) is True
    assert await add_draft(store, quota=2) is False
    submitted = carts[0]
    submitted.state, submitted.version = State.SUBMITTED, 2
    assert await store.save("partner-a", submitted, documents.dump(submitted), 1, NO_EFFECTS) is True
    assert await add_draft(store, quota=2) is True
    assert await add_draft(store, quota=2) is False
    assert await store.remove("partner-a", carts[1].id, 1, NO_EFFECTS) is True
    assert await add_draft(store, quota=2) is True
    assert await add_draft(store, owner="partner-b", quota=2) is True  # a quota per partner


async def test_drafts_stored_before_the_quota_was_kept_are_counted(store):
    for _ in range(3):
        await add(store, make_cart())  # no quota: as stored before quotas were taken
    assert await add_draft(store, quota=3) is False
    assert await add_draft(store, quota=4) is True


async def claim(store, key: str, now=NOW, quota=5) -> Claim:
    state = await store.claim_key(
        "partner-a", key, "f", now, now + timedelta(hours=1), now - timedelta(seconds=60), quota
    )
    return state.claim


async def test_new_keys_racing_never_pass_the_quota_nor_fall_short_of_it(store, database_url):
    claims = await two_workers(store, database_url, lambda s, i: claim(s, f"k{i}"), 12)
    assert sorted(c.value for c in claims) == ["full"] * 7 + ["new"] * 5
    assert await store.count_live_keys("partner-a", NOW, 100) == 5


async def test_a_refused_key_is_not_taken_and_known_keys_still_answer(store):
    assert [await claim(store, k, quota=1) for k in ("k1", "k2")] == [Claim.NEW, Claim.FULL]
    assert await claim(store, "k1", quota=1) is Claim.RUNNING  # a known key is no new place
    assert await store.count_live_keys("partner-a", NOW, 10) == 1


async def test_an_expired_key_frees_its_place(store):
    assert await claim(store, "k1", quota=1) is Claim.NEW
    later = NOW + timedelta(hours=2)  # k1 expired
    assert await claim(store, "k2", now=later, quota=1) is Claim.NEW
    assert await claim(store, "k1", now=later, quota=1) is Claim.FULL  # taken over: it would live again
