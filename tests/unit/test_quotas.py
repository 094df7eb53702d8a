"""A quota counted cheaply (services/quotas.py): the store is asked at most every few
seconds, the worker adds what it created itself, and near the quota it always asks."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from omnicart.services.quotas import Quota

T0 = datetime(2026, 11, 30, tzinfo=UTC)


class Store:
    """What the partners hold; `create` is a worker's create, checked against `quota`."""

    def __init__(self, **held: int) -> None:
        self.held = Counter(held)
        self.counts = 0

    async def count(self, owner: str, at_most: int) -> int:
        self.counts += 1
        return min(self.held[owner], at_most)

    async def create(self, quota: Quota, owner: str, at: datetime = T0) -> bool:
        if await quota.allows(owner, at):
            self.held[owner] += 1
            return True
        return False


async def test_one_worker_is_held_to_the_quota_exactly():
    store = Store()
    quota = Quota(10, store.count)
    assert [await store.create(quota, "p") for _ in range(12)] == [True] * 10 + [False, False]


async def test_far_from_the_quota_the_store_is_counted_once_per_interval():
    store = Store()
    quota = Quota(1000, store.count)
    assert all([await store.create(quota, "p") for _ in range(50)])
    assert store.counts == 1
    assert await store.create(quota, "p", T0 + timedelta(seconds=5))
    await settle()  # the recount runs beside the request
    assert store.counts == 2


async def test_near_the_quota_every_request_counts_what_other_workers_made():
    store = Store(p=8)
    quota = Quota(10, store.count)
    assert await store.create(quota, "p")  # the 9th
    store.held["p"] += 1  # another worker made the 10th meanwhile
    assert not await store.create(quota, "p")
    assert store.counts == 2


async def test_partners_are_counted_apart():
    store = Store()
    quota = Quota(1, store.count)
    assert await store.create(quota, "a") and await store.create(quota, "b")
    assert not await store.create(quota, "a")


async def settle() -> None:
    """Let every task that can run, run (a count is a task of its own)."""
    for _ in range(5):
        await asyncio.sleep(0)


class SlowStore(Store):
    """A store whose counts wait until the test lets them answer."""

    def __init__(self, **held: int) -> None:
        super().__init__(**held)
        self.answer = asyncio.Event()

    async def count(self, owner: str, at_most: int) -> int:
        self.counts += 1
        await self.answer.wait()
        return min(self.held[owner], at_most)


async def test_far_from_the_quota_a_stale_count_is_refreshed_without_the_request_waiting():
    store = SlowStore()
    store.answer.set()
    quota = Quota(1000, store.count)
    assert await store.create(quota, "p")
    store.answer.clear()
    store.held["p"] += 950  # other workers' drafts, unknown to this one until it counts again
    later = T0 + timedelta(seconds=5)
    assert await asyncio.wait_for(store.create(quota, "p", later), timeout=1)  # answered before the count
    assert store.counts == 2
    store.answer.set()
    await settle()
    # Now the worker knows it is near the quota (952 of 1000), so it counts on every request.
    store.answer.clear()
    waiting = asyncio.ensure_future(store.create(quota, "p", later))
    await settle()
    assert not waiting.done() and store.counts == 3
    store.answer.set()
    assert await waiting


async def test_requests_that_need_a_count_at_the_same_time_share_one():
    store = SlowStore()
    quota = Quota(1000, store.count)
    creating = [asyncio.ensure_future(store.create(quota, "p")) for _ in range(10)]
    await asyncio.sleep(0)
    store.answer.set()
    assert all(await asyncio.gather(*creating))
    assert store.counts == 1


async def test_a_failed_count_fails_the_request_that_waited_and_is_tried_again():
    store = Store()
    quota = Quota(10, store.count)
    held = store.count

    async def broken(owner: str, at_most: int) -> int:
        raise ConnectionError("store down")

    quota._count = broken
    try:
        await store.create(quota, "p")
    except ConnectionError:
        pass
    else:
        raise AssertionError("the count's error must reach the request that waited for it")
    quota._count = held
    assert await store.create(quota, "p")
