"""Alembic environment: runs the migrations against the URL omnicart hands it, or on the
connection it hands over (`config.attributes["connection"]`: a SQLite database in memory,
which only that connection reaches; store/migrate.py).

PostgreSQL goes through SQLAlchemy's asyncpg dialect so that omnicart needs one
PostgreSQL driver only; SQLite uses the standard library module.
"""

import asyncio

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from omnicart.store.urls import POSTGRESQL, database_of

config = context.config


# Several replicas may start at once on a fresh database: one migrates, the others wait
# for it and then find nothing to do (instead of racing to create alembic_version).
MIGRATION_LOCK = 0x6F6D6E69  # "omni"


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()


async def run_async() -> None:
    engine = async_engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    async with engine.connect() as connection:
        await connection.run_sync(run)
    await engine.dispose()


url = config.get_main_option("sqlalchemy.url") or ""
given: Connection | None = config.attributes.get("connection")
if given is not None:
    run(given)
elif database_of(url) is POSTGRESQL:  # through asyncpg (`urls.migration_url`)
    asyncio.run(run_async())
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as connection:
        run(connection)
    engine.dispose()
