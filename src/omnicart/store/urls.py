"""Which database a URL names: the one place that reads a database URL's scheme.

`OMNICART_DATABASE_URL` is `sqlite:///relative.db`, `sqlite:////abs/path.db`,
`sqlite:///:memory:`, or `postgresql://…` (also spelt `postgres://…` and SQLAlchemy's
`postgresql+asyncpg://…`). Everything else asks here: which store opens it, which URL
its driver and the migrations (SQLAlchemy and Alembic) get, which file SQLite opens,
whether the database lives in memory, and the database's name in traces and logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

MEMORY = ":memory:"


@dataclass(frozen=True)
class Database:
    """A kind of database omnicart keeps its data in."""

    system: str  # its name in the store (`Dialect.name`), traces (`db.system`) and logs
    schemes: tuple[str, ...]  # the URL schemes that name it
    driver_scheme: str  # the scheme its driver takes (SQLite's reads only the path)
    migration_scheme: str  # SQLAlchemy's dialect and driver, for the migrations


SQLITE = Database(system="sqlite", schemes=("sqlite",), driver_scheme="sqlite", migration_scheme="sqlite")
POSTGRESQL = Database(
    system="postgresql",
    schemes=("postgresql", "postgres", "postgresql+asyncpg"),
    driver_scheme="postgresql",
    # SQLAlchemy reaches PostgreSQL through asyncpg too, so omnicart needs one driver only.
    migration_scheme="postgresql+asyncpg",
)
DATABASES = (SQLITE, POSTGRESQL)


def database_of(url: str) -> Database:
    """The database `url` names; ValueError for a scheme omnicart does not know."""
    scheme = url.split(":", 1)[0]
    for database in DATABASES:
        if scheme in database.schemes:
            return database
    raise ValueError(f"unsupported OMNICART_DATABASE_URL scheme: {scheme!r}")


def driver_url(url: str) -> str:
    """`url` as the database's driver takes it."""
    return _with_scheme(url, database_of(url).driver_scheme)


def migration_url(url: str) -> str:
    """`url` as SQLAlchemy (and so Alembic) takes it."""
    return _with_scheme(url, database_of(url).migration_scheme)


def database_path(url: str) -> str:
    """The file a SQLite URL names: `sqlite:///relative.db`, `sqlite:////abs/path.db`, or
    `sqlite:///:memory:` (also `sqlite://`), a database in memory."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        path = path[1:]
    return path or MEMORY


def in_memory(url: str) -> bool:
    """Whether `url` names a SQLite database in memory: it lives as long as the store that
    opened it, and no other process (no other worker, no `omnicart migrate`) sees it."""
    return database_of(url) is SQLITE and database_path(url) == MEMORY


def _with_scheme(url: str, scheme: str) -> str:
    return scheme + ":" + url.split(":", 1)[1]


def described(url: str) -> str:
    """The database as an operator reads it in a command's output: SQLite's file as an
    absolute path (a relative URL names a different file in each directory), PostgreSQL's
    URL without its password."""
    if database_of(url) is SQLITE:
        path = database_path(url)
        return "SQLite in memory" if path == MEMORY else f"SQLite file {os.path.abspath(path)}"
    return f"PostgreSQL {redacted(url)}"


def redacted(url: str) -> str:
    """`url` without its password (it goes to logs and terminals)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{location}" if ":" in credentials else f"{scheme}://{user}@{location}"
