"""Every owner-scoped query of the store, asked by another owner (issue 11), on every
database. Partner A ("partner-a") owns one of everything; partner B ("partner-b") asks
with A's ids. What B sees is written here by hand — None, False, [], 0 or nothing
changed — and each test also checks that A's object is still as it was, so a statement
that lost its owner condition fails here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omnicart.domain.events import CART_CHANGED, CART_DELETED, new_event
from omnicart.store import (
    Backlog,
    CartFilter,
    CartSearch,
    Claim,
    Effects,
    EventFilter,
    OrderFilter,
    StoredResponse,
    documents,
)
from omnicart.wire.cart import RelatedParty
from omnicart.wire.items import BillingAccount, ProductOrderItem
from tests.conftest import every_combination
from tests.contract.conftest import add, cart_page, make_cart, order_page
from tests.contract.test_event_store import (
    AT,
    MUCH_LATER,
    claim,
    claimed,
    event_cart_id,
    happened,
    make_hub,
    registered,
)
from tests.contract.test_order_store import placed, submitting
from tests.outbox import read_outbox

A, B = "partner-a", "partner-b"


@pytest.fixture
async def cart(store):
    """A's draft cart, version 1."""
    cart = make_cart(owner=A)
    await add(store, cart)
    return cart


def an_event(owner: str, kind: str = CART_CHANGED):
    return Effects(events=[new_event(kind, owner, "shoppingCart", b'{"id":"x"}', AT)])


async def events_in_outbox(database_url: str) -> list[str]:
    return [kind for kind, _ in await read_outbox(database_url)]


class TestCarts:
    async def test_get(self, store, cart):
        assert await store.get(B, cart.id) is None
        assert (await store.get(A, cart.id)).id == cart.id

    async def test_read(self, store, cart):
        assert await store.read(B, cart.id) is None
        assert (await store.read(A, cart.id)).id == cart.id

    async def test_save_writes_nothing_not_even_its_effects(self, store, cart, database_url):
        changed = await store.get(A, cart.id)
        changed.version = 2
        changed.extra = {"note": "by B"}
        assert await store.save(B, changed, documents.dump(changed), 1, an_event(B)) is False
        assert await store.save(B, changed, documents.dump(changed), 1, Effects()) is False
        mine = await store.get(A, cart.id)
        assert (mine.version, mine.extra) == (1, {"note": "kept"})
        assert await events_in_outbox(database_url) == []

    async def test_remove_deletes_nothing_not_even_its_effects(self, store, cart, database_url):
        assert await store.remove(B, cart.id, 1, an_event(B, CART_DELETED)) is False
        assert await store.remove(B, cart.id, 1, Effects()) is False
        assert (await store.get(A, cart.id)).version == 1
        assert await events_in_outbox(database_url) == []

    async def test_find_carts(self, store, cart):
        assert await cart_page(store, B, 10, 0) == []
        assert [found.id for found in await cart_page(store, A, 10, 0)] == [cart.id]

    async def test_find_carts_with_every_filter_neither_finds_nor_counts_anothers(self, store):
        cart = make_cart(owner=A)
        cart.relatedParty.append(RelatedParty(id="customer-7", role="customer", referredType="customer"))
        await add(store, cart)
        # What A's cart matches: a Draft of customer-7, changed at 12:00:00.123 (make_cart).
        filters = {
            "cart_id": cart.id,
            "state": "Draft",
            "customer_id": "customer-7",
            "updated_from": AT,
            "updated_to": AT + timedelta(milliseconds=1),
        }
        for chosen in every_combination(filters):
            assert await store.find_carts(B, CartFilter(**chosen), 10, 0) == ([], 0), chosen
            page, total = await store.find_carts(A, CartFilter(**chosen), 10, 0)
            assert ([found.id for found in page], total) == ([cart.id], 1), chosen

    async def test_search_carts(self, store, cart):
        assert await store.search_carts(B, CartSearch(), 10, 0) == ([], 0)
        assert await store.search_carts(B, CartSearch("Draft", cart.id), 10, 0) == ([], 0)
        assert await store.search_carts(B, CartSearch(text="G5MGG"), 10, 0) == ([], 0)  # text of A's document
        found, total = await store.search_carts(A, CartSearch("Draft", cart.id), 10, 0)
        assert ([found.id for found in found], total) == ([cart.id], 1)

    async def test_count_drafts(self, store, cart):
        assert await store.count_drafts(B, 10) == 0
        assert await store.count_drafts(A, 10) == 1


class TestEvents:
    async def test_list_events(self, store):
        await registered(store, owner=A)
        event = await happened(store, owner=A)
        await store.fan_out(100)
        assert await store.list_events(B, EventFilter(), 10, 0) == ([], 0)
        mine = EventFilter(cart_id=event_cart_id(event))
        assert await store.list_events(B, mine, 10, 0) == ([], 0)  # A's cart's history
        [record], total = await store.list_events(A, EventFilter(), 10, 0)
        assert record.event_id == event.eventId and len(record.deliveries) == 1 and total == 1
        found, total = await store.list_events(A, mine, 10, 0)
        assert ([found.event_id for found in found], total) == ([event.eventId], 1)

    async def test_replay_delivery(self, store):
        hub = await registered(store, owner=A)
        event = await happened(store, owner=A)
        await store.fan_out(100)
        [delivery] = await claim(store)
        await store.delivered(delivery.event_id, delivery.hub_id, AT)
        assert await store.replay_delivery(B, event.eventId, hub.id, AT) is False
        assert await claimed(store, MUCH_LATER) == set()  # still delivered, not due again
        assert await store.replay_delivery(A, event.eventId, hub.id, AT) is True
        assert await claimed(store, MUCH_LATER) == {(event.eventId, hub.id)}

    async def test_hub_backlog(self, store):
        hub = await registered(store, owner=A)
        await happened(store, owner=A)
        await store.fan_out(100)
        [delivery] = await claim(store)
        await store.delivery_failed(delivery.event_id, hub.id, "HTTP 500", MUCH_LATER, AT)
        assert await store.hub_backlog(B, hub.id) == Backlog(0, None, None)
        assert (await store.hub_backlog(A, hub.id)).waiting == 1


class TestHubs:
    async def test_get_hub(self, store):
        hub = await registered(store, owner=A)
        assert await store.get_hub(B, hub.id) is None
        assert await store.get_hub(A, hub.id) == hub

    async def test_list_hubs(self, store):
        hub = await registered(store, owner=A)
        assert await store.list_hubs(B) == []
        assert await store.list_hubs(A) == [hub]

    async def test_delete_hub_removes_neither_the_hub_nor_what_is_due_to_it(self, store):
        hub = await registered(store, owner=A)
        event = await happened(store, owner=A)
        await store.fan_out(100)
        assert await store.delete_hub(B, hub.id) is False
        assert await store.get_hub(A, hub.id) == hub
        assert await claimed(store) == {(event.eventId, hub.id)}

    async def test_add_hub_within_the_quota_counts_only_the_owners_hubs(self, store):
        mine = [make_hub(owner=A) for _ in range(3)]
        for hub in mine:
            assert await store.add_hub_within(hub, 3) is True
        assert await store.add_hub_within(make_hub(owner=A), 3) is False  # A is at the quota
        theirs = make_hub(owner=B)
        assert await store.add_hub_within(theirs, 3) is True  # A's hubs are not B's
        assert await store.add_hub_within(make_hub(owner=B), 1) is False  # B's one hub is
        assert await store.list_hubs(B) == [theirs]
        assert len(await store.list_hubs(A)) == 3


class TestOrders:
    async def test_get_order(self, store):
        order = await placed(store, owner=A)
        assert await store.get_order(B, order.id) is None
        assert await store.get_order(A, order.id) == order

    async def test_find_orders(self, store):
        order = await placed(store, owner=A)
        assert await order_page(store, B, None, 10, 0) == []
        assert await order_page(store, B, order.state.value, 10, 0) == []
        assert await order_page(store, A, order.state.value, 10, 0) == [order]

    async def test_find_orders_with_every_filter_neither_finds_nor_counts_anothers(self, store):
        cart = make_cart(owner=A)
        cart.productOrderItem = [ProductOrderItem(productOrderItemId="line", billingAccount=BillingAccount(id="ban-a"))]
        await add(store, cart)
        order = (await store.place_order(A, cart.id, submitting())).order
        # What A's order matches: Submitted at AT (`submitting`), its own ids, a WIRELESS
        # order naming the account ban-a.
        filters = {
            "state": "Submitted",
            "customer_order_id": order.customerOrderId,
            "cart_id": order.cartId,
            "submitted_from": AT,
            "submitted_to": AT + timedelta(milliseconds=1),
            "order_id": order.id,
            "line_of_business": "WIRELESS",
            "account_number": "ban-a",
        }
        for chosen in every_combination(filters):
            assert await store.find_orders(B, OrderFilter(**chosen), 10, 0) == ([], 0), chosen
            assert await store.find_orders(A, OrderFilter(**chosen), 10, 0) == ([order], 1), chosen

    async def test_update_order_neither_calls_the_change_nor_writes(self, store, database_url):
        order = await placed(store, owner=A)
        calls = []

        def change(found):
            calls.append(found)
            found.extra = {"by": "B"}
            return an_event(B)

        assert await store.update_order(B, order.id, change) is None
        assert calls == []
        assert await store.get_order(A, order.id) == order
        assert await events_in_outbox(database_url) == ["ProductOrderCreateEvent"]

    async def test_place_order_on_anothers_cart_neither_calls_place_nor_writes(self, store, cart, database_url):
        calls = []
        assert await store.place_order(B, cart.id, submitting(calls=calls)) is None
        assert calls == []
        assert (await store.get(A, cart.id)).version == 1
        assert await order_page(store, A, None, 10, 0) == []
        assert await order_page(store, B, None, 10, 0) == []
        assert await events_in_outbox(database_url) == []

    async def test_a_submitted_carts_order_is_not_anothers(self, store):
        # order_of_cart: B's cart with A's cart id cannot exist (ids are global), so B
        # placing on A's submitted cart is refused before; A placing again finds its own.
        order = await placed(store, owner=A)
        assert await store.place_order(B, order.cartId, submitting()) is None
        again = await store.place_order(A, order.cartId, submitting())
        assert (again.new, again.order) == (False, order)


NOW = AT
DAY = timedelta(days=1)


async def claim_key(store, owner, key="k", fingerprint="f", now=NOW):
    return (await store.claim_key(owner, key, fingerprint, now, now + DAY, now - timedelta(seconds=60))).claim


def response(owner, key="k", fingerprint="f", body=b"{}"):
    return StoredResponse(owner, key, fingerprint, 201, [], body, NOW, NOW + DAY)


class TestIdempotencyKeys:
    async def test_claim_key_the_same_key_is_anothers_own(self, store):
        assert await claim_key(store, A, fingerprint="f") is Claim.NEW
        assert await claim_key(store, B, fingerprint="g") is Claim.NEW  # not A's: no mismatch
        # B's key read for update is B's, not A's (A's has another fingerprint).
        assert await claim_key(store, B, fingerprint="g") is Claim.RUNNING
        assert await claim_key(store, A, fingerprint="f") is Claim.RUNNING

    async def test_claim_key_taking_over_an_expired_key_leaves_anothers_alone(self, store):
        assert await claim_key(store, A, fingerprint="f", now=NOW + DAY) is Claim.NEW  # A's lives a day longer
        assert await claim_key(store, B, fingerprint="g", now=NOW) is Claim.NEW
        later = NOW + DAY + timedelta(seconds=1)
        assert await claim_key(store, B, fingerprint="h", now=later) is Claim.NEW  # B's expired: taken over
        # A's key was not touched by B's takeover: still running, with A's fingerprint.
        assert await claim_key(store, A, fingerprint="f", now=later) is Claim.RUNNING

    async def test_finish_key(self, store):
        await claim_key(store, A)
        await claim_key(store, B)
        await store.finish_key(response(B, body=b'{"by":"B"}'))
        assert await claim_key(store, A) is Claim.RUNNING  # A's is not answered by B's response
        state = await store.claim_key(B, "k", "f", NOW, NOW + DAY, NOW - timedelta(seconds=60))
        assert (state.claim, state.response.body) == (Claim.DONE, b'{"by":"B"}')

    async def test_release_key(self, store):
        await claim_key(store, A)
        await store.release_key(B, "k")
        assert await claim_key(store, A) is Claim.RUNNING  # still held by A
        await store.release_key(A, "k")
        assert await claim_key(store, A) is Claim.NEW

    async def test_count_live_keys(self, store):
        await claim_key(store, A, key="k1")
        await claim_key(store, A, key="k2")
        assert await store.count_live_keys(B, NOW, 10) == 0
        assert await store.count_live_keys(A, NOW, 10) == 2
        assert await store.count_live_keys(A, NOW, 1) == 1  # bounded
        assert await store.count_live_keys(A, NOW + DAY, 10) == 0  # expired
