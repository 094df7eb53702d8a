"""Fault tolerance: the store going away or staying locked answers 503 + Retry-After,
never a 500, and the service recovers by itself."""

from __future__ import annotations

import shutil
import sqlite3
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.store.sqlite import database_path
from tests.api.conftest import CARTS, assert_error
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.faults import CuttableProxy


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    path = tmp_path / "omnicart.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_database):
    return postgres_database


def test_a_sqlite_write_lock_held_too_long_answers_503_then_recovers(sqlite_url, seed_request):
    settings = Settings(database_url=sqlite_url, sqlite_busy_timeout_ms=200, api_keys=API_KEYS, jwt_secret=JWT_SECRET)
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
        blocker = sqlite3.connect(database_path(sqlite_url), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = client.post(CARTS, json=seed_request)
            assert_error(response, 503, "OMNICART-STORE-0503")
            assert response.headers["retry-after"] == "1"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert client.post(CARTS, json=seed_request).status_code == 201
        assert len(client.get(CARTS).json()) == 1


def test_a_postgres_outage_answers_503_then_recovers_without_restart(postgres_url, seed_request):
    target = urlsplit(postgres_url)
    proxy = CuttableProxy(target.hostname, target.port or 5432).start()
    proxied = postgres_url.replace(target.netloc, f"127.0.0.1:{proxy.port}")
    try:
        settings = Settings(database_url=proxied, pool_size=2, api_keys=API_KEYS, jwt_secret=JWT_SECRET)
        with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
            created = client.post(CARTS, json=seed_request).json()

            proxy.cut()
            for request in (lambda: client.get(f"{CARTS}/{created['id']}"),
                            lambda: client.post(CARTS, json=seed_request),
                            lambda: client.get("/ready")):
                response = request()
                assert_error(response, 503, "OMNICART-STORE-0503")
                assert response.headers["retry-after"] == "1"

            proxy.restore()
            assert client.get("/ready").status_code == 200
            assert client.get(f"{CARTS}/{created['id']}").json() == created
            assert client.post(CARTS, json=seed_request).status_code == 201
    finally:
        proxy.close()
