"""The console's look-ups (`ConsoleQueries`), on every database: a page of the matching
carts or events with how many match in all, events of one type or of one cart (its order
included), and a hub's backlog: what waits, the delivery at its head and its last failure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from omnicart.domain.events import CART_CHANGED, CART_CREATED, ORDER_CREATED, Event, new_event
from omnicart.store import Backlog, CartSearch, DeliveryStatus, Effects, EventDelivery, EventFilter
from tests.contract.conftest import add, make_cart
from tests.contract.test_event_store import AT, claim, registered

A = "partner-a"
LATER = AT + timedelta(seconds=10)
LEASE_END = AT + timedelta(seconds=35)  # a claim's lease (test_event_store.LEASE), left as it was on giving up


async def cart_with_events(store, *types: str, order_of: str | None = None) -> tuple[str, list[Event]]:
    """A new cart of A committed with events of `types` about it (an order's snapshot
    names the cart by `cartId`)."""
    cart = make_cart(owner=A)
    events = [
        new_event(kind, A, "productOrder", b'{"id":"order-%d","cartId":"%s"}' % (n, cart.id.encode()), AT)
        if kind == ORDER_CREATED
        else new_event(kind, A, "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), AT)
        for n, kind in enumerate(types)
    ]
    await add(store, cart, Effects(events=events))
    return cart.id, events


class TestTotals:
    async def test_a_page_of_carts_and_how_many_match_in_all(self, store):
        for _ in range(3):
            await add(store, make_cart(owner=A))
        page, total = await store.search_carts(A, CartSearch(), 2, 0)
        assert (len(page), total) == (2, 3)
        page, total = await store.search_carts(A, CartSearch(), 2, 2)
        assert (len(page), total) == (1, 3)
        assert await store.search_carts(A, CartSearch(state="Submitted"), 2, 0) == ([], 0)

    async def test_drafts_past_their_time_to_live_are_not_found(self, store):
        old, live = make_cart(owner=A), make_cart(owner=A)
        live.touch(datetime(2026, 12, 1, tzinfo=UTC))
        for cart in (old, live):
            await add(store, cart)
        changed = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)  # old's lastUpdate
        page, total = await store.search_carts(A, CartSearch(drafts_changed_after=changed), 10, 0)
        assert ([cart.id for cart in page], total) == ([live.id], 1)
        page, total = await store.search_carts(A, CartSearch("Draft", old.id, changed), 10, 0)
        assert (page, total) == ([], 0)
        page, total = await store.search_carts(A, CartSearch("Draft", old.id), 10, 0)
        assert ([cart.id for cart in page], total) == ([old.id], 1)

    async def test_a_page_of_events_and_how_many_match_in_all(self, store):
        await cart_with_events(store, CART_CREATED, CART_CHANGED, CART_CHANGED)
        page, total = await store.list_events(A, EventFilter(), 2, 0)
        assert (len(page), total) == (2, 3)


class TestEventFilters:
    async def test_events_of_one_type(self, store):
        _, made = await cart_with_events(store, CART_CREATED, CART_CHANGED, CART_CHANGED)
        page, total = await store.list_events(A, EventFilter(event_type=CART_CHANGED), 10, 0)
        assert ([e.event_id for e in page], total) == ([made[2].eventId, made[1].eventId], 2)
        assert await store.list_events(A, EventFilter(event_type="ProductOrderStateChangeEvent"), 10, 0) == ([], 0)

    async def test_events_of_one_cart_and_of_the_order_it_became(self, store):
        cart_id, made = await cart_with_events(store, CART_CREATED, ORDER_CREATED)
        await cart_with_events(store, CART_CREATED, ORDER_CREATED)  # another cart's
        page, total = await store.list_events(A, EventFilter(cart_id=cart_id), 10, 0)
        assert ([e.event_id for e in page], total) == ([made[1].eventId, made[0].eventId], 2)
        both = EventFilter(cart_id=cart_id, event_type=ORDER_CREATED)
        page, total = await store.list_events(A, both, 10, 0)
        assert ([e.event_id for e in page], total) == ([made[1].eventId], 1)

    async def test_a_cart_id_is_matched_literally(self, store):
        await cart_with_events(store, CART_CREATED)
        assert await store.list_events(A, EventFilter(cart_id="%"), 10, 0) == ([], 0)


class TestHubBacklog:
    async def test_a_hub_with_nothing_to_receive(self, store):
        hub = await registered(store, owner=A)
        assert await store.hub_backlog(A, hub.id) == Backlog(0, None, None)

    async def test_a_failed_delivery_holds_the_ones_behind_it(self, store):
        """As the dispatcher does: the first fails and is retried later; the others are
        handed back unattempted, due when the circuit closes."""
        hub = await registered(store, owner=A)
        _, made = await cart_with_events(store, CART_CREATED, CART_CHANGED, CART_CHANGED)
        await store.fan_out(100)
        first, second, third = await claim(store)
        await store.delivery_failed(first.event_id, hub.id, "HTTP 500", LATER, AT)
        for held in (second, third):
            await store.release_delivery(held.event_id, hub.id, LATER)
        failing = EventDelivery(
            made[0].eventId, CART_CREATED, AT, DeliveryStatus(hub.id, hub.callback, 1, LATER, None, None, "HTTP 500")
        )
        assert await store.hub_backlog(A, hub.id) == Backlog(3, failing, failing)

    async def test_after_giving_up_the_next_one_heads_the_queue(self, store):
        hub = await registered(store, owner=A)
        _, made = await cart_with_events(store, CART_CREATED, CART_CHANGED)
        await store.fan_out(100)
        first, second = await claim(store)
        await store.delivery_failed(first.event_id, hub.id, "HTTP 410", None, AT)
        await store.release_delivery(second.event_id, hub.id, LATER)
        gave_up = EventDelivery(
            made[0].eventId, CART_CREATED, AT, DeliveryStatus(hub.id, hub.callback, 1, LEASE_END, None, AT, "HTTP 410")
        )
        held = EventDelivery(
            made[1].eventId, CART_CHANGED, AT, DeliveryStatus(hub.id, hub.callback, 0, LATER, None, None, None)
        )
        assert await store.hub_backlog(A, hub.id) == Backlog(1, held, gave_up)

    async def test_a_delivered_event_clears_the_failure(self, store):
        hub = await registered(store, owner=A)
        await cart_with_events(store, CART_CREATED)
        await store.fan_out(100)
        [delivery] = await claim(store)
        await store.delivery_failed(delivery.event_id, hub.id, "HTTP 500", AT, AT)
        [again] = await claim(store, LATER)
        await store.delivered(again.event_id, hub.id, LATER)
        assert await store.hub_backlog(A, hub.id) == Backlog(0, None, None)
