"""Cart changes from several workers at once: each worker keeps the carts it wrote last
(services.writer.RecentCarts), and a copy another worker made stale never wins or refuses
anything on its own. Two CartService instances on one database stand for two workers."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import msgspec
import pytest

from omnicart.domain.errors import CartNotFound, DuplicateItemId, PreconditionFailed
from omnicart.domain.representation import encode_cart
from omnicart.services import writer
from omnicart.services.carts import CartService
from omnicart.store import open_store
from omnicart.wire.cart import CartCreate
from omnicart.wire.items import ProductOrderItem
from tests.conftest import SEED_REQUEST

PLAN = "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"  # Value Plus VL


def amounts(duty_free: float, tax_included: float, tax_rate: float | None = None) -> dict:
    found = {
        "dutyFreeAmount": {"unit": "USD", "value": duty_free},
        "taxIncludedAmount": {"unit": "USD", "value": tax_included},
    }
    return found if tax_rate is None else {**found, "taxRate": tax_rate}


# One Value Plus VL: 60.99 a month, plans taxed 10 %: 67.09 (6.099 → 6.10).
MONTHLY_PLAN = {
    "name": "Value Plus VL",
    "priceType": "RC",
    "recurringChargePeriod": "month",
    "recurringChargePeriodLength": 1,
    "price": amounts(60.99, 67.09, 0.1),
    "finalPrice": amounts(60.99, 67.09, 0.1),
    "taxIncluded": "Excluded",
}


def item(item_id: str) -> ProductOrderItem:
    return ProductOrderItem(productOrderItemId=item_id, productOfferingId=PLAN)


@pytest.fixture
async def workers(database_url):
    stores = [await open_store(database_url, pool_size=2) for _ in range(2)]
    yield [CartService(store) for store in stores]
    for store in stores:
        await store.close()


async def new_cart(service: CartService) -> str:
    return (await service.create_cart("partner-a", msgspec.convert(SEED_REQUEST, CartCreate))).id


async def item_ids(service: CartService, cart_id: str) -> list[str]:
    return [i.productOrderItemId for i in (await service.get_cart("partner-a", cart_id)).productOrderItem]


async def test_a_change_on_a_copy_another_worker_made_stale_is_applied_to_the_latest_version(workers):
    a, b = workers
    cart_id = await new_cart(a)  # a keeps version 1
    await b.add_items("partner-a", cart_id, [item("from-b")])  # version 2, a's copy is stale
    changed = await a.add_items("partner-a", cart_id, [item("from-a")])
    assert changed.version == 3
    assert await item_ids(b, cart_id) == ["from-b", "from-a"]


async def test_if_match_is_judged_against_the_store_not_a_stale_copy(workers):
    a, b = workers
    cart_id = await new_cart(a)
    await b.add_items("partner-a", cart_id, [item("from-b")])
    changed = await a.add_items("partner-a", cart_id, [item("from-a")], if_match='"2"')
    assert changed.version == 3
    with pytest.raises(PreconditionFailed):
        await b.add_items("partner-a", cart_id, [item("late")], if_match='"2"')


async def test_a_cart_abandoned_elsewhere_is_gone_even_for_a_worker_that_kept_it(workers):
    a, b = workers
    cart_id = await new_cart(a)
    await b.add_items("partner-a", cart_id, [item("line")])
    await b.abandon_cart("partner-a", cart_id)
    with pytest.raises(CartNotFound):
        await a.add_items("partner-a", cart_id, [item("late")])


async def test_concurrent_writers_in_two_workers_lose_no_change(workers):
    a, b = workers
    cart_id = await new_cart(a)
    await asyncio.gather(*((a if n % 2 else b).add_items("partner-a", cart_id, [item(f"i{n}")]) for n in range(16)))
    assert sorted(await item_ids(a, cart_id)) == sorted(f"i{n}" for n in range(16))
    assert (await a.get_cart("partner-a", cart_id)).version == 17


async def test_a_refused_change_leaves_no_half_changed_copy_behind(workers):
    a, _ = workers
    cart_id = await new_cart(a)
    await a.add_items("partner-a", cart_id, [item("x")])
    with pytest.raises(DuplicateItemId):
        await a.add_items("partner-a", cart_id, [item("y"), item("x")])  # duplicate id: refused
    assert await item_ids(a, cart_id) == ["x"]
    assert (await a.add_items("partner-a", cart_id, [item("y")])).version == 3


async def test_a_worker_changes_the_cart_it_wrote_last_without_reading_it_again(workers, monkeypatch):
    a, _ = workers
    cart_id = await new_cart(a)
    reads = []
    original = a.store.get

    async def counted(*args):
        reads.append(args)
        return await original(*args)

    monkeypatch.setattr(a.store, "get", counted)
    await a.add_items("partner-a", cart_id, [item("x")])
    await a.remove_item("partner-a", cart_id, "x")
    assert reads == []


@pytest.fixture
async def four_workers(database_url):
    stores = [await open_store(database_url, pool_size=4) for _ in range(4)]
    yield [CartService(store) for store in stores]
    for store in stores:
        await store.close()


async def test_64_writers_in_four_workers_all_land_without_running_out_of_attempts(four_workers, monkeypatch):
    # One optimistic attempt, then one under the cart's lock: a change that could still
    # lose would run out here and answer 503.
    monkeypatch.setattr(writer, "MAX_ATTEMPTS", 2)
    cart_id = await new_cart(four_workers[0])
    written = await asyncio.gather(
        *(four_workers[n % 4].add_items("partner-a", cart_id, [item(f"w{n}")]) for n in range(64))
    )
    assert sorted(rendered.version for rendered in written) == list(range(2, 66))
    assert sorted(await item_ids(four_workers[1], cart_id)) == sorted(f"w{n}" for n in range(64))
    assert (await four_workers[2].get_cart("partner-a", cart_id)).version == 65


async def test_a_worker_that_lost_a_race_on_a_cart_queues_on_its_lock_and_only_there(workers, monkeypatch):
    a, b = workers
    cart_id, other_id = await new_cart(a), await new_cart(a)
    locked = []
    original = a.store.change_locked

    async def counted(owner, found_id, kept, change):
        locked.append(found_id)
        return await original(owner, found_id, kept, change)

    monkeypatch.setattr(a.store, "change_locked", counted)
    await a.add_items("partner-a", cart_id, [item("alone")])
    assert locked == []  # nobody else writes it: one optimistic statement
    await b.add_items("partner-a", cart_id, [item("from-b")])
    await a.add_items("partner-a", cart_id, [item("lost")])  # its kept copy is behind: loses, then locks
    await a.add_items("partner-a", cart_id, [item("next")])  # seen contended: straight to the lock
    await a.add_items("partner-a", other_id, [item("elsewhere")])
    assert locked == [cart_id, cart_id]
    assert await item_ids(b, cart_id) == ["alone", "from-b", "lost", "next"]


async def test_writers_of_other_carts_do_not_wait_for_a_cart_held_in_another_worker(workers, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer for the whole database")
    a, b = workers
    held, free = await new_cart(a), await new_cart(a)
    for cart_id in (held, free):  # both written by two workers lately: both go under the lock
        a.writer.contention.seen(cart_id)
        b.writer.contention.seen(cart_id)
    connection = await asyncpg.connect(database_url)
    try:
        async with connection.transaction():
            await connection.execute("SELECT 1 FROM carts WHERE id = $1 FOR UPDATE", held)
            waiting = asyncio.ensure_future(b.add_items("partner-a", held, [item("queued")]))
            changed = await asyncio.wait_for(a.add_items("partner-a", free, [item("x")]), timeout=5)
            assert changed.version == 2
            await asyncio.sleep(0.2)
            assert not waiting.done()
        assert (await asyncio.wait_for(waiting, timeout=5)).version == 2
    finally:
        await connection.close()


async def test_changes_queued_for_a_busy_cart_are_written_together_and_each_answered_on_its_own(workers, monkeypatch):
    a, b = workers
    cart_id = await new_cart(a)
    await a.add_items("partner-a", cart_id, [item("taken")])
    a.writer.contention.seen(cart_id)  # as if another worker wrote it lately
    batches = []
    original = a.store.change_locked

    async def counted(owner, found_id, kept, changes):
        batches.append(len(changes))
        return await original(owner, found_id, kept, changes)

    monkeypatch.setattr(a.store, "change_locked", counted)
    outcomes = await asyncio.gather(
        *(a.add_items("partner-a", cart_id, [item(f"q{n}")]) for n in range(3)),
        a.add_items("partner-a", cart_id, [item("taken")]),  # a duplicate: refused on its own
        a.add_items("partner-a", cart_id, [item("q3")]),
        return_exceptions=True,
    )
    assert batches == [1, 4]  # the first holds the lock while the others queue behind it
    assert [getattr(o, "version", None) for o in outcomes] == [3, 4, 5, None, 6]
    assert isinstance(outcomes[3], DuplicateItemId)
    assert await item_ids(b, cart_id) == ["taken", "q0", "q1", "q2", "q3"]
    assert (await a.add_items("partner-a", cart_id, [item("kept")])).version == 7  # from the kept copy


async def test_a_removal_ends_its_batch_and_the_changes_queued_after_it_find_no_cart(workers):
    a, b = workers
    cart_id = await new_cart(a)
    a.writer.contention.seen(cart_id)
    outcomes = await asyncio.gather(
        a.add_items("partner-a", cart_id, [item("first")]),
        a.add_items("partner-a", cart_id, [item("second")]),
        a.abandon_cart("partner-a", cart_id),
        a.add_items("partner-a", cart_id, [item("late")]),
        return_exceptions=True,
    )
    assert [getattr(o, "version", o) for o in outcomes[:3]] == [2, 3, None]
    assert isinstance(outcomes[3], CartNotFound)
    with pytest.raises(CartNotFound):
        await b.get_cart("partner-a", cart_id)


async def test_what_workers_write_under_contention_is_what_a_whole_assessment_gives(four_workers):
    """The kept memo (domain/assessment.py) rides along the optimistic and the locked way
    alike: every stored version equals the cart priced, validated and encoded from scratch."""
    cart_id = await new_cart(four_workers[0])
    await asyncio.gather(*(four_workers[n % 4].add_items("partner-a", cart_id, [item(f"w{n}")]) for n in range(24)))
    await asyncio.gather(
        *(four_workers[(n + 1) % 4].remove_item("partner-a", cart_id, f"w{n}") for n in range(0, 24, 3))
    )
    await four_workers[3].add_items("partner-a", cart_id, [item("last")])
    fresh = four_workers[0]
    stored = await fresh.store.read("partner-a", cart_id)
    cart = await fresh.store.get("partner-a", cart_id)
    fresh.assess(cart, fresh.clock())  # no memo: everything worked out again
    # By hand: 24 added, 8 removed, 1 added, one version each after the first; 17 plans of
    # 60.99 a month, each taxed 10 % to 67.09 (tests/unit/test_pricing.py): 1036.83 and 1140.53.
    document = json.loads(stored.doc)
    kept = [f"w{n}" for n in range(24) if n % 3] + ["last"]
    assert (stored.version, document["version"]) == (34, 34)
    assert sorted(item["productOrderItemId"] for item in document["productOrderItem"]) == sorted(kept)
    assert all(item["itemPrice"] == [MONTHLY_PLAN] for item in document["productOrderItem"])
    assert document["orderTotalPrice"] == [
        {
            "name": "Due today",
            "priceType": "NRC",
            "price": amounts(0.0, 0.0),
            "finalPrice": amounts(0.0, 0.0),
            "taxIncluded": "Excluded",
        },
        {
            "name": "Monthly recurring",
            "priceType": "RC",
            "recurringChargePeriod": "month",
            "recurringChargePeriodLength": 1,
            "price": amounts(1036.83, 1140.53),
            "finalPrice": amounts(1036.83, 1140.53),
            "taxIncluded": "Excluded",
        },
    ]
    # Beside it, the memo's work against the whole assessment's, byte for byte.
    assert stored.doc == encode_cart(cart)[0]
    assert sorted(await item_ids(fresh, cart_id)) == sorted(kept)
