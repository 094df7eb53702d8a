"""The console's answers to odd input and to a store that is down (issue 21, point 4): odd
page numbers show a page, a NUL in the search or a form is a 400 page on PostgreSQL, and
the store going away answers 503 with Retry-After, as the API does; never a 5xx otherwise."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.store.urls import database_path
from tests.console.conftest import console_settings, csrf_of
from tests.faults import CuttableProxy
from tests.live import free_port

CARTS = "/omni-svcs/v1/carts"
LISTS = ["/console/carts", "/console/orders", "/console/events"]


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    """The sandbox's console (no sign-in), its background jobs waiting an hour."""
    settings = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(settings), raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def _hub(client: TestClient) -> str:
    response = client.post("/omni-svcs/v1/hub", json={"callback": f"http://127.0.0.1:{free_port()}/events"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("²", 1),
        ("1²", 1),
        ("①", 1),
        ("-1", 1),
        ("", 1),
        ("x", 1),
        ("0", 1),
        ("3", 3),
        ("0" * 5000 + "2", 2),
        ("10001", 10000),
        ("9" * 5000, 10000),
    ],
    ids=["sup2", "1sup2", "circled1", "minus", "empty", "letter", "zero", "3", "zeros-2", "10001", "5000-nines"],
)
@pytest.mark.parametrize("path", LISTS)
def test_any_page_number_shows_a_page(sandbox, path, page, shown):
    response = sandbox.get(path, params={"page": page})
    assert response.status_code == 200, response.text[:300]
    assert f"<span>Page {shown}</span>" in response.text


@pytest.mark.parametrize("q", ["\x00", "a\x00b"])
def test_a_nul_in_the_search_is_a_400_page_on_postgresql(sandbox, database_url, q):
    response = sandbox.get("/console/carts", params={"q": q})
    if database_url.startswith("sqlite"):
        assert response.status_code == 200, response.text[:300]  # SQLite holds NUL: nothing matches
    else:
        assert response.status_code == 400, response.text[:300]
        assert "Invalid request" in response.text and "NUL" in response.text


def test_a_nul_in_the_replay_form_is_a_400_page_on_postgresql(sandbox, database_url):
    hub = _hub(sandbox)
    page = sandbox.get("/console/hubs").text
    response = sandbox.post(f"/console/hubs/{hub}/replay", data={"event": "e\x00", "csrf": csrf_of(page)})
    if database_url.startswith("sqlite"):
        assert response.status_code == 404, response.text[:300]  # never due to this listener
    else:
        assert response.status_code == 400, response.text[:300]


def test_a_postgresql_outage_answers_503_with_retry_after(postgres_database, seed_request):
    target = urlsplit(postgres_database)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432).start()
    proxied = postgres_database.replace(target.netloc, f"127.0.0.1:{proxy.port}")
    try:
        settings = console_settings(proxied, sandbox=True, webhook_poll_seconds=3600)
        with TestClient(create_app(settings), raise_server_exceptions=False, follow_redirects=False) as client:
            cart = client.post(CARTS, json=seed_request).json()
            hub = _hub(client)
            csrf = csrf_of(client.get("/console/hubs").text)
            proxy.cut()
            for response in (
                *(client.get(path) for path in [*LISTS, "/console/hubs", f"/console/carts/{cart['id']}"]),
                client.post(f"/console/hubs/{hub}/replay", data={"event": "e", "csrf": csrf}),
            ):
                assert response.status_code == 503, (response.url, response.status_code, response.text[:300])
                assert response.headers["retry-after"] == "1"
                assert "Unavailable" in response.text
            proxy.restore()
            assert client.get(f"/console/carts/{cart['id']}").status_code == 200
    finally:
        proxy.close()


def test_a_sqlite_write_lock_held_too_long_answers_503_with_retry_after(tmp_path, sqlite_template):
    path = tmp_path / "omnicart.db"
    path.write_bytes(sqlite_template.read_bytes())
    settings = console_settings(f"sqlite:///{path}", sandbox=True, sqlite_busy_timeout_ms=200)
    with TestClient(create_app(settings), raise_server_exceptions=False, follow_redirects=False) as client:
        hub = _hub(client)
        csrf = csrf_of(client.get("/console/hubs").text)
        blocker = sqlite3.connect(database_path(f"sqlite:///{path}"), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = client.post(f"/console/hubs/{hub}/replay", data={"event": "e", "csrf": csrf})
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert (response.status_code, response.headers.get("retry-after")) == (503, "1"), response.text[:300]
