"""The console, in-process (TestClient, both databases) and in a real browser (Playwright
driving Debian's chromium against an app served by uvicorn in a thread)."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.credentials import API_KEYS, AUTH, JWT_SECRET, KEY
from tests.live import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def console_settings(database_url: str, **changes: object) -> Settings:
    """Two partners provisioned as in OMNICART_API_KEYS; listeners on loopback allowed."""
    return Settings(
        database_url=database_url,
        pool_size=4,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        webhook_private_callbacks=True,
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture
def console(database_url: str) -> Iterator[TestClient]:
    """Not a sandbox: every page needs a session. No credentials by default."""
    with TestClient(
        create_app(console_settings(database_url)), raise_server_exceptions=True, follow_redirects=False
    ) as client:
        yield client


@dataclass(frozen=True)
class Visitor:
    """Someone on the console, and the partner API of the partner it acts for."""

    console: TestClient
    sandbox: bool
    partner: str
    auth: dict[str, str]  # the partner's API credentials: none for the sandbox partner


VISITORS = {  # name: (sandbox mode, the API key the visitor signed in with)
    "signed-in": (False, KEY),
    "sandbox": (True, None),
    "signed-in-on-sandbox": (True, KEY),
}


@pytest.fixture(params=list(VISITORS))
def visitor(request: pytest.FixtureRequest, database_url: str) -> Iterator[Visitor]:
    """Each kind of visitor: signed in with an API key, the sandbox's visitor without a
    session, and one signed in on a sandbox. The background jobs wait an hour, so the
    store changes only when the test changes it."""
    sandbox, key = VISITORS[request.param]
    quiet = console_settings(database_url, sandbox=sandbox, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        if key:
            sign_in(client, key)
        yield Visitor(client, sandbox, "partner-a" if key else "sandbox", AUTH if key else {})


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found[1]


def sign_in(client: TestClient, key: str) -> None:
    page = client.get("/console/sign-in")
    response = client.post("/console/sign-in", data={"key": key, "csrf": csrf_of(page.text)})
    assert response.status_code == 303, response.text


class ThreadServer:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
