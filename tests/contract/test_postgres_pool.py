"""The PostgreSQL pool hands a connection back without a round trip of its own, and never
with a transaction still open (store/postgres.py, `connection_pool`)."""

from __future__ import annotations

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
