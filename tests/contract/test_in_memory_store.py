"""`sqlite:///:memory:` is a real store: it comes up migrated by the same Alembic
migrations as a database file (on the store's own connection, as it opens), and its data
live exactly as long as that store.

Not a third database of the contract suite (suite time): the store is the SQLite store,
which the suite runs on a file; these tests check only what memory changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omnicart.store import open_store
from omnicart.store.migrate import upgrade
from tests.contract.conftest import add, make_cart

MEMORY = "sqlite:///:memory:"
REVISION = "SELECT version_num FROM alembic_version"
# Every table, index and trigger the migrations make; SQLite's own objects aside.
SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"


@pytest.fixture
async def memory():
    store = await open_store(MEMORY)
    yield store
    await store.close()


async def test_it_records_the_same_revision_and_has_the_same_schema_as_a_migrated_file(memory, tmp_path: Path):
    upgrade(f"sqlite:///{tmp_path}/omnicart.db")  # what `omnicart migrate` does to a file
    migrated = await open_store(f"sqlite:///{tmp_path}/omnicart.db")
    try:
        revision = await migrated._fetchall(REVISION)
        assert len(revision) == 1
        assert await memory._fetchall(REVISION) == revision
        assert await memory._fetchall(SCHEMA) == await migrated._fetchall(SCHEMA)
    finally:
        await migrated.close()


async def test_a_cart_round_trips(memory):
    cart = make_cart(items=2)
    doc = await add(memory, cart)
    assert await memory.get("partner-a", cart.id) == cart
    assert (await memory.read("partner-a", cart.id)).doc == doc


async def test_two_stores_in_memory_share_nothing_and_the_data_go_with_their_store(memory):
    cart = make_cart()
    await add(memory, cart)
    other = await open_store(MEMORY)
    try:
        assert await other.get("partner-a", cart.id) is None
        await add(other, make_cart())
    finally:
        await other.close()
    assert await memory.get("partner-a", cart.id) == cart
    again = await open_store(MEMORY)
    try:
        assert await again.get("partner-a", cart.id) is None
    finally:
        await again.close()
