"""The app in sandbox mode over HTTP, for the tests of the carrier's fiber operations: their
providers are then the sandbox world's (tests/world.py lists what is in it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.credentials import AUTH

SEARCH = "/omni-svcs/v1/customers/search"
CUSTOMER_AUTH = "/omni-svcs/v1/customer/auth"
QUALIFICATION = "/omni-svcs/v1/service-qualification"


@contextmanager
def sandbox_client(settings: Settings, **changes) -> Iterator[TestClient]:
    """A client of the app as `settings` make it, in sandbox mode (with `changes`, e.g.
    profile="carrier"), calling as partner-a; the simulator's loop idle."""
    chosen = dataclasses.replace(settings, **{"sandbox": True, "fulfilment_poll_seconds": 3600, **changes})
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        yield client
