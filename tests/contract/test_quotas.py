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
from tests.database import rows


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


async def test_many_writers_at_once_stop_exactly_at_the_quota_and_never_deadlock(store, database_url):
    # Forty writers in two pools at a quota of 25: the quota's shares run out stripe by
    # stripe, so many writers count again under the stripes' locks while the others hold
    # one stripe each (a deadlock there is an error here, not a wait).
    for owner in ("partner-burst-1", "partner-burst-2", "partner-burst-3"):
        added = await two_workers(store, database_url, lambda s, i, owner=owner: add_draft(s, owner, quota=25), 40)
        assert sorted(added) == [False] * 15 + [True] * 25
        assert await store.count_drafts(owner, 100) == 25


# A partner's use of a quota as the store keeps it (store/quotas.py), by stripe: (stripe,
# places taken, share of the quota, the quota the shares were cut for). The state after
# one counted write, 3 drafts held at a quota of 10: the count on stripe 0, the 7 free
# places spread over the stripes (PostgreSQL: eight; SQLite, one writer: one).
SHARES_AT_3_OF_10 = {
    "sqlite": [(0, 3, 10, 10)],
    "postgresql": [(0, 3, 4, 10)] + [(n, 0, 1, 10) for n in range(1, 7)] + [(7, 0, 0, 10)],
}


async def test_a_count_cuts_the_quota_into_shares_that_add_up_to_it(store, database_url):
    for _ in range(2):
        await add(store, make_cart())  # stored with no quota: the first write with one counts
    assert await add_draft(store, quota=10) is True
    usage = "SELECT stripe, used, share, quota FROM quota_usage WHERE owner = 'partner-a' ORDER BY stripe"
    assert await rows(database_url, usage) == SHARES_AT_3_OF_10[database_url.split(":")[0]]
    assert [await add_draft(store, quota=10) for _ in range(8)] == [True] * 7 + [False]
    taken = await rows(database_url, usage)
    assert sum(used for _, used, _, _ in taken) == 10  # counted again at the refusal: exact
    assert all(used <= share for _, used, share, _ in taken)


async def test_shares_cut_for_another_quota_give_no_place(store):
    assert [await add_draft(store, quota=10) for _ in range(3)] == [True] * 3
    assert await add_draft(store, quota=3) is False  # lowered: the shares of 10 do not count
    assert await add_draft(store, quota=4) is True


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
