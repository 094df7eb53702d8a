"""The repository contract for Idempotency-Key records, on every database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from omnicart.store import Claim, StoredResponse

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=24)


async def claim(store, key="k", fingerprint="f", now=NOW, owner="partner-a"):
    return await store.claim_key(owner, key, fingerprint, now, now + timedelta(hours=24), now - timedelta(seconds=60))


def response(owner="partner-a", key="k", fingerprint="f") -> StoredResponse:
    return StoredResponse(
        owner, key, fingerprint, 201, [("location", "/x"), ("etag", '"1"')], b'{"id":"x"}', NOW, LATER
    )


class TestClaim:
    async def test_the_first_use_holds_the_key(self, store):
        assert (await claim(store)).claim is Claim.NEW

    async def test_a_second_use_while_running_is_refused(self, store):
        await claim(store)
        assert (await claim(store, now=NOW + timedelta(seconds=1))).claim is Claim.RUNNING

    async def test_another_fingerprint_is_a_mismatch(self, store):
        await claim(store)
        assert (await claim(store, fingerprint="g")).claim is Claim.MISMATCH

    async def test_a_finished_key_replays_its_response(self, store):
        await claim(store)
        await store.finish_key(response())
        state = await claim(store, now=NOW + timedelta(minutes=5))
        assert state.claim is Claim.DONE
        assert state.response.status == 201
        assert state.response.headers == [("location", "/x"), ("etag", '"1"')]
        assert state.response.body == b'{"id":"x"}'

    async def test_keys_are_scoped_per_partner(self, store):
        await claim(store, owner="partner-a")
        assert (await claim(store, owner="partner-b")).claim is Claim.NEW

    async def test_an_expired_key_can_be_used_again(self, store):
        await claim(store)
        await store.finish_key(response())
        assert (await claim(store, fingerprint="g", now=LATER + timedelta(seconds=1))).claim is Claim.NEW

    async def test_a_running_key_of_a_dead_worker_is_taken_over_after_the_lease(self, store):
        await claim(store)
        assert (await claim(store, now=NOW + timedelta(seconds=61))).claim is Claim.NEW

    async def test_a_released_key_is_free_again(self, store):
        await claim(store)
        await store.release_key("partner-a", "k")
        assert (await claim(store)).claim is Claim.NEW

    async def test_concurrent_first_uses_give_exactly_one_holder(self, store):
        states = await asyncio.gather(*(claim(store) for _ in range(10)))
        assert sorted(s.claim.value for s in states) == ["new"] + ["running"] * 9

    async def test_purging_removes_only_expired_keys(self, store):
        await claim(store, key="old")
        await claim(store, key="new", now=NOW + timedelta(hours=12))
        await store.finish_key(StoredResponse("partner-a", "new", "f", 200, [], b"", NOW, LATER + timedelta(hours=12)))
        assert await store.purge_keys(LATER + timedelta(seconds=1)) == 1
        assert (await claim(store, key="new", now=LATER)).claim is Claim.DONE
