"""Text the partner sends outside a JSON string, on both databases (issue 21, point 4): a NUL
in a filter or an id answers 400 in the error format on PostgreSQL (whose text cannot hold
it) and matches nothing on SQLite; a body with invalid UTF-8 inside a string is malformed
JSON (400), never a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error
from tests.carts import line

ORDERS = "/omni-svcs/v1/orders"
INVALID_INPUT = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


@pytest.mark.parametrize(
    "path",
    [
        f"{CARTS}?customerId=%00",
        f"{CARTS}?customerId=a%00b",
        f"{ORDERS}?cartId=%00",
        f"{ORDERS}?customerOrderId=%00",
    ],
)
def test_a_nul_in_a_filter_is_a_400_on_postgresql(client, database_url, path):
    response = client.get(path)
    if database_url.startswith("sqlite"):
        assert response.status_code in (200, 404), response.text  # SQLite holds NUL: nothing matches
    else:
        body = assert_error(response, 400, INVALID_INPUT)
        assert body["details"]["errors"] == [
            {"field": "parameter", "reason": "must not contain NUL characters (U+0000)"}
        ]


@pytest.mark.parametrize("path", [f"{CARTS}/%00", f"{ORDERS}/x%00", f"{ORDERS}/%00", "/omni-svcs/v1/hub/%00"])
def test_a_nul_in_an_id_is_not_found(client, path):
    assert assert_error(client.get(path), 404)


@pytest.mark.parametrize(
    "body",
    [
        b'{"quantity": 1, "note": "\xff\xfe"}',
        b'{"quantity": 1, "\xc3": 1}',
        b'{"characteristic": [{"name": "color", "value": "\xed\xa0\x80"}]}',
    ],
    ids=["value", "field-name", "surrogate"],
)
def test_a_patch_with_invalid_utf8_in_a_string_is_malformed_json(client, cart, body):
    assert client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()}).status_code == 200
    response = client.patch(
        f"{CARTS}/{cart['id']}/items/line-1-phone", content=body, headers={"Content-Type": "application/json"}
    )
    assert assert_error(response, 400, INVALID_INPUT)["message"].startswith("malformed JSON")
    assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == cart["version"] + 1  # unchanged by it
