"""A cart's credit decision on the console's cart page: its class, its application and
when it was decided, and the validation message of a class that blocks the order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.console.conftest import console_settings
from tests.credit_world import TAYLOR, application, cart_request

CARTS = "/omni-svcs/v1/carts"
CREDIT = "/omni-svcs/v1/credit-application"


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    """The sandbox's visitor (no session, partner "sandbox"): the sandbox world is the
    credit bureau."""
    quiet = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        yield client


def test_the_cart_page_shows_the_credit_decision(sandbox):
    cart = sandbox.post(CARTS, json=cart_request(TAYLOR)).json()
    assert "<dt>Credit</dt>" not in sandbox.get(f"/console/carts/{cart['id']}").text
    decided = sandbox.post(CREDIT, json=application(cart["id"])).json()
    page = sandbox.get(f"/console/carts/{cart['id']}").text
    facts = page[page.index("<dt>Credit</dt>") :]
    assert facts.index("Fraud Risk") < facts.index(decided["unifiedCreditTransactionId"]) < facts.index("</dd>")
    assert "<code>CREDIT_RISK_BLOCKS_ORDER</code>" in page
