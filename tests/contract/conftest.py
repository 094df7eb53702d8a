"""The store under test: each contract test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from omnicart.domain.cart import Cart
from omnicart.domain.ids import time_uuid
from omnicart.store import NO_EFFECTS, CartFilter, Effects, OrderFilter, documents, open_store
from omnicart.wire.cart import Channel, RelatedParty, State
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.values import timestamp

# Which partner each test cart belongs to: the store takes the owner alongside the cart.
OWNERS: dict[str, str] = {}


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    """A migrated SQLite file of the test's own, for the tests of the embedded store alone
    (they name it as their `database_url`)."""
    path = tmp_path / "omnicart.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator:
    store = await open_store(database_url, pool_size=4)
    yield store
    await store.close()


def moment(at: datetime) -> str:
    """`at` as the cart's timestamp fields hold it: the carrier's text."""
    return timestamp(at)


def make_cart(owner: str = "partner-a", items: int = 0) -> Cart:
    now = moment(datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC))
    cart_id = time_uuid()
    OWNERS[cart_id] = owner
    return Cart(
        id=cart_id,
        version=1,
        state=State.DRAFT,
        creationDate=now,
        lastUpdate=now,
        channel=Channel(id="IND", name="IND", extra={"unknown": {"kept": True}}),
        relatedParty=[RelatedParty(id="G5MGG", role="partner", referredType="dealerLocation")],
        productOrderItem=[ProductOrderItem(productOrderItemId=f"item-{i}", extra={"x": i}) for i in range(items)],
        extra={"note": "kept"},
    )


def owner_of(cart: Cart) -> str:
    return OWNERS[cart.id]


async def add(store, cart: Cart, effects: Effects = NO_EFFECTS) -> bytes:
    """Store a new cart as the cart service does (its document encoded once); returns the document."""
    doc = documents.dump(cart)
    await store.add(owner_of(cart), cart, doc, effects)
    return doc


async def cart_page(store, owner: str, limit: int = 10, offset: int = 0) -> list:
    """A page of the owner's carts as the cart list finds them unfiltered: most recently
    changed first."""
    return (await store.find_carts(owner, CartFilter(), limit, offset))[0]


async def order_page(store, owner: str, state: str | None = None, limit: int = 10, offset: int = 0) -> list:
    """A page of the owner's orders as the order list finds them: newest first."""
    return (await store.find_orders(owner, OrderFilter(state=state), limit, offset))[0]
