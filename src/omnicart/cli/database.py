"""The database a command works on: which one, and getting it migrated."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable

from omnicart import logs
from omnicart.config import DEFAULT_DATABASE_URL, Settings

log = logging.getLogger("omnicart")

# Every command that reads or writes data says so in its help: a key made with one
# database is invisible to a server started on another.
DATABASE_HELP = (
    "OMNICART_DATABASE_URL, else the SQLite file omnicart.db of the current directory"
    f" ({DEFAULT_DATABASE_URL}); e.g. postgresql://user@host:5432/name"
)


def add_database_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database-url", metavar="URL", help="the database to use, over OMNICART_DATABASE_URL (default: see above)"
    )


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings from the environment, --database-url put there first: `serve`'s
    workers read their settings from the environment too."""
    url = getattr(args, "database_url", None)
    if url:
        os.environ["OMNICART_DATABASE_URL"] = url
    return Settings.from_env()


def announce(url: str) -> None:
    """One line on stderr naming the database, so an operator sees which one was used."""
    from omnicart.store.urls import described

    print(f"database: {described(url)}", file=sys.stderr)


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    """What a database that is down, starting or refusing connections raises."""
    import sqlite3

    import asyncpg
    import sqlalchemy.exc

    return (
        OSError,
        TimeoutError,
        sqlite3.OperationalError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
        asyncpg.TooManyConnectionsError,
    )


def wait_for_database(
    url: str, *, first_delay: float = 1.0, max_delay: float = 30.0, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Migrate, retrying with backoff while the database does not answer: an orchestrator
    may start omnicart before its database. One line per attempt, never a traceback."""
    from omnicart.store.urls import redacted

    delay = first_delay
    unreachable = _unreachable_errors()
    while True:
        try:
            migrate_database(url)
            return
        except unreachable as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            log.error("the database (%s) does not answer: %s; retrying in %.0f s", redacted(url), reason, delay)
        sleep(delay)
        delay = min(max_delay, delay * 2)


def migrate_database(url: str) -> None:
    from omnicart.store.migrate import upgrade
    from omnicart.store.urls import database_of, in_memory

    if in_memory(url):
        # Migrating here would make a database of this process's own, gone at once: the
        # store migrates its database as it opens it (store/sqlite.py).
        log.info("a database in memory is migrated when the store opens it", extra={"store": "sqlite"})
        return
    upgrade(url)
    log.info("schema is up to date", extra={"store": database_of(url).system})


def migrate(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    logs.configure(settings.log_level)
    announce(settings.database_url)
    migrate_database(settings.database_url)
    return 0
