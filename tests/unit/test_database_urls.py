"""Which database an OMNICART_DATABASE_URL names, and the URLs its driver and the
migrations get (store/urls.py, the one place that reads the scheme)."""

from __future__ import annotations

import pytest

from omnicart.observability.tracing import traced_store
from omnicart.store import open_store
from omnicart.store.urls import database_of, database_path, driver_url, in_memory, migration_url

# url → (database, its driver's URL, SQLAlchemy's URL for the migrations)
URLS = {
    "sqlite:///relative.db": ("sqlite", "sqlite:///relative.db", "sqlite:///relative.db"),
    "sqlite:////abs.db": ("sqlite", "sqlite:////abs.db", "sqlite:////abs.db"),
    "sqlite:///:memory:": ("sqlite", "sqlite:///:memory:", "sqlite:///:memory:"),
    "postgresql://omnicart:p%40ss@db:5432/carts": (
        "postgresql",
        "postgresql://omnicart:p%40ss@db:5432/carts",
        "postgresql+asyncpg://omnicart:p%40ss@db:5432/carts",
    ),
    "postgres://db/carts": ("postgresql", "postgresql://db/carts", "postgresql+asyncpg://db/carts"),
    "postgresql+asyncpg://db/carts?ssl=require": (
        "postgresql",
        "postgresql://db/carts?ssl=require",
        "postgresql+asyncpg://db/carts?ssl=require",
    ),
}
UNKNOWN = ["mysql://db/carts", "SQLITE:///upper.db", "postgresql+psycopg://db/carts", "omnicart.db", ""]


@pytest.mark.parametrize("url", URLS)
def test_a_url_names_its_database_and_the_urls_of_its_driver_and_migrations(url):
    database = database_of(url)
    assert (database.system, driver_url(url), migration_url(url)) == URLS[url]


@pytest.mark.parametrize("url", UNKNOWN)
def test_an_unknown_scheme_is_refused_naming_it_everywhere(url):
    scheme = url.split(":", 1)[0]
    message = f"unsupported OMNICART_DATABASE_URL scheme: {scheme!r}"
    for asks in (database_of, driver_url, migration_url):
        with pytest.raises(ValueError) as refused:
            asks(url)
        assert str(refused.value) == message


async def test_open_store_refuses_an_unknown_scheme_before_opening_anything():
    with pytest.raises(ValueError, match="unsupported OMNICART_DATABASE_URL scheme: 'mysql'"):
        await open_store("mysql://db/carts")


@pytest.mark.parametrize(
    ("url", "system"),
    [("sqlite:///x.db", "sqlite"), ("postgres://db/carts", "postgresql"), ("postgresql+asyncpg://db/c", "postgresql")],
)
def test_traces_name_the_database_the_url_names(url, system):
    assert traced_store(object(), url)._system == system


@pytest.mark.parametrize(
    ("url", "path"),
    [("sqlite:///relative.db", "relative.db"), ("sqlite:////abs.db", "/abs.db"), ("sqlite:///:memory:", ":memory:")],
)
def test_sqlite_opens_the_path_of_its_url(url, path):
    assert database_path(url) == path


@pytest.mark.parametrize(
    ("url", "memory"),
    [
        ("sqlite:///:memory:", True),
        ("sqlite://", True),
        ("sqlite:///memory.db", False),
        ("sqlite:////tmp/:memory:", False),
        ("postgresql://db/memory", False),
    ],
)
def test_a_url_says_whether_its_database_lives_in_memory(url, memory):
    assert in_memory(url) is memory
