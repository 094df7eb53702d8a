"""An order's TMF622 view on the console's order page: the ProductOrder the API answers for
it, whichever path placed the order."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.console.conftest import console_settings

PRODUCT_ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"


@pytest.fixture
def sandbox(database_url: str) -> Iterator[TestClient]:
    quiet = console_settings(database_url, sandbox=True, webhook_poll_seconds=3600, fulfilment_poll_seconds=3600)
    with TestClient(create_app(quiet), raise_server_exceptions=True, follow_redirects=False) as client:
        yield client


def shown_view(page: str) -> dict:
    view = page[page.index('<details id="tmf622">') :]
    return json.loads(html.unescape(view[view.index("<pre><code>") + 11 : view.index("</code></pre>")]))


def test_the_order_page_shows_the_product_order_the_api_answers(sandbox):
    order = sandbox.post(PRODUCT_ORDERS, json={"productOrderItem": [{"id": "1", "action": "add"}]}).json()
    page = sandbox.get(f"/console/orders/{order['id']}")
    assert page.status_code == 200, page.text
    assert f"<code>GET {PRODUCT_ORDERS}/{order['id']}</code>" in page.text
    assert shown_view(page.text) == sandbox.get(f"{PRODUCT_ORDERS}/{order['id']}").json() == order
