"""Apply the Alembic migrations shipped in the package to a database URL, or to the
database of an open SQLite connection (one in memory exists nowhere else)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from omnicart.store.urls import migration_url

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would eat the % of URL-encoded passwords.
    config.set_main_option("sqlalchemy.url", migration_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(_config(url), revision)


def upgrade_connection(db: sqlite3.Connection, revision: str = "head") -> None:
    """Migrate the database `db` is open on, through `db` itself: Alembic's way of handing
    env.py a connection (`config.attributes["connection"]`), over an engine whose one
    connection is `db`."""
    engine = create_engine("sqlite://", creator=lambda: db, poolclass=StaticPool)
    config = _config("sqlite://")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    # No engine.dispose(): it would close `db`, which its store goes on using.
