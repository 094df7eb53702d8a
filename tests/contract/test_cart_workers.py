"""Cart changes from several workers at once: each worker keeps the carts it wrote last
(services.carts.RecentCarts), and a copy another worker made stale never wins or refuses
anything on its own. Two CartService instances on one database stand for two workers."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from omnicart.domain.cart import CartCreate, ProductOrderItem
from omnicart.domain.errors import CartNotFound, DuplicateItemId, PreconditionFailed
from omnicart.services import CartService
from omnicart.store import open_store
from tests.conftest import SEED_REQUEST

PLAN = "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"  # Value Plus VL


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
    await asyncio.gather(*(
        (a if n % 2 else b).add_items("partner-a", cart_id, [item(f"i{n}")]) for n in range(16)
    ))
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
