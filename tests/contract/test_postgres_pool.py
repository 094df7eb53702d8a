"""The PostgreSQL pool hands a connection back without a round trip of its own, and never
with a transaction still open (store/postgres.py, `connection_pool`); a request waits for
a connection only so long when every one is in use (`PostgresStore._connection`)."""

from __future__ import annotations

import asyncio
import time

import pytest

from omnicart.domain.errors import StoreUnavailable
from omnicart.store import open_store, postgres
from omnicart.store.postgres import connection_pool


async def test_a_connection_handed_back_runs_no_reset_query(postgres_database):
    pool = await connection_pool(postgres_database, 1)
    sent: list[str] = []
    try:
        async with pool.acquire() as connection:
            connection.add_query_logger(lambda record: sent.append(record.query))
            await connection.fetchval("SELECT 1")
        async with pool.acquire() as connection:  # the same one: the pool holds one
            assert await connection.fetchval("SELECT 2") == 2
    finally:
        await pool.close()
    assert sent == ["SELECT 1", "SELECT 2"]  # and nothing in between


async def test_a_transaction_left_open_is_rolled_back_before_the_next_use(postgres_database):
    pool = await connection_pool(postgres_database, 1)
    try:
        async with pool.acquire() as connection:
            await connection.execute("BEGIN")
            await connection.execute("SELECT set_config('application_name', 'left open', true)")
        async with pool.acquire() as connection:
            assert not connection.is_in_transaction()
            assert await connection.fetchval("SELECT current_setting('application_name')") != "left open"
    finally:
        await pool.close()


async def test_a_request_waits_for_a_busy_pool_only_so_long(postgres_database, monkeypatch):
    monkeypatch.setattr(postgres, "ACQUIRE_TIMEOUT_SECONDS", 0.2)
    store = await open_store(postgres_database, pool_size=1)
    assert await store.get("partner-a", "no-such-cart") is None  # the one connection, idle
    held = await store._pool.acquire()
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="no database connection became free in time"):
            await store.get("partner-a", "no-such-cart")
        assert time.monotonic() - started < 5
        waiting = asyncio.create_task(store.get("partner-a", "no-such-cart"))
        await asyncio.sleep(0.05)
    finally:
        await store._pool.release(held)  # handed on to the request waiting for it
    assert await waiting is None
    await store.close()


async def test_a_statement_past_its_time_is_a_store_unavailable(postgres_database):
    store = await open_store(postgres_database, pool_size=1)
    try:
        with pytest.raises(StoreUnavailable, match="ran out of time"):
            async with store._connection() as connection:
                await connection.execute("SELECT pg_sleep(5)", timeout=0.1)
        assert await store.get("partner-a", "no-such-cart") is None, "the connection is usable again"
    finally:
        await store.close()
