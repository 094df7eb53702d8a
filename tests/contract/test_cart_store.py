"""The repository contract: what every store implementation must do, on every database."""

from __future__ import annotations

import asyncio

import pytest

from omnicart.domain.errors import PreconditionFailed
from omnicart.domain.events import new_event
from omnicart.store import NO_EFFECTS, Effects
from tests.contract.conftest import add, make_cart


class TestAddAndGet:
    async def test_a_cart_reads_back_equal_to_what_was_added(self, store):
        cart = make_cart(items=3)
        await add(store, cart)
        assert await store.get("partner-a", cart.id) == cart

    async def test_an_unknown_id_reads_as_none(self, store):
        assert await store.get("partner-a", make_cart().id) is None

    async def test_a_cart_is_invisible_to_another_owner(self, store):
        cart = make_cart(owner="partner-a")
        await add(store, cart)
        assert await store.get("partner-b", cart.id) is None
        assert await store.list("partner-b", 10, 0) == []

    async def test_listing_is_per_owner_and_newest_change_first(self, store):
        first, second = make_cart(), make_cart()
        await add(store, first)
        await add(store, second)
        await add(store, make_cart(owner="partner-b"))

        def bump(cart):
            cart.touch(cart.lastUpdate.replace(year=2027))
            return NO_EFFECTS

        await store.update("partner-a", first.id, bump)
        assert [c.id for c in await store.list("partner-a", 10, 0)] == [first.id, second.id]
        assert [c.id for c in await store.list("partner-a", 1, 1)] == [second.id]


class TestUpdate:
    async def test_a_change_is_written_with_its_new_version(self, store):
        cart = make_cart()
        await add(store, cart)

        def change(c):
            c.extra["changed"] = True
            c.version += 1
            return NO_EFFECTS

        updated = await store.update("partner-a", cart.id, change)
        assert updated.version == 2
        assert await store.get("partner-a", cart.id) == updated

    async def test_a_change_that_raises_writes_nothing(self, store):
        cart = make_cart()
        await add(store, cart)

        def refuse(c):
            c.extra["half"] = "written"
            raise PreconditionFailed('"9"')

        with pytest.raises(PreconditionFailed):
            await store.update("partner-a", cart.id, refuse)
        assert await store.get("partner-a", cart.id) == cart

    async def test_updating_a_missing_cart_answers_none(self, store):
        assert await store.update("partner-a", make_cart().id, lambda c: NO_EFFECTS) is None

    async def test_another_owner_cannot_update(self, store):
        cart = make_cart()
        await add(store, cart)
        assert await store.update("partner-b", cart.id, lambda c: NO_EFFECTS) is None

    async def test_concurrent_changes_are_serialised_not_lost(self, store):
        cart = make_cart()
        await add(store, cart)

        def increment(c):
            c.extra["count"] = c.extra.get("count", 0) + 1
            c.version += 1
            return NO_EFFECTS

        await asyncio.gather(*(store.update("partner-a", cart.id, increment) for _ in range(20)))
        final = await store.get("partner-a", cart.id)
        assert (final.extra["count"], final.version) == (20, 21)


class TestDelete:
    async def test_a_deleted_cart_is_gone(self, store):
        cart = make_cart()
        await add(store, cart)
        assert await store.delete("partner-a", cart.id, lambda c: NO_EFFECTS) is True
        assert await store.get("partner-a", cart.id) is None
        assert await store.delete("partner-a", cart.id, lambda c: NO_EFFECTS) is False

    async def test_a_refused_delete_keeps_the_cart(self, store):
        cart = make_cart()
        await add(store, cart)

        def refuse(c):
            raise PreconditionFailed('"9"')

        with pytest.raises(PreconditionFailed):
            await store.delete("partner-a", cart.id, refuse)
        assert await store.get("partner-a", cart.id) == cart


class TestEffects:
    async def test_events_commit_with_the_change(self, store):
        cart = make_cart()
        event = new_event("ShoppingCartCreateEvent", "partner-a", "shoppingCart", b'{"id":"%s"}' % cart.id.encode(),
                          cart.creationDate)
        await add(store, cart, Effects(events=[event]))
        assert await store.get("partner-a", cart.id) == cart

    async def test_effects_of_a_refused_change_are_not_written(self, store):
        cart = make_cart()
        await add(store, cart)

        def refuse(c):
            raise PreconditionFailed('"9"')

        with pytest.raises(PreconditionFailed):
            await store.update("partner-a", cart.id, refuse)


class TestHealth:
    async def test_ping_answers_when_the_store_is_up(self, store):
        await store.ping()
