"""The repository contract: what every store implementation must do, on every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from omnicart.domain.events import new_event
from omnicart.store import NO_EFFECTS, CartFilter, Effects, documents
from omnicart.wire.cart import State
from tests.contract.conftest import add, cart_page, make_cart
from tests.outbox import read_outbox


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
        assert await cart_page(store, "partner-b", 10, 0) == []

    async def test_listing_is_per_owner_and_newest_change_first(self, store):
        first, second = make_cart(), make_cart()
        await add(store, first)
        await add(store, second)
        await add(store, make_cart(owner="partner-b"))

        first.touch(datetime(2027, 1, 1, tzinfo=UTC))
        assert await store.save("partner-a", first, documents.dump(first), 1, NO_EFFECTS)
        assert [c.id for c in await cart_page(store, "partner-a", 10, 0)] == [first.id, second.id]
        assert [c.id for c in await cart_page(store, "partner-a", 1, 1)] == [second.id]


class TestEffects:
    async def test_events_commit_with_the_change(self, store):
        cart = make_cart()
        event = new_event(
            "ShoppingCartCreateEvent",
            "partner-a",
            "shoppingCart",
            b'{"id":"%s"}' % cart.id.encode(),
            datetime(2026, 11, 28, tzinfo=UTC),
        )
        await add(store, cart, Effects(events=[event]))
        assert await store.get("partner-a", cart.id) == cart

    async def test_effects_of_a_refused_change_are_not_written(self, store, database_url):
        cart = make_cart()
        await add(store, cart)
        event = new_event(
            "ShoppingCartAttributeValueChangeEvent",
            "partner-a",
            "shoppingCart",
            b"{}",
            datetime(2027, 1, 1, tzinfo=UTC),
        )
        cart.touch(datetime(2027, 1, 1, tzinfo=UTC))
        assert not await store.save("partner-a", cart, documents.dump(cart), 7, Effects(events=[event]))
        assert (await store.get("partner-a", cart.id)).version == 1
        assert await read_outbox(database_url) == []


class TestHealth:
    async def test_ping_answers_when_the_store_is_up(self, store):
        await store.ping()


class TestPageTotals:
    """A page carries its total (store/core.py `counted_page`); a page past the last match
    has no row to carry it and counts apart. Either way the total is the count of matches,
    exact up to TOTAL_COUNTED and None beyond."""

    async def test_every_page_tells_the_same_total(self, store):
        for _ in range(5):
            await add(store, make_cart())
        for limit, offset, shown in ((2, 0, 2), (2, 2, 2), (2, 4, 1), (2, 5, 0), (2, 9, 0), (10, 0, 5)):
            page, total = await store.find_carts("partner-a", CartFilter(), limit, offset)
            assert (len(page), total) == (shown, 5), (limit, offset)
        assert await store.find_carts("partner-b", CartFilter(), 2, 0) == ([], 0)
        assert await store.find_carts("partner-b", CartFilter(), 2, 4) == ([], 0)

    async def test_past_the_bound_no_page_tells_a_total(self, store, monkeypatch):
        monkeypatch.setattr("omnicart.store.core.TOTAL_COUNTED", 3)
        for _ in range(5):
            await add(store, make_cart())
        for limit, offset, shown in ((2, 0, 2), (2, 4, 1), (2, 9, 0)):
            page, total = await store.find_carts("partner-a", CartFilter(), limit, offset)
            assert (len(page), total) == (shown, None), (limit, offset)
        page, total = await store.find_carts("partner-a", CartFilter(state="Submitted"), 2, 0)
        assert (page, total) == ([], 0)


class TestDraftsPastTheirTime:
    """A draft last changed at or before `drafts_changed_after` is past its time to live:
    neither on a page nor in its total; a cart in any other state has no time to live."""

    CHANGED = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)  # make_cart's lastUpdate

    async def test_a_draft_changed_at_or_before_the_cutoff_is_not_found(self, store):
        old, live, submitted = make_cart(), make_cart(), make_cart()
        live.touch(datetime(2026, 12, 1, tzinfo=UTC))
        submitted.state = State.SUBMITTED
        for cart in (old, live, submitted):
            await add(store, cart)
        found = CartFilter(drafts_changed_after=self.CHANGED)
        page, total = await store.find_carts("partner-a", found, 10, 0)
        assert ([cart.id for cart in page], total) == ([live.id, submitted.id], 2)
        assert await store.find_carts("partner-a", found, 10, 5) == ([], 2)  # the count alone
        page, total = await store.find_carts(
            "partner-a", CartFilter(state="Draft", drafts_changed_after=self.CHANGED), 10, 0
        )
        assert ([cart.id for cart in page], total) == ([live.id], 1)

    async def test_a_draft_changed_after_the_cutoff_is_found(self, store):
        cart = make_cart()
        await add(store, cart)
        just_before = CartFilter(drafts_changed_after=self.CHANGED - timedelta(microseconds=1))
        page, total = await store.find_carts("partner-a", just_before, 10, 0)
        assert ([found.id for found in page], total) == ([cart.id], 1)
