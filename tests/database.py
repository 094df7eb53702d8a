"""The test database as another tool sees it: one statement, run straight on the SQLite
file or the PostgreSQL database a store under test uses (these tests only look, or set
up what a store must cope with)."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

from omnicart.store.urls import database_path


async def rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """What one statement answers."""
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_path(database_url)) as db:
            return db.execute(sql).fetchall()
    connection = await asyncpg.connect(database_url)
    try:
        return [tuple(row) for row in await connection.fetch(sql)]
    finally:
        await connection.close()


async def execute(database_url: str, sql: str) -> None:
    """One statement, for what it does."""
    await rows(database_url, sql)
