"""The embedded store's write-ahead log (store/wal.py): checkpointed beside the writes, by
a thread of its own, and kept within its bound even when the writes never pause.

SQLite only: PostgreSQL's WAL is the server's own. What is measured here is the files
themselves: the database file grows only when a checkpoint copies the log into it, and
the log's file is the `-wal` beside it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable

import pytest

from omnicart.store.sqlite import SQLiteStore
from omnicart.store.urls import database_path
from tests.contract.conftest import add, make_cart, owner_of

KIB = 1024
LIMIT_FRAMES = 64  # a bound of 256 KiB at SQLite's 4 KiB pages, so a test crosses it quickly
SOON = 10  # seconds: a checkpoint that never comes fails the test instead of hanging it


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def files(database_url: str) -> Callable[[], tuple[int, int]]:
    """The sizes of the database file and of its log, now."""
    path = database_path(database_url)

    def sizes() -> tuple[int, int]:
        wal = f"{path}-wal"
        return os.path.getsize(path), os.path.getsize(wal) if os.path.exists(wal) else 0

    return sizes


@pytest.fixture
async def opened(database_url: str) -> AsyncIterator[Callable[..., object]]:
    """Open the store with the checkpoint settings a test names; closed after it."""
    stores: list[SQLiteStore] = []

    async def open_with(every: float, limit_frames: int = 16_384) -> SQLiteStore:
        store = await SQLiteStore.open(database_url, checkpoint_every=every, log_limit_frames=limit_frames)
        stores.append(store)
        return store

    yield open_with
    for store in stores:
        await store.close()


async def checkpointed(store: SQLiteStore) -> None:
    """Until a background checkpoint has run that began after every write so far: a
    checkpoint starts after a write, so once none is running, one small write starts it."""
    checkpoints = store._checkpoints
    assert checkpoints is not None
    for _ in range(SOON * 100):
        if not checkpoints._running:
            break
        await asyncio.sleep(0.01)
    before = checkpoints.passes
    await add(store, make_cart())
    for _ in range(SOON * 100):
        if checkpoints.passes > before:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no background checkpoint ran")


async def test_the_store_connection_never_checkpoints_by_itself(opened, files):
    store = await opened(every=3600)  # no background checkpoint is ever due
    database_before, _ = files()
    for _ in range(60):  # ~5 MiB of log: past the 1,000 pages where SQLite checkpoints in the commit
        await add(store, make_cart(items=400))
    database_after, log = files()
    assert database_after == database_before
    assert log > 4.5 * KIB * KIB


async def test_background_checkpoints_copy_the_log_into_the_database_file(opened, files):
    store = await opened(every=0)
    database_before, _ = files()
    written = 0
    for _ in range(40):
        written += len(await add(store, make_cart(items=200)))
    await checkpointed(store)
    database_after, _ = files()
    assert database_after - database_before >= written  # every document is in it, at least once


async def test_writes_that_never_pause_keep_the_log_within_its_bound(files, database_url):
    store = await SQLiteStore.open(database_url, checkpoint_every=0, log_limit_frames=LIMIT_FRAMES)
    largest = 0
    written: dict[str, tuple[str, bytes]] = {}  # cart id: (owner, document)

    async def writer() -> None:  # four of them: the database thread is never idle
        nonlocal largest
        for _ in range(100):
            cart = make_cart(items=60)  # ~7 KiB
            written[cart.id] = owner_of(cart), await add(store, cart)
            largest = max(largest, files()[1])

    try:
        await asyncio.gather(*(writer() for _ in range(4)))
    finally:
        await store.close()  # then the store as the next process opens it: nothing lost
    # ~19 MiB of log when nothing catches up (the test fails so with `catch_up` emptied);
    # with it, a few bounds' worth at most: what was written while the thread caught up.
    assert largest < 4 * KIB * KIB
    reopened = await SQLiteStore.open(database_url)
    try:
        for cart_id, (owner, doc) in written.items():  # every write there, as written
            stored = await reopened.read(owner, cart_id)
            assert stored is not None and stored.doc == doc
    finally:
        await reopened.close()


async def test_the_log_file_is_cut_back_to_its_bound_once_it_starts_again(opened, files):
    store = await opened(every=0, limit_frames=LIMIT_FRAMES)
    await asyncio.gather(*(add(store, make_cart(items=60)) for _ in range(4) for _ in range(50)))
    assert files()[1] > 1 * KIB * KIB
    await checkpointed(store)  # alone, it copies the whole log
    await add(store, make_cart())  # so this write starts the log again, and cuts its file
    assert files()[1] <= LIMIT_FRAMES * 4 * KIB
