"""An omnicart app served in-process over HTTP, on each database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings

CARTS = "/omni-svcs/v1/carts"
PARTNER = "sandbox"  # the partner every test request acts for


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, pool_size=4)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def cart(client: TestClient, seed_request: dict) -> dict:
    """A freshly created draft cart, as the API returned it."""
    response = client.post(CARTS, json=seed_request)
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """The one error format: code, message, status, details (with the bad field's path)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "status", "details"}
    assert body["status"] == status
    assert body["message"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert [e["field"] for e in body["details"]["errors"]] == [field]
    return body


@pytest.fixture
def live_server(database_url: str, tmp_path):
    """`omnicart serve` with two worker processes on the test database."""
    from tests.live import LiveServer

    with LiveServer(database_url, workers=2, log=tmp_path / "server.log") as server:
        yield server
