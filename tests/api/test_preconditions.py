"""If-Match on every change of a cart: a stale version answers 412 and changes nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error

SIM = {"productOfferingId": "SIM_pkey80001_sku6001001"}


@pytest.fixture
def cart_with_item(client, cart):
    return client.post(f"{CARTS}/{cart['id']}/items", json={"items": [{"productOrderItemId": "s", **SIM}]}).json()


def changes(cart_id: str):
    """Every mutating request on a cart, as (method, path, body)."""
    return [
        ("POST", f"{CARTS}/{cart_id}/items", {"items": [SIM]}),
        ("PATCH", f"{CARTS}/{cart_id}/items/s", {"quantity": 2}),
        ("DELETE", f"{CARTS}/{cart_id}/items/s", None),
        ("DELETE", f"{CARTS}/{cart_id}", None),
    ]


@pytest.mark.parametrize("change", range(4))
def test_a_stale_if_match_is_refused_and_changes_nothing(client, cart_with_item, change):
    method, path, body = changes(cart_with_item["id"])[change]
    response = client.request(method, path, json=body, headers={"If-Match": '"1"'})
    error = assert_error(response, 412, "OMNICART-CART-0412")
    assert error["details"]["currentETag"] == '"2"'
    assert client.get(f"{CARTS}/{cart_with_item['id']}").json() == cart_with_item


@pytest.mark.parametrize("change", range(4))
def test_the_current_if_match_is_accepted(client, cart_with_item, change):
    method, path, body = changes(cart_with_item["id"])[change]
    response = client.request(method, path, json=body, headers={"If-Match": '"2"'})
    assert response.status_code in (200, 204)


def test_each_change_answers_the_new_etag(client, cart_with_item):
    response = client.patch(
        f"{CARTS}/{cart_with_item['id']}/items/s", json={"quantity": 3}, headers={"If-Match": '"2"'}
    )
    assert response.headers["etag"] == '"3"' and response.json()["version"] == 3
    assert client.get(f"{CARTS}/{cart_with_item['id']}", headers={"If-None-Match": '"3"'}).status_code == 304
    assert client.get(f"{CARTS}/{cart_with_item['id']}", headers={"If-None-Match": '"2"'}).status_code == 200
