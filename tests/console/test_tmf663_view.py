"""A cart's TMF663 view on the console's cart page: the ShoppingCart the API answers for
it, whichever path made the cart."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.console.conftest import console_settings

CARTS = "/omni-svcs/v1/carts"
SHOPPING_CARTS = "/tmf-api/shoppingCart/v4/shoppingCart"


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    quiet = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        yield client


def shown_view(page: str) -> dict:
    view = page[page.index('<details id="tmf663">') :]
    return json.loads(html.unescape(view[view.index("<pre><code>") + 11 : view.index("</code></pre>")]))


@pytest.mark.parametrize("made_on", ["carrier", "tmf663"])
def test_the_cart_page_shows_the_shopping_cart_the_api_answers(sandbox, seed_request, made_on):
    if made_on == "carrier":
        cart_id = sandbox.post(CARTS, json=seed_request).json()["id"]
    else:
        cart_id = sandbox.post(SHOPPING_CARTS, json={"contactMedium": [{"mediumType": "email"}]}).json()["id"]
    page = sandbox.get(f"/console/carts/{cart_id}").text
    assert f"<code>GET {SHOPPING_CARTS}/{cart_id}</code>" in page
    assert shown_view(page) == sandbox.get(f"{SHOPPING_CARTS}/{cart_id}").json()
