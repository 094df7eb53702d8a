"""A quota counted cheaply (services/quotas.py): the store is asked at most every few
seconds, the worker adds what it created itself, and near the quota it always asks."""

from __future__ import annotations

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
