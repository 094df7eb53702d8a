"""The store's statistics for the metrics (`StoreStatistics`), on every database: the
whole database's counts (`stats`), and how busy this worker's connections to it are
(`pool_status`, from memory)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import msgspec
import pytest

from omnicart.domain.cart import Cart
from omnicart.domain.events import CART_CHANGED, CART_CREATED, Hub, new_event
from omnicart.domain.order import Order, place_order
from omnicart.store import NO_EFFECTS, Effects, OrderPlacement, Pool, Snapshot, documents, stats
from omnicart.store.urls import SQLITE, database_of, database_path
from omnicart.wire.cart import State, Validation
from omnicart.wire.orders import Submission
from tests.contract.conftest import add, make_cart

AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
STEP = timedelta(seconds=5)
NOTHING = Snapshot(carts={}, orders={}, pending_events=0, oldest_pending=None)


def submit(cart: Cart, before: Order | None) -> OrderPlacement:
    cart.validation = Validation(readyToSubmit=True)
    order = place_order("partner-a", cart, at=AT, customer_order_id=f"co-{cart.id}", submission=Submission(), plan=[])
    return OrderPlacement(order, True)


def hold(order: Order) -> Effects:
    order.state = State.HELD
    return NO_EFFECTS


async def created(store, owner: str, at: datetime) -> str:
    """A new cart of `owner` committed with its event at `at`; the event's id."""
    cart = make_cart(owner=owner)
    event = new_event(CART_CREATED, owner, "shoppingCart", b'{"id":"%s"}' % cart.id.encode(), at)
    await add(store, cart, Effects(events=[event]))
    return event.eventId


async def test_an_empty_store_counts_nothing(store):
    assert await store.stats() == NOTHING


async def test_carts_and_orders_are_counted_by_state(store):
    carts = [make_cart() for _ in range(5)]
    for cart in carts:
        await add(store, cart)
    first = (await store.place_order("partner-a", carts[0].id, submit)).order
    await store.place_order("partner-a", carts[1].id, submit)
    await store.update_order("partner-a", first.id, hold)
    assert await store.stats() == Snapshot(
        carts={"Draft": 3, "Submitted": 2}, orders={"Submitted": 1, "Held": 1}, pending_events=0, oldest_pending=None
    )


async def test_an_event_is_pending_until_every_delivery_of_it_is_made(store):
    hub = Hub(
        id="hub-1", owner="partner-a", callback="https://hooks.example.com/a", query=None, secret="s", created_at=AT
    )
    await store.add_hub(hub)
    await created(store, "partner-b", AT + STEP)  # partner-b has no hub
    listened = await created(store, "partner-a", AT + 2 * STEP)
    not_fanned_out = Snapshot(carts={"Draft": 2}, orders={}, pending_events=2, oldest_pending=AT + STEP)
    assert await store.stats() == not_fanned_out
    assert await store.fan_out(10) == 2  # partner-b's event has no delivery to wait for
    one_to_deliver = Snapshot(carts={"Draft": 2}, orders={}, pending_events=1, oldest_pending=AT + 2 * STEP)
    assert await store.stats() == one_to_deliver
    [claimed] = await store.claim_deliveries(AT + 3 * STEP, AT + 4 * STEP, 10)
    assert claimed.event_id == listened
    assert await store.stats() == one_to_deliver, "claimed is not delivered"
    await store.delivered(listened, hub.id, AT + 3 * STEP)
    assert await store.stats() == Snapshot(carts={"Draft": 2}, orders={}, pending_events=0, oldest_pending=None)


async def analyze(database_url: str) -> None:
    """Have the database gather its statistics of every table (SQLite: ANALYZE too)."""
    if database_of(database_url) is SQLITE:
        db = sqlite3.connect(database_path(database_url), isolation_level=None)
        db.execute("ANALYZE")
        db.close()
        return
    connection = await asyncpg.connect(database_url)
    await connection.execute("ANALYZE")
    await connection.close()


# A table above ESTIMATED_ABOVE rows is not counted on PostgreSQL: the refresh answers
# what ANALYZE last saw (four drafts, two submitted), not the draft added since; SQLite,
# which keeps no statistics per value, counts whatever the size.
ABOVE_THE_THRESHOLD = {"sqlite": {"Draft": 5, "Submitted": 2}, "postgresql": {"Draft": 4, "Submitted": 2}}


async def test_a_large_table_is_counted_by_state_from_the_databases_statistics(store, database_url, monkeypatch):
    carts = [make_cart() for _ in range(6)]
    for cart in carts:
        await add(store, cart)
    for cart in carts[:2]:  # twice: a value ANALYZE samples once is not among its common ones
        await store.place_order("partner-a", cart.id, submit)
    await analyze(database_url)
    await add(store, make_cart())
    assert (await store.stats()).carts == {"Draft": 5, "Submitted": 2}, "below the threshold: counted"
    monkeypatch.setattr(stats, "ESTIMATED_ABOVE", 3)  # the carts table (6 rows analyzed) is above it
    assert (await store.stats()).carts == ABOVE_THE_THRESHOLD[database_of(database_url).system]
    assert (await store.stats()).orders == {"Submitted": 2}, "the orders table (2 rows) stays below it: counted"


async def test_an_idle_store_has_no_connection_in_use_and_none_waited_for(store):
    # The fixture's pool (PostgreSQL) holds up to 4 connections and opens 1 at first.
    idle = Pool(size=1, in_use=0, waiting=0)
    assert store.pool_status() == idle
    await store.get("partner-a", make_cart().id)
    assert store.pool_status() == idle


Hold = Callable[[str], Awaitable[None]]
Release = Callable[[], Awaitable[None]]


@pytest.fixture
async def write_lock(database_url: str) -> AsyncIterator[tuple[Hold, Release]]:
    """Hold, from outside the store, what its writers of a cart wait for: SQLite's one write
    lock, or PostgreSQL's row lock of the cart; `(hold, release)`, released at the end."""
    if database_of(database_url) is SQLITE:
        db = sqlite3.connect(database_path(database_url), isolation_level=None)

        async def hold(cart_id: str) -> None:
            db.execute("BEGIN IMMEDIATE")

        async def release() -> None:
            if db.in_transaction:
                db.execute("ROLLBACK")

        yield hold, release
        await release()
        db.close()
        return
    connection = await asyncpg.connect(database_url)
    transaction = connection.transaction()

    async def hold_row(cart_id: str) -> None:
        await transaction.start()
        await connection.execute("SELECT 1 FROM carts WHERE id = $1 FOR UPDATE", cart_id)

    async def release_row() -> None:
        if connection.is_in_transaction():
            await transaction.rollback()

    yield hold_row, release_row
    await release_row()
    await connection.close()


async def until(store, expected: Pool) -> Pool:
    """The pool's status once it is `expected`, or as it is after 5 seconds."""
    for _ in range(500):
        if store.pool_status() == expected:
            break
        await asyncio.sleep(0.01)
    return store.pool_status()


# Five writers of one held cart. SQLite's one connection is busy with the first; two
# others queue for its thread, and of the two writers with an event (their write units go
# through group commit) one queues for the thread too, the other for the next batch.
# PostgreSQL's pool opens its four connections, each waiting for the row, and the fifth
# writer waits for a connection.
BUSY = {"sqlite": Pool(size=1, in_use=1, waiting=4), "postgresql": Pool(size=4, in_use=4, waiting=1)}
IDLE_AFTER = {"sqlite": Pool(size=1, in_use=0, waiting=0), "postgresql": Pool(size=4, in_use=0, waiting=0)}


async def test_writers_waiting_for_a_held_cart_show_as_connections_in_use_and_waiting(store, database_url, write_lock):
    hold, release = write_lock
    system = database_of(database_url).system
    cart = make_cart()
    await add(store, cart)
    newer = msgspec.structs.replace(cart, version=2)
    doc = documents.dump(newer)
    with_event = [Effects(events=[new_event(CART_CHANGED, "partner-a", "shoppingCart", doc, AT)]) for _ in range(2)]
    await hold(cart.id)
    writers = asyncio.gather(
        *[store.save("partner-a", newer, doc, 1, effects) for effects in [NO_EFFECTS] * 3 + with_event]
    )
    try:
        busy = await until(store, BUSY[system])
    finally:
        await release()
        saved = await asyncio.wait_for(writers, timeout=10)
    assert busy == BUSY[system]
    assert sorted(saved) == [False, False, False, False, True]
    assert store.pool_status() == IDLE_AFTER[system]
