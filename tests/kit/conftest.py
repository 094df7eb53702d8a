"""The live server the client's tests call, once per module and store: a module sets what
the server runs with in `SERVER_ENV` (fulfilment off by default, so orders wait)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omnicart.client import Client
from tests.credentials import KEY
from tests.live import LiveServer


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp(request.module.__name__.rsplit('.', 1)[-1]) / 'omnicart.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    env = getattr(request.module, "SERVER_ENV", {"OMNICART_FULFILMENT": "off"})
    with LiveServer(url, workers=1, env=env) as live:
        yield live


@pytest.fixture
def api(server: LiveServer) -> Iterator[Client]:
    with Client(server.url, api_key=KEY) as client:
        yield client
