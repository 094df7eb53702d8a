"""Item ids must be addressable in a URL path segment: the character set of domain/cart.py
`ItemId` (A-Z a-z 0-9 and . _ ~ : @ ! $ ' ( ) * + , ; = -, 1 to 128 characters, not "."
nor ".."), stated here by hand; anything else is a 400 and changes nothing (issue 11:
`DELETE …/items/..` was normalised by clients into `DELETE /carts/{id}`)."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest

from tests.api.conftest import CARTS, assert_error
from tests.credentials import AUTH

SIM = "SIM_pkey80001_sku6001001"
BAD_IDS = ["a/b", ".", "..", "a" * 129, "a b", "a?b", "a#b", "a%2Fb", "a\\b", "ü", "", "a\nb", "/", "%2e%2e"]
GOOD_IDS = ["sim", "a.b", "...", "a-b_c~d", "x:y@z", "it's(1)", "a" * 128, "A1!$*+,;="]


@pytest.mark.parametrize("item_id", BAD_IDS)
@pytest.mark.parametrize("field", ["productOrderItemId", "rootBundleProductOrderItemId"])
def test_an_unaddressable_item_id_is_a_400_and_changes_nothing(client, cart, item_id, field):
    if field == "productOrderItemId" and item_id == "":
        pytest.skip("an empty productOrderItemId asks omnicart to draw one")
    line = {"productOrderItemId": "ok", "productOfferingId": SIM, field: item_id}
    response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [line]})
    assert_error(response, 400)
    assert client.get(f"{CARTS}/{cart['id']}").json() == cart


@pytest.mark.parametrize("item_id", GOOD_IDS)
def test_the_documented_character_set_is_accepted_and_addressable(client, cart, item_id):
    response = client.post(
        f"{CARTS}/{cart['id']}/items", json={"items": [{"productOrderItemId": item_id, "productOfferingId": SIM}]}
    )
    assert response.status_code == 200, response.text
    path = f"{CARTS}/{cart['id']}/items/{httpx.URL(f'/{item_id}').raw_path.decode()[1:]}"
    assert client.patch(path, json={"quantity": 2}).status_code == 200
    assert client.delete(path).status_code in (200, 204)


@pytest.mark.parametrize("segment", ["..", "%2e%2e", ".%2E", "."])
def test_dot_segments_under_items_never_reach_the_cart(client, cart, segment):
    # As the server receives it when a client does not normalise dot segments (httpx does).
    raw = f"{CARTS}/{cart['id']}/items/{segment}"
    scope = {
        "type": "http",
        "method": "DELETE",
        "path": unquote(raw),
        "raw_path": raw.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"authorization", AUTH["Authorization"].encode())],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "asgi": {"version": "3.0"},
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    client.portal.call(client.app, scope, receive, send)
    assert sent[0]["status"] in (400, 404, 405), sent
    assert client.get(f"{CARTS}/{cart['id']}").status_code == 200
