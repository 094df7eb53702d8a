"""The locked cart write (`change_locked`), on every database: the change sees the stored
cart (the caller's kept copy when it is still current), writes it with its effects in
one transaction, and the cart's other writers queue instead of losing. On PostgreSQL the
lock is the cart's row: writers of other carts never wait for it."""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec
import pytest

from omnicart.domain.cart import Cart
from omnicart.domain.events import CART_DELETED
from omnicart.store import CartWrite, documents, open_store
from tests.contract.conftest import add, make_cart
from tests.contract.test_cart_documents import LATER, effects, events, replayed


def rewrite(note: str, seen: list[Cart] | None = None, key: str = "k-1"):
    """A change as the service makes one: note, new version, encoded once."""

    def change(cart: Cart) -> CartWrite:
        if seen is not None:
            seen.append(cart)
        cart.extra = {**cart.extra, "note": note}
        cart.touch(LATER)
        return CartWrite(documents.dump(cart), effects(cart, key=key))

    return change


class Refused(Exception):
    pass


async def test_a_current_kept_copy_is_changed_as_it_is_without_reading_the_document(store, database_url):
    cart = make_cart()
    await add(store, cart)
    seen: list[Cart] = []
    written = await store.change_locked("partner-a", cart.id, cart, [rewrite("locked", seen)])
    assert seen == [cart] and seen[0] is cart and written is cart
    assert await store.get("partner-a", cart.id) == cart
    assert cart.version == 2
    assert await events(database_url) == [cart.id]
    assert await replayed(store)


@pytest.mark.parametrize("kept", ["stale", "none"])
async def test_a_stale_or_missing_copy_is_replaced_by_the_stored_cart(store, kept):
    cart = make_cart()
    await add(store, cart)
    newer = msgspec.structs.replace(cart, extra={"note": "newer"})
    newer.touch(LATER)
    assert await store.save("partner-a", newer, documents.dump(newer), 1, effects(newer, key="k-0"))
    seen: list[Cart] = []
    copy = cart if kept == "stale" else None
    written = await store.change_locked("partner-a", cart.id, copy, [rewrite("on top", seen)])
    assert written is seen[0] and written is not cart
    assert (written.version, written.extra["note"]) == (3, "on top")
    assert await store.get("partner-a", cart.id) == written


async def test_a_missing_or_foreign_cart_is_none_and_change_is_not_called(store):
    cart = make_cart()
    await add(store, cart)
    seen: list[Cart] = []
    assert await store.change_locked("partner-b", cart.id, None, [rewrite("x", seen)]) is None
    assert await store.change_locked("partner-a", make_cart().id, None, [rewrite("x", seen)]) is None
    assert seen == []
    assert (await store.get("partner-a", cart.id)).version == 1


async def test_a_refused_change_writes_nothing_and_is_raised(store, database_url):
    cart = make_cart()
    await add(store, cart)

    def refuse(found: Cart) -> CartWrite:
        rewrite("half")(found)  # changed, encoded, effects made: then refused
        raise Refused

    with pytest.raises(Refused):
        await store.change_locked("partner-a", cart.id, None, [refuse])
    assert (await store.get("partner-a", cart.id)).version == 1
    assert await events(database_url) == []
    assert not await replayed(store)


async def test_several_changes_commit_together_each_with_its_effects_and_a_refusal_writes_nothing(store, database_url):
    cart = make_cart()
    await add(store, cart)
    seen: list[Cart] = []

    def refuse_half_way(found: Cart) -> None:
        seen.append(found)
        found.extra = {**found.extra, "note": "half"}  # changed in place, then refused
        return None

    written = await store.change_locked(
        "partner-a", cart.id, cart, [rewrite("one", seen, key="k-1"), refuse_half_way, rewrite("two", seen, key="k-2")]
    )
    assert seen[0] is cart and seen[1] is cart and [found.extra["note"] for found in seen] == ["half", "half", "two"]
    assert (written.version, written.extra["note"]) == (3, "two")
    assert await store.get("partner-a", cart.id) == written
    assert seen[2] is written  # read back as "one" left it, then changed
    assert await events(database_url) == [cart.id, cart.id]
    assert await replayed(store, "k-1") and await replayed(store, "k-2")


async def test_no_document_removes_the_cart_with_its_effects(store, database_url):
    cart = make_cart()
    await add(store, cart)
    removal = lambda found: CartWrite(None, effects(found, kind=CART_DELETED))  # noqa: E731
    assert await store.change_locked("partner-a", cart.id, cart, [removal]) is cart
    assert await store.read("partner-a", cart.id) is None
    assert await events(database_url) == [cart.id]


async def test_locked_writers_in_two_workers_queue_and_none_loses(store, database_url):
    cart = make_cart()
    await add(store, cart)
    other_worker = await open_store(database_url, pool_size=4)
    try:
        written = await asyncio.gather(
            *(
                (store if n % 2 else other_worker).change_locked(
                    "partner-a", cart.id, None, [rewrite(f"n{n}", key=f"k-{n}")]
                )
                for n in range(12)
            )
        )
    finally:
        await other_worker.close()
    assert sorted(found.version for found in written) == list(range(2, 14))
    assert (await store.get("partner-a", cart.id)).version == 13
    assert await events(database_url) == [cart.id] * 12
    assert all([await replayed(store, f"k-{n}") for n in range(12)])


# -- PostgreSQL: the lock is one cart's row ------------------------------------------------


@pytest.fixture
async def row_lock(database_url):
    """Hold a cart's row lock from outside the store, as a writer in the middle of its
    transaction would; `await hold(cart_id)`, released at the end of the test."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer for the whole database")
    connection = await asyncpg.connect(database_url)
    transaction = connection.transaction()
    await transaction.start()

    async def hold(cart_id: str) -> None:
        await connection.execute("SELECT 1 FROM carts WHERE id = $1 FOR UPDATE", cart_id)

    async def release() -> None:
        if not connection.is_in_transaction():
            return
        await transaction.commit()

    yield hold, release
    await release()
    await connection.close()


async def test_a_writer_of_another_cart_does_not_wait_for_a_held_cart(store, row_lock):
    hold, _ = row_lock
    held, free = make_cart(), make_cart()
    await add(store, held)
    await add(store, free)
    await hold(held.id)
    written = await asyncio.wait_for(store.change_locked("partner-a", free.id, free, [rewrite("free")]), timeout=5)
    assert written.version == 2


async def test_a_writer_of_the_held_cart_waits_for_it_then_writes_on_top(store, row_lock):
    hold, release = row_lock
    cart = make_cart()
    await add(store, cart)
    await hold(cart.id)
    waiting = asyncio.ensure_future(store.change_locked("partner-a", cart.id, cart, [rewrite("after")]))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await release()
    assert (await asyncio.wait_for(waiting, timeout=5)).version == 2
