"""The write engine of carts (services/writer.py) on its own, on both stores: changes are
hand-made `Prepare` functions, so what is checked is how they reach the store (kept
copies, refusals asked again, the locked way and its batches), not what a cart use case
does."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from omnicart.domain.assessment import CartMemo
from omnicart.domain.cart import Cart
from omnicart.domain.errors import CartNotFound, PreconditionFailed, StoreUnavailable
from omnicart.services import writer as engine
from omnicart.services.writer import CartWriter
from omnicart.store import NO_EFFECTS, CartWrite, documents
from tests.contract.conftest import add, make_cart

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def checked(cart: Cart | None, cart_id: str, if_match: str | None, now: datetime) -> Cart:
    if cart is None:
        raise CartNotFound(cart_id)
    cart.check_version(if_match)
    return cart


def note(text: str):
    """A change that appends `text` to the cart's `notes` (an unknown field) and bumps
    its version, as every accepted change does."""

    def prepare(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
        extra = dict(cart.extra or {})
        extra["notes"] = [*extra.get("notes", []), text]
        cart.extra = extra
        cart.version += 1
        return CartWrite(documents.dump(cart))

    return prepare


def removal(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
    return CartWrite(None)


class Counted:
    """The store, with its reads and locked changes counted."""

    def __init__(self, store) -> None:
        self.store = store
        self.reads = 0
        self.locked_batches: list[int] = []

    def __getattr__(self, name):
        return getattr(self.store, name)

    async def get(self, owner, cart_id):
        self.reads += 1
        return await self.store.get(owner, cart_id)

    async def change_locked(self, owner, cart_id, kept, changes):
        self.locked_batches.append(len(changes))
        return await self.store.change_locked(owner, cart_id, kept, changes)


@pytest.fixture
async def counted(store) -> Counted:
    return Counted(store)


@pytest.fixture
def writer(counted) -> CartWriter:
    return CartWriter(counted, check=checked, clock=lambda: NOW)


async def notes(store, cart_id: str) -> list[str]:
    cart = await store.get("partner-a", cart_id)
    return cart.extra["notes"]


async def test_a_change_is_made_on_the_stored_cart_and_written_with_its_version(writer, counted):
    cart = make_cart()
    await add(counted.store, cart)
    await writer.write("partner-a", cart.id, None, note("first"))
    stored = await counted.store.get("partner-a", cart.id)
    assert (stored.version, stored.extra["notes"]) == (2, ["first"])


async def test_the_cart_written_last_is_changed_again_without_reading_it(writer, counted):
    cart = make_cart()
    await add(counted.store, cart)
    await writer.write("partner-a", cart.id, None, note("first"))
    reads = counted.reads
    await writer.write("partner-a", cart.id, None, note("second"))
    assert counted.reads == reads
    assert await notes(counted.store, cart.id) == ["first", "second"]


async def test_a_refusal_made_on_a_kept_copy_is_asked_of_the_store_again(writer, counted):
    cart = make_cart()
    await add(counted.store, cart)
    writer.created("partner-a", Cart(**{f: getattr(cart, f) for f in cart.__struct_fields__}), CartMemo())
    # Another process moves the cart to version 2: the copy kept here is behind.
    await CartWriter(counted.store, check=checked, clock=lambda: NOW).write("partner-a", cart.id, None, note("there"))
    await writer.write("partner-a", cart.id, '"2"', note("here"))  # If-Match "2": refused by the kept copy only
    assert await notes(counted.store, cart.id) == ["there", "here"]
    with pytest.raises(PreconditionFailed):
        await writer.write("partner-a", cart.id, '"2"', note("late"))  # now the store refuses it too


async def test_a_missing_or_foreign_cart_is_not_found(writer, counted):
    cart = make_cart(owner="partner-b")
    await add(counted.store, cart)
    with pytest.raises(CartNotFound):
        await writer.write("partner-a", cart.id, None, note("x"))
    with pytest.raises(CartNotFound):
        await writer.write("partner-a", "not-a-time-uuid", None, note("x"))


async def test_under_contention_changes_queued_behind_one_are_written_in_its_transaction(writer, counted):
    cart = make_cart()
    await add(counted.store, cart)
    writer.contention.seen(cart.id)  # as if another process wrote it a moment ago
    await asyncio.gather(*(writer.write("partner-a", cart.id, None, note(f"n{n}")) for n in range(5)))
    assert counted.locked_batches == [1, 4]  # the first alone (nothing queued yet), then the four behind it
    assert await notes(counted.store, cart.id) == ["n0", "n1", "n2", "n3", "n4"]
    assert (await counted.store.get("partner-a", cart.id)).version == 6


async def test_a_removal_ends_its_batch_and_what_queued_after_it_finds_no_cart(writer, counted):
    cart = make_cart()
    await add(counted.store, cart)
    writer.contention.seen(cart.id)
    outcomes = await asyncio.gather(
        writer.write("partner-a", cart.id, None, note("a")),
        writer.write("partner-a", cart.id, None, note("b")),
        writer.write("partner-a", cart.id, None, removal, keep=False),
        writer.write("partner-a", cart.id, None, note("after")),
        return_exceptions=True,
    )
    assert outcomes[:3] == [None, None, None]
    assert isinstance(outcomes[3], CartNotFound)
    assert counted.locked_batches == [1, 2, 1]  # a; b and the removal; then the change after it
    assert await counted.store.get("partner-a", cart.id) is None


class NeverWrites:
    """A store on which every optimistic write loses, and contention is never seen."""

    def __init__(self, cart: Cart) -> None:
        self.cart = cart
        self.saves = 0

    async def get(self, owner, cart_id):
        return Cart(**{f: getattr(self.cart, f) for f in self.cart.__struct_fields__})

    async def save(self, owner, cart, doc, expected_version, effects=NO_EFFECTS, plain=None):
        self.saves += 1
        return False


async def test_a_change_that_never_lands_gives_up_after_max_attempts(monkeypatch):
    monkeypatch.setattr(engine, "MAX_ATTEMPTS", 3)
    store = NeverWrites(make_cart())
    never = CartWriter(store, check=checked, clock=lambda: NOW)
    monkeypatch.setattr(never.contention, "recent", lambda cart_id: False)
    with pytest.raises(StoreUnavailable):
        await never.write("partner-a", store.cart.id, None, note("x"))
    assert store.saves == 3
