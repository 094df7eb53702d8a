"""Shared fixtures: a migrated database of each kind, the seed request, and the fake clock.

Every test that takes `database_url` runs twice, on SQLite and on PostgreSQL. PostgreSQL
gets a database of its own per test run (dropped at the end), SQLite a fresh file per
test. The use-case tests (tests/services) run once, each on a SQLite store in memory of
its own: that the stores behave alike is the contract suite's business.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from omnicart.store.migrate import upgrade
from tests.receiver import Receiver

PG_SERVER = os.environ.get("OMNICART_TEST_PG", "postgresql://127.0.0.1:5432/test")
DATABASES = ["sqlite", "postgres"]
TABLES = [
    "deliveries",
    "hubs",
    "outbox",
    "order_accounts",
    "orders",
    "api_keys",
    "idempotency_keys",
    "carts",
    "appointment_bookings",
    "quota_usage",
]

SEED_REQUEST = {
    "channel": {
        "id": "IND",
        "name": "IND",
        "extensions": [
            {"name": "subChannel", "value": "bestbuy"},
            {"name": "subChannelGroup", "value": "National Retail"},
        ],
    },
    "relatedParty": [
        {"referredType": "individual", "role": "owner", "id": "2f3ca666-744d-4aa3-9351-e259185a065b"},
        {"name": "RS and I Inc", "referredType": "dealerLocation", "id": "G5MGG", "role": "partner"},
        {
            "referredType": "customer",
            "role": "customer",
            "id": "3f7f9189-974e-4639-8343-4a1819a98c7e",
            "extensions": [
                {"name": "CustomerType", "value": "Consumer"},
                {"name": "CustomerSubType", "value": "Individual"},
            ],
        },
    ],
}


# When the tests' fake clocks start: the dates they expect (submission, delivery windows)
# count from it, and its milliseconds show in every timestamp.
START = datetime(2026, 1, 15, 12, 0, 0, 250000, tzinfo=UTC)


class FakeClock:
    """The services' clock, moved by the test: submission dates and fulfilment steps are
    exact, and no test waits for a step to fall due."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def every_combination(filters: dict) -> list[dict]:
    """Each subset of `filters`: none, each alone, each pair, …, all of them."""
    return [dict(chosen) for n in range(len(filters) + 1) for chosen in itertools.combinations(filters.items(), n)]


@pytest.fixture
def seed_request() -> dict:
    import copy

    return copy.deepcopy(SEED_REQUEST)


def _pg_url(database: str) -> str:
    return PG_SERVER.rsplit("/", 1)[0] + "/" + database


async def admin(sql: str) -> None:
    """Run one statement on the server's administration database (CREATE/DROP DATABASE)."""
    connection = await asyncpg.connect(PG_SERVER)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    name = f"omnicart_test_{uuid.uuid4().hex[:12]}"

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = _pg_url(name)
    upgrade(url)
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "omnicart.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate(url: str) -> None:
    # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE gives every table and
    # index a new file (~200 ms a test, against ~1 ms). TABLES lists referrers first.
    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute("; ".join(f"DELETE FROM {table}" for table in TABLES))
        finally:
            await connection.close()

    asyncio.run(run())


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: once as SQLite, once as PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "omnicart.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    _truncate(url)
    return url


@pytest.fixture(autouse=True)
def _testclient_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starlette's TestClient sends `Host: testserver`: allowed by default in tests only
    (OMNICART_ALLOWED_HOSTS, api/hosts.py); test_hosts.py checks the real default."""
    from omnicart.api import hosts

    monkeypatch.setattr(hosts, "LOOPBACK_HOSTS", (*hosts.LOOPBACK_HOSTS, "testserver"))


# The files that take longest, longest first, then the rest of the slow ones: the run's two
# workers (scripts/test: `-n 2 --dist loadfile --no-loadscope-reorder`) take files in
# collection order, and a long file taken last keeps one worker busy while the other has
# nothing left to do.
LONGEST_FIRST = ("test_conformance.py", "test_partner_venv.py", "test_chaos.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        if name in LONGEST_FIRST:
            return LONGEST_FIRST.index(name)
        return len(LONGEST_FIRST) if item.get_closest_marker("slow") else len(LONGEST_FIRST) + 1

    place: dict[Path, int] = {}
    for item in items:
        place[item.path] = min(place.get(item.path, rank(item)), rank(item))
    items.sort(key=lambda item: place[item.path])  # stable: each file's tests together, in order


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A listener on this machine that records what it is sent (tests/receiver.py)."""
    with Receiver() as receiver:
        yield receiver
