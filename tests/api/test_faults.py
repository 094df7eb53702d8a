"""Fault tolerance: the store going away or staying locked answers 503 + Retry-After,
never a 500, and the service recovers by itself."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from omnicart.store.urls import database_path
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
            for request in (
                lambda: client.get(f"{CARTS}/{created['id']}"),
                lambda: client.post(CARTS, json=seed_request),
                lambda: client.get("/ready"),
            ):
                response = request()
                assert_error(response, 503, "OMNICART-STORE-0503")
                assert response.headers["retry-after"] == "1"

            proxy.restore()
            assert client.get("/ready").status_code == 200
            assert client.get(f"{CARTS}/{created['id']}").json() == created
            assert client.post(CARTS, json=seed_request).status_code == 201
    finally:
        proxy.close()


def test_store_failures_in_middleware_answer_503_too(postgres_url, seed_request):
    """Idempotency-Keys and stored API keys are looked up before any handler runs (issue 11: 500)."""
    target = urlsplit(postgres_url)
    proxy = CuttableProxy(target.hostname, target.port or 5432).start()
    proxied = postgres_url.replace(target.netloc, f"127.0.0.1:{proxy.port}")
    try:
        settings = Settings(
            database_url=proxied, pool_size=2, api_keys=API_KEYS, jwt_secret=JWT_SECRET, key_cache_seconds=0
        )
        with TestClient(create_app(settings), raise_server_exceptions=False, headers=AUTH) as client:
            access = client.app.state.services.access
            _, stored_key = client.portal.call(access.create_key, "partner-a", frozenset({"carts:read"}))
            assert client.get(CARTS, headers={"Authorization": f"Bearer {stored_key}"}).status_code == 200

            proxy.cut()
            for response in (
                client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k-1"}),
                client.get(CARTS, headers={"Authorization": f"Bearer {stored_key}"}),
            ):
                assert_error(response, 503, "OMNICART-STORE-0503")
                assert response.headers["retry-after"] == "1"
                assert response.headers["x-content-type-options"] == "nosniff"

            proxy.restore()
            assert client.post(CARTS, json=seed_request, headers={"Idempotency-Key": "k-1"}).status_code == 201
            assert client.get(CARTS, headers={"Authorization": f"Bearer {stored_key}"}).status_code == 200
    finally:
        proxy.close()


@pytest.mark.parametrize("idempotency_key", [None, "k-2"])
def test_a_client_disconnecting_mid_body_is_logged_at_info_not_as_an_error(sqlite_url, idempotency_key):
    settings = Settings(database_url=sqlite_url, api_keys=API_KEYS, jwt_secret=JWT_SECRET)
    headers = [
        (b"host", b"testserver"),
        (b"authorization", AUTH["Authorization"].encode()),
        (b"content-type", b"application/json"),
        (b"content-length", b"100"),
    ]
    if idempotency_key:
        headers.append((b"idempotency-key", idempotency_key.encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": CARTS,
        "raw_path": CARTS.encode(),
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "asgi": {"version": "3.0"},
    }
    messages = iter(
        [{"type": "http.request", "body": b'{"relatedParty": [', "more_body": True}, {"type": "http.disconnect"}]
    )
    sent: list[dict] = []

    async def receive():
        return next(messages, {"type": "http.disconnect"})

    async def send(message):
        sent.append(message)

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("omnicart")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.DEBUG
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            client.portal.call(client.app, scope, receive, send)
            assert client.get(CARTS, headers=AUTH).json() == []  # nothing was created
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert not [r for r in records if r.levelno >= logging.ERROR], [r.getMessage() for r in records]
    assert [r for r in records if "disconnected" in r.getMessage() and r.levelno == logging.INFO]
    assert not any(m.get("status", 0) >= 500 for m in sent)
