"""The repository contract for technician appointments, on every database: an order
placed with a booking takes a seat of its slot in the same transaction, a slot is never
booked past its capacity (also by orders placed at the same moment), and a placement that
fails books nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from omnicart.domain.errors import AppointmentRefused, CartNotReady
from omnicart.domain.events import new_event
from omnicart.domain.order import new_customer_order_id, place_order
from omnicart.store import Booking, Effects, OrderPlacement
from omnicart.wire.cart import State, Validation
from omnicart.wire.orders import Submission
from tests.contract.conftest import add, make_cart, order_page, owner_of
from tests.outbox import read_outbox

AT = datetime(2026, 1, 15, 12, 0, 0, 250000, tzinfo=UTC)
FRIDAY = date(2026, 1, 16)
SATURDAY = date(2026, 1, 17)
AM = Booking("00000NG3XH-20260116-AM", "00000NG3XH", FRIDAY, 2)
PM = Booking("00000NG3XH-20260116-PM", "00000NG3XH", FRIDAY, 1)
SATURDAY_AM = Booking("00000NG3XH-20260117-AM", "00000NG3XH", SATURDAY, 2)
ELSEWHERE = Booking("000011VYAA-20260116-AM", "000011VYAA", FRIDAY, 2)


def booking(slot: Booking, *, ready: bool = True):
    """A `place` callback as express submit's for a fiber cart: a new order booking `slot`."""

    def place(cart, before):
        if before is not None:
            return OrderPlacement(before, new=False)
        cart.validation = Validation(readyToSubmit=ready)
        order = place_order(
            owner_of(cart),
            cart,
            at=AT,
            customer_order_id=new_customer_order_id(AT),
            submission=Submission(),
            plan=[],
        )
        event = new_event(
            "AppointmentCreateEvent", order.owner, "appointment", b'{"id":"%s"}' % slot.slot_id.encode(), AT
        )
        return OrderPlacement(order, True, Effects(events=[event]), slot)

    return place


async def submitted(store, slot: Booking, owner: str = "partner-a"):
    cart = make_cart(owner=owner)
    await add(store, cart)
    return cart, await store.place_order(owner, cart.id, booking(slot))


class TestBooked:
    async def test_nothing_is_booked_at_first(self, store):
        assert await store.booked("00000NG3XH", FRIDAY, SATURDAY) == {}

    async def test_each_order_takes_a_seat_of_its_slot(self, store):
        await submitted(store, AM)
        await submitted(store, AM, owner="partner-b")
        await submitted(store, PM)
        await submitted(store, SATURDAY_AM)
        assert await store.booked("00000NG3XH", FRIDAY, SATURDAY) == {
            "00000NG3XH-20260116-AM": 2,
            "00000NG3XH-20260116-PM": 1,
            "00000NG3XH-20260117-AM": 1,
        }

    async def test_only_the_days_asked_for_at_the_address_asked_for(self, store):
        await submitted(store, AM)
        await submitted(store, SATURDAY_AM)
        await submitted(store, ELSEWHERE)
        assert await store.booked("00000NG3XH", SATURDAY, SATURDAY) == {"00000NG3XH-20260117-AM": 1}
        assert await store.booked("000011VYAA", FRIDAY, SATURDAY) == {"000011VYAA-20260116-AM": 1}


class TestAFullSlot:
    async def test_refuses_the_order_and_nothing_of_it_is_written(self, store, database_url):
        _, placed = await submitted(store, PM)
        cart = make_cart()
        await add(store, cart)
        with pytest.raises(AppointmentRefused) as refused:
            await store.place_order("partner-a", cart.id, booking(PM))
        assert refused.value.details["appointment"] == PM.slot_id
        kept = await store.get("partner-a", cart.id)
        assert (kept.state, kept.version) == (State.DRAFT, 1)
        assert [order.id for order in await order_page(store, "partner-a")] == [placed.order.id]
        assert [kind for kind, _ in await read_outbox(database_url)] == ["AppointmentCreateEvent"]
        assert await store.booked("00000NG3XH", FRIDAY, FRIDAY) == {PM.slot_id: 1}

    async def test_leaves_the_other_slots_bookable(self, store):
        await submitted(store, PM)
        _, placed = await submitted(store, AM)
        assert placed.new


class TestAFailedPlacement:
    async def test_books_nothing(self, store):
        cart = make_cart()
        await add(store, cart)
        with pytest.raises(CartNotReady):
            await store.place_order("partner-a", cart.id, booking(PM, ready=False))
        assert await store.booked("00000NG3XH", FRIDAY, FRIDAY) == {}

    async def test_placing_a_placed_cart_again_books_nothing_more(self, store):
        cart, placed = await submitted(store, AM)
        again = await store.place_order("partner-a", cart.id, booking(AM))
        assert (again.new, again.order.id) == (False, placed.order.id)
        assert await store.booked("00000NG3XH", FRIDAY, FRIDAY) == {AM.slot_id: 1}


@pytest.mark.parametrize(("slot", "orders"), [(PM, 8), (AM, 8)], ids=["the last seat", "the last two seats"])
async def test_orders_placed_at_once_never_book_a_slot_past_its_capacity(store, database_url, slot, orders):
    carts = [make_cart(owner=f"partner-{i % 2}") for i in range(orders)]
    for cart in carts:
        await add(store, cart)

    async def attempt(cart):
        try:
            return await store.place_order(owner_of(cart), cart.id, booking(slot))
        except AppointmentRefused:
            return None

    outcomes = await asyncio.gather(*(attempt(cart) for cart in carts))
    won = [placement for placement in outcomes if placement is not None]
    assert len(won) == slot.capacity
    assert await store.booked("00000NG3XH", FRIDAY, FRIDAY) == {slot.slot_id: slot.capacity}
    states = [(await store.get(owner_of(cart), cart.id)).state for cart in carts]
    assert sorted(states) == sorted([State.SUBMITTED] * slot.capacity + [State.DRAFT] * (orders - slot.capacity))
    assert [kind for kind, _ in await read_outbox(database_url)] == ["AppointmentCreateEvent"] * slot.capacity


async def test_orders_placed_at_once_take_every_seat_there_is(store):
    # Two orders for a slot of two, at once, five times over: both get a seat each time,
    # also when both went for the same one first.
    for day in range(19, 24):
        slot = Booking(f"00000NG3XH-202601{day}-AM", "00000NG3XH", date(2026, 1, day), 2)
        carts = [make_cart(owner="partner-a"), make_cart(owner="partner-b")]
        for cart in carts:
            await add(store, cart)
        placed = await asyncio.gather(*(store.place_order(owner_of(c), c.id, booking(slot)) for c in carts))
        assert [placement.new for placement in placed] == [True, True]
    assert await store.booked("00000NG3XH", date(2026, 1, 19), date(2026, 1, 23)) == {
        f"00000NG3XH-202601{day}-AM": 2 for day in range(19, 24)
    }
