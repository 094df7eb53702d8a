"""Group commit on the embedded store (store/sqlite.py): write units that wait for the
database thread together run in one transaction, each in a savepoint of its own.

SQLite only: PostgreSQL runs each unit on a pooled connection of its own. The batches
are made deterministic with a gate: a write unit that holds the database thread until
the test has queued the units it wants in the next batch."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from omnicart.domain.errors import StoreUnavailable
from omnicart.domain.events import new_event
from omnicart.store import DuplicateCustomerOrderId, Effects, open_store
from omnicart.store.core import Connection, Rollback
from omnicart.store.sqlite import SQLiteStore
from omnicart.store.urls import database_path
from tests.contract.conftest import add, make_cart, order_page, owner_of
from tests.contract.test_order_store import placed, submitting

AT = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
SOON = 10  # seconds: an answer that never comes fails the test instead of hanging it


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SQLiteStore]:
    store = await open_store(database_url)
    assert isinstance(store, SQLiteStore)
    yield store
    await store.close()


def created(cart) -> Effects:
    """The cart's creation event, naming the cart, as Create Cart commits it."""
    snapshot = b'{"id":"%s"}' % cart.id.encode()
    return Effects(events=[new_event("ShoppingCartCreateEvent", owner_of(cart), "shoppingCart", snapshot, AT)])


def on_disk(database_url: str) -> tuple[set[str], list[str]]:
    """The ids of the carts written, and the cart id each event in the outbox names."""
    with sqlite3.connect(database_path(database_url)) as db:
        carts = {row[0] for row in db.execute("SELECT id FROM carts")}
        events = [row[0] for row in db.execute("SELECT json_extract(payload, '$.event.shoppingCart.id') FROM outbox")]
    return carts, [e for e in events if e is not None]


def commits(store: SQLiteStore) -> list[str]:
    """Every COMMIT the store's connection runs from now on."""
    seen: list[str] = []
    store._db.set_trace_callback(lambda sql: seen.append(sql) if sql == "COMMIT" else None)
    return seen


class Gate:
    """A write unit that holds the database thread until `open()`: the units queued
    meanwhile make up the next batch."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.event = threading.Event()
        self.task: asyncio.Task | None = None

    async def unit(self, db: Connection) -> str:
        assert self.event.wait(timeout=10), "the gate was never opened"
        return "gate"

    async def close(self) -> None:
        self.task = asyncio.ensure_future(self.store._transaction(self.unit))
        await asyncio.sleep(0)  # its batch (of one) is handed to the thread

    async def open(self, queued: int) -> None:
        """Open once `queued` units wait for the next batch."""
        for _ in range(1000):
            if len(self.store._writes) >= queued:
                break
            await asyncio.sleep(0)
        assert len(self.store._writes) == queued
        self.event.set()
        assert await asyncio.wait_for(self.task, SOON) == "gate"


def start(*calls: Callable[[], object]) -> list[asyncio.Task]:
    return [asyncio.ensure_future(call()) for call in calls]  # type: ignore[arg-type]


def insert(store: SQLiteStore, cart) -> Callable[[Connection], object]:
    """A raw unit step: insert `cart` as `store.add` would (no effects)."""
    t = store._time
    row = (
        cart.id,
        owner_of(cart),
        1,
        cart.state.value,
        t(cart.creationDate),
        t(cart.lastUpdate),
        "{}",
        None,
        None,
        True,
    )
    return lambda db: db.execute(store.sql.insert_cart, row)


async def test_concurrent_creates_commit_in_fewer_transactions_than_carts(store, database_url):
    carts = [make_cart() for _ in range(40)]
    seen = commits(store)
    batches = store.write_batches
    await asyncio.wait_for(asyncio.gather(*(add(store, cart, created(cart)) for cart in carts)), SOON)
    assert {cart.id for cart in carts} == on_disk(database_url)[0]
    assert sorted(on_disk(database_url)[1]) == sorted(cart.id for cart in carts)
    assert len(seen) == store.write_batches - batches < len(carts) / 2


async def test_the_units_queued_while_a_batch_runs_make_the_next_batch(store, database_url):
    gate = Gate(store)
    seen = commits(store)
    batches = store.write_batches
    await gate.close()
    carts = [make_cart() for _ in range(10)]
    tasks = start(*(lambda cart=cart: add(store, cart, created(cart)) for cart in carts))
    await gate.open(queued=10)
    await asyncio.wait_for(asyncio.gather(*tasks), SOON)
    assert (store.write_batches - batches, len(seen)) == (2, 2)  # the gate's, then all ten together
    assert on_disk(database_url)[0] == {cart.id for cart in carts}


async def test_a_lone_unit_runs_as_it_always_did_without_a_savepoint(store):
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    cart = make_cart()
    await asyncio.wait_for(add(store, cart, created(cart)), SOON)
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert not any("SAVEPOINT" in sql or "RELEASE" in sql for sql in statements)


async def test_a_unit_that_fails_or_rolls_back_in_a_batch_is_undone_alone(store, database_url):
    order = await placed(store, customer_order_id="26-00000000000001")
    submitted = make_cart()
    await add(store, submitted)
    first, last, rolled_back, broken = make_cart(), make_cart(), make_cart(), make_cart()

    async def rolls_back(db: Connection) -> None:
        await insert(store, rolled_back)(db)
        raise Rollback("undone")

    async def breaks(db: Connection) -> None:
        await insert(store, broken)(db)
        raise ValueError("a bug in a unit")

    gate = Gate(store)
    await gate.close()
    tasks = start(
        lambda: add(store, first, created(first)),
        lambda: store._transaction(rolls_back),
        # its cart is written as submitted before the order's insert is refused
        lambda: store.place_order("partner-a", submitted.id, submitting(customer_order_id="26-00000000000001")),
        lambda: store._transaction(breaks),
        lambda: add(store, last, created(last)),
    )
    batches = store.write_batches
    await gate.open(queued=5)
    answers = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), SOON)
    assert store.write_batches - batches == 1  # all five in one
    assert isinstance(answers[0], bytes) and answers[1] == "undone" and isinstance(answers[4], bytes)
    assert isinstance(answers[2], DuplicateCustomerOrderId)
    assert isinstance(answers[3], ValueError)
    carts, events = on_disk(database_url)
    assert carts == {order.cartId, submitted.id, first.id, last.id}
    assert sorted(events) == sorted([first.id, last.id])
    assert (await store.get("partner-a", submitted.id)).version == 1  # not submitted: undone with its unit
    assert len(await order_page(store, "partner-a", None, 10, 0)) == 1


async def test_a_failed_commit_fails_every_unit_of_the_batch_and_writes_nothing(store, database_url):
    carts = [make_cart() for _ in range(3)]

    async def sabotage(db: Connection) -> str:
        # Setting an authorizer re-prepares every statement: the COMMIT is refused.
        store._db.set_authorizer(
            lambda action, arg, *_: (
                sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_TRANSACTION and arg == "COMMIT" else sqlite3.SQLITE_OK
            )
        )
        return "done"

    gate = Gate(store)
    await gate.close()
    tasks = start(*(lambda cart=cart: add(store, cart, created(cart)) for cart in carts))
    tasks += start(lambda: store._transaction(sabotage))
    await gate.open(queued=4)
    answers = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), SOON)
    store._db.set_authorizer(None)
    assert all(isinstance(answer, sqlite3.DatabaseError) for answer in answers), answers
    assert on_disk(database_url) == (set(), [])
    assert not store._db.in_transaction
    cart = make_cart()
    await add(store, cart, created(cart))  # the connection is fine afterwards
    assert on_disk(database_url) == ({cart.id}, [cart.id])


async def test_a_write_lock_held_too_long_fails_every_unit_of_a_batch_with_503(database_url):
    store = await open_store(database_url, busy_timeout_ms=100)
    blocker = sqlite3.connect(database_path(database_url), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        carts = [make_cart() for _ in range(6)]
        batches = store.write_batches
        answers = await asyncio.gather(*(add(store, cart, created(cart)) for cart in carts), return_exceptions=True)
        assert store.write_batches - batches == 2  # the first alone, then the five queued behind it
        assert all(isinstance(answer, StoreUnavailable) for answer in answers), answers
        blocker.execute("ROLLBACK")
        assert on_disk(database_url) == (set(), [])
    finally:
        blocker.close()
        await store.close()


async def test_a_caller_cancelled_before_its_batch_is_taken_writes_nothing(store, database_url):
    gate = Gate(store)
    await gate.close()
    kept, dropped = make_cart(), make_cart()
    tasks = start(lambda: add(store, kept, created(kept)), lambda: add(store, dropped, created(dropped)))
    for _ in range(100):
        if len(store._writes) == 2:
            break
        await asyncio.sleep(0)
    tasks[1].cancel()
    await gate.open(queued=2)
    await asyncio.wait_for(tasks[0], SOON)
    with pytest.raises(asyncio.CancelledError):
        await tasks[1]
    assert on_disk(database_url) == ({kept.id}, [kept.id])


async def test_a_caller_cancelled_once_its_batch_is_taken_is_written_whole(store, database_url):
    first, second = Gate(store), Gate(store)
    await first.close()
    cart = make_cart()
    writing = asyncio.ensure_future(add(store, cart, created(cart)))
    second.task = asyncio.ensure_future(store._transaction(second.unit))  # runs after the cart, in its batch
    batches = store.write_batches
    await asyncio.sleep(0)
    first.event.set()
    await asyncio.wait_for(first.task, SOON)
    for _ in range(1000):  # the batch with the cart is in the thread now
        if store.write_batches > batches:
            break
        await asyncio.sleep(0)
    writing.cancel()
    await second.open(queued=0)
    with pytest.raises(asyncio.CancelledError):
        await writing
    assert on_disk(database_url) == ({cart.id}, [cart.id])


async def test_callers_cancelled_at_any_moment_leave_each_cart_whole_or_absent(store, database_url):
    rng = random.Random(7)
    carts = [make_cart() for _ in range(60)]
    tasks = [asyncio.ensure_future(add(store, cart, created(cart))) for cart in carts]
    for task in tasks:
        if rng.random() < 0.5:
            for _ in range(rng.randrange(4)):
                await asyncio.sleep(0)
            task.cancel()
    answers = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), SOON)
    assert all(isinstance(answer, bytes | asyncio.CancelledError) for answer in answers), answers
    written, events = on_disk(database_url)
    assert sorted(events) == sorted(written)  # each cart with its event, or neither; none twice
    assert {cart.id for cart, answer in zip(carts, answers, strict=True) if isinstance(answer, bytes)} <= written
    # Every change is done: the store answers the next write at once.
    cart = make_cart()
    await asyncio.wait_for(add(store, cart, created(cart)), SOON)
    assert cart.id in on_disk(database_url)[0]
