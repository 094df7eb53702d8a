"""The repository contract for orders, on every database: placing an order with its cart,
reading, changing, and claiming due fulfilment steps once across workers."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from omnicart.domain.errors import PreconditionFailed
from omnicart.domain.events import new_event
from omnicart.domain.order import PlannedStep, new_customer_order_id, place_order
from omnicart.domain.representation import order_document
from omnicart.store import DuplicateCustomerOrderId, Effects, OrderFilter, OrderPlacement, open_store
from omnicart.wire.cart import State, Validation
from omnicart.wire.orders import Submission
from tests.contract.conftest import add, make_cart, order_page, owner_of
from tests.database import execute
from tests.outbox import read_outbox

AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
STEP = timedelta(seconds=5)


def submitting(customer_order_id: str | None = None, plan: list[PlannedStep] | None = None, calls: list | None = None):
    """A `place` callback as express submit's: a new order, or the one placed before."""

    def place(cart, before):
        if calls is not None:
            calls.append(before)
        if before is not None:
            return OrderPlacement(before, new=False)
        cart.validation = Validation(readyToSubmit=True)
        order = place_order(
            owner_of(cart),
            cart,
            at=AT,
            customer_order_id=customer_order_id or new_customer_order_id(AT),
            submission=Submission(terms={"WCA": True}, extra={"kept": [1, 2]}),
            plan=plan or [],
        )
        event = new_event(
            "ProductOrderCreateEvent", order.owner, "productOrder", b'{"id":"%s"}' % order.id.encode(), AT
        )
        return OrderPlacement(order, True, Effects(events=[event]))

    return place


async def placed(store, owner="partner-a", **options):
    cart = make_cart(owner=owner)
    await add(store, cart)
    return (await store.place_order(owner, cart.id, submitting(**options))).order


async def outbox(database_url: str) -> list[str]:
    return [kind for kind, _ in await read_outbox(database_url)]


class TestPlaceOrder:
    async def test_the_order_and_the_submitted_cart_are_written_together(self, store, database_url):
        order = await placed(store)
        assert await store.get_order("partner-a", order.id) == order
        cart = await store.get("partner-a", order.cartId)
        assert (cart.state, cart.version) == (State.SUBMITTED, 2)
        assert order.submission == Submission(terms={"WCA": True}, extra={"kept": [1, 2]})
        assert await outbox(database_url) == ["ProductOrderCreateEvent"]

    async def test_placing_again_answers_the_first_order_and_writes_nothing(self, store, database_url):
        order = await placed(store)
        calls: list = []
        again = await store.place_order("partner-a", order.cartId, submitting(calls=calls))
        assert (again.new, again.order) == (False, order) and calls == [order]
        assert (await store.get("partner-a", order.cartId)).version == 2
        assert await outbox(database_url) == ["ProductOrderCreateEvent"]

    async def test_an_unknown_cart_or_another_owners_cart_answers_none(self, store):
        cart = make_cart()
        await add(store, cart)
        assert await store.place_order("partner-a", make_cart().id, submitting()) is None
        assert await store.place_order("partner-b", cart.id, submitting()) is None
        assert (await store.get("partner-a", cart.id)).state is State.DRAFT

    async def test_a_refused_placement_writes_nothing(self, store, database_url):
        cart = make_cart()
        await add(store, cart)

        def refuse(cart, before):
            cart.state = State.SUBMITTED
            raise PreconditionFailed('"9"')

        with pytest.raises(PreconditionFailed):
            await store.place_order("partner-a", cart.id, refuse)
        assert await store.get("partner-a", cart.id) == cart
        assert await order_page(store, "partner-a", None, 10, 0) == []
        assert await outbox(database_url) == []

    async def test_a_taken_customer_order_id_is_refused_and_nothing_is_written(self, store, database_url):
        await placed(store, customer_order_id="26-00000000000001")
        cart = make_cart()
        await add(store, cart)
        with pytest.raises(DuplicateCustomerOrderId):
            await store.place_order("partner-a", cart.id, submitting(customer_order_id="26-00000000000001"))
        assert (await store.get("partner-a", cart.id)).state is State.DRAFT
        assert await outbox(database_url) == ["ProductOrderCreateEvent"]

    async def test_concurrent_placements_from_two_workers_make_exactly_one_order(self, store, database_url):
        other_worker = await open_store(database_url, pool_size=4)
        try:
            cart = make_cart()
            await add(store, cart)
            placements = await asyncio.gather(
                *((store if n % 2 else other_worker).place_order("partner-a", cart.id, submitting()) for n in range(12))
            )
        finally:
            await other_worker.close()
        assert sum(p.new for p in placements) == 1
        assert len({p.order.id for p in placements}) == 1
        assert len(await order_page(store, "partner-a", None, 100, 0)) == 1
        assert (await store.get("partner-a", cart.id)).version == 2
        assert await outbox(database_url) == ["ProductOrderCreateEvent"]


class TestReadOrders:
    async def test_an_order_is_invisible_to_another_owner(self, store):
        order = await placed(store)
        assert await store.get_order("partner-b", order.id) is None
        assert await order_page(store, "partner-b", None, 10, 0) == []

    async def test_listing_is_newest_first_filtered_by_state_and_paged(self, store):
        first, second, third = [await placed(store) for _ in range(3)]

        def progress(order):
            order.move_to(State.ACKNOWLEDGED, AT + STEP)
            return Effects()

        await store.update_order("partner-a", second.id, progress)
        newest_first = [o.id for o in await order_page(store, "partner-a", None, 10, 0)]
        assert sorted(newest_first) == sorted([first.id, second.id, third.id])
        assert newest_first == sorted(newest_first, reverse=True)  # same submission time: id decides
        assert [o.id for o in await order_page(store, "partner-a", "Acknowledged", 10, 0)] == [second.id]
        assert [o.id for o in await order_page(store, "partner-a", None, 1, 1)] == [newest_first[1]]
        assert await order_page(store, "partner-a", "Completed", 10, 0) == []


class TestOrderViews:
    """`read_orders` sends each order as stored: the view kept with it must be what
    `order_document` renders from the order itself (the plain path, GET of one order)."""

    async def test_the_view_is_the_order_as_rendered_and_follows_its_changes(self, store):
        order = await placed(store)
        assert await views(store) == [order_document(order, None)]
        listed = json.loads((await views(store))[0])
        assert (listed["id"], listed["state"], listed["cartId"]) == (order.id, "Submitted", order.cartId)
        assert listed["channel"] == {"id": "IND", "name": "IND", "unknown": {"kept": True}}  # unknown fields put back
        assert listed["submission"] == {"terms": {"WCA": True}, "kept": [1, 2]}

        def cancel(o):
            o.cancel(AT + STEP, "changed their mind", AT + 2 * STEP)
            return Effects()

        changed = await store.update_order("partner-a", order.id, cancel)
        assert await views(store) == [order_document(changed, None)]
        listed = json.loads((await views(store))[0])
        assert (listed["state"], listed["cancellationReason"]) == ("PendingCancel", "changed their mind")

    async def test_an_order_without_a_view_is_rendered_from_its_document(self, store, database_url):
        first, second = await placed(store), await placed(store)
        await execute(database_url, f"UPDATE orders SET view = NULL WHERE id = '{first.id}'")
        assert await views(store) == [order_document(second, None), order_document(first, None)]

    async def test_a_page_and_its_total_are_those_of_find_orders(self, store):
        orders = [await placed(store) for _ in range(3)]
        newest_first = sorted(orders, key=lambda o: o.id, reverse=True)
        for limit, offset, shown in ((2, 0, newest_first[:2]), (2, 2, newest_first[2:]), (2, 4, [])):
            found, total = await store.read_orders("partner-a", OrderFilter(), limit, offset)
            assert [o.wire for o in found] == [order_document(o, None) for o in shown]
            assert [o.id for o in found] == [o.id for o in shown]
            assert total == 3


async def views(store) -> list[bytes]:
    return [order.wire for order in (await store.read_orders("partner-a", OrderFilter(), 10, 0))[0]]


class TestUpdateOrder:
    async def test_a_change_is_written_with_its_effects(self, store, database_url):
        order = await placed(store)

        def cancel(o):
            o.cancel(AT + STEP, "changed their mind", AT + 2 * STEP)
            return Effects(events=[new_event("ProductOrderStateChangeEvent", o.owner, "productOrder", b"{}", AT)])

        changed = await store.update_order("partner-a", order.id, cancel)
        assert changed.state is State.PENDING_CANCEL
        assert await store.get_order("partner-a", order.id) == changed
        assert await outbox(database_url) == ["ProductOrderCreateEvent", "ProductOrderStateChangeEvent"]

    async def test_a_change_that_raises_writes_nothing(self, store):
        order = await placed(store)

        def refuse(o):
            o.move_to(State.ACKNOWLEDGED, AT)
            o.move_to(State.COMPLETED, AT)  # illegal: Acknowledged → Completed

        with pytest.raises(Exception, match="from Acknowledged to Completed"):
            await store.update_order("partner-a", order.id, refuse)
        assert await store.get_order("partner-a", order.id) == order

    async def test_another_owner_or_an_unknown_order_answers_none(self, store):
        order = await placed(store)
        assert await store.update_order("partner-b", order.id, lambda o: Effects()) is None
        assert await store.update_order("partner-a", make_cart().id, lambda o: Effects()) is None


def one_step(o):
    """Take the due steps of an order, as the simulator does."""
    for step in o.due_steps(AT + 10 * STEP):
        o.move_to(step.state, AT + 10 * STEP)
    return Effects()


class TestClaimDueOrders:
    async def test_only_orders_with_a_due_step_are_claimed(self, store):
        due = await placed(store, plan=[PlannedStep(State.ACKNOWLEDGED, AT + STEP)])
        await placed(store, plan=[PlannedStep(State.ACKNOWLEDGED, AT + 3 * STEP)])
        await placed(store)  # nothing planned

        claimed = await store.claim_due_order(AT + 2 * STEP, one_step)
        assert claimed.id == due.id and claimed.state is State.ACKNOWLEDGED and claimed.plan == []
        assert await store.get_order("partner-a", due.id) == claimed
        assert await store.claim_due_order(AT + 2 * STEP, one_step) is None

    async def test_an_order_with_steps_left_is_claimed_again_when_the_next_is_due(self, store):
        plan = [PlannedStep(State.ACKNOWLEDGED, AT + STEP), PlannedStep(State.IN_PROGRESS, AT + 2 * STEP)]
        order = await placed(store, plan=plan)

        def first_due(o):
            (step,) = o.due_steps(AT + STEP)
            o.move_to(step.state, AT + STEP)
            return Effects()

        await store.claim_due_order(AT + STEP, first_due)
        assert await store.claim_due_order(AT + STEP, first_due) is None
        later = await store.claim_due_order(AT + 2 * STEP, one_step)
        assert later.id == order.id and later.state is State.IN_PROGRESS

    async def test_orders_of_every_owner_are_claimed(self, store):
        other = await placed(store, owner="partner-b", plan=[PlannedStep(State.ACKNOWLEDGED, AT)])
        assert (await store.claim_due_order(AT, one_step)).id == other.id

    async def test_concurrent_claimers_in_two_workers_take_each_order_once(self, store, database_url):
        orders = [await placed(store, plan=[PlannedStep(State.ACKNOWLEDGED, AT + STEP)]) for _ in range(6)]
        taken: Counter[str] = Counter()

        def take(o):
            taken[o.id] += 1
            return one_step(o)

        other_worker = await open_store(database_url, pool_size=4)
        try:
            results = await asyncio.gather(
                *((store if n % 2 else other_worker).claim_due_order(AT + STEP, take) for n in range(16))
            )
        finally:
            await other_worker.close()
        assert sorted(r.id for r in results if r is not None) == sorted(o.id for o in orders)
        assert set(taken.values()) == {1}
