"""Bundles are trees of one level (issue 21, point 6): an item rooted in an item that is not
a bundle root (a chain, or a cycle: A in B, B in A) is refused with 400 naming the items, on
Create Cart, Add Items and PATCH, and nothing changes. Both databases. What the console
shows of the shapes still accepted: tests/console/test_bundles.py."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error
from tests.carts import PIXEL, SIM, VALUE_PLUS, line

INVALID_INPUT = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


def item(item_id: str, root: str | None = None, offering: str = SIM) -> dict:
    found = {"productOrderItemId": item_id, "action": "add", "productOfferingId": offering}
    if root is not None:
        found["rootBundleProductOrderItemId"] = root
    return found


def refused(response, named: list[str], reasons: list[str]) -> None:
    body = assert_error(response, 400, INVALID_INPUT)
    assert body["details"]["productOrderItemIds"] == named
    assert [e["reason"] for e in body["details"]["errors"]] == reasons
    assert {e["field"] for e in body["details"]["errors"]} == {"rootBundleProductOrderItemId"}


def reason(member: str, root: str, beyond: str) -> str:
    return (
        f"item '{member}' is rooted in '{root}', which is not a bundle root (it is rooted in '{beyond}'); "
        "a bundle's root names no root"
    )


# Shapes refused on Create Cart and on Add Items alike: the items, and what the error names.
REFUSED = {
    "two-cycle": (
        [item("a", "b"), item("b", "a")],
        ["a", "b"],
        [reason("a", "b", "a"), reason("b", "a", "b")],
    ),
    "three-cycle": (
        [item("a", "b"), item("b", "c"), item("c", "a")],
        ["a", "b", "c"],
        [reason("a", "b", "c"), reason("b", "c", "a"), reason("c", "a", "b")],
    ),
    "chain": (
        [item("plan", offering=VALUE_PLUS), item("phone", "plan", PIXEL), item("sim", "phone")],
        ["phone", "plan", "sim"],
        [reason("sim", "phone", "plan")],
    ),
}


@pytest.mark.parametrize("shape", list(REFUSED))
def test_create_cart_refuses_a_bundle_that_is_no_tree(client, seed_request, shape):
    items, named, reasons = REFUSED[shape]
    refused(client.post(CARTS, json={**seed_request, "items": items}), named, reasons)
    assert client.get(CARTS).json() == []


@pytest.mark.parametrize("shape", list(REFUSED))
def test_add_items_refuses_a_bundle_that_is_no_tree(client, cart, shape):
    items, named, reasons = REFUSED[shape]
    refused(client.post(f"{CARTS}/{cart['id']}/items", json={"items": items}), named, reasons)
    assert client.get(f"{CARTS}/{cart['id']}").json()["version"] == cart["version"]


def test_add_items_refuses_an_item_rooted_in_a_member_of_the_cart(client, cart):
    assert client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()}).status_code == 200
    response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": [item("extra", "line-1-phone")]})
    refused(response, ["extra", "line-1", "line-1-phone"], [reason("extra", "line-1-phone", "line-1")])


def test_patch_refuses_a_root_rooted_in_its_own_member(client, cart):
    assert client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()}).status_code == 200
    before = client.get(f"{CARTS}/{cart['id']}").json()
    response = client.patch(f"{CARTS}/{cart['id']}/items/line-1", json={"rootBundleProductOrderItemId": "line-1-phone"})
    refused(
        response,
        ["line-1", "line-1-phone", "line-1-protect", "line-1-sim"],
        [
            reason("line-1", "line-1-phone", "line-1"),
            reason("line-1-phone", "line-1", "line-1-phone"),
            reason("line-1-sim", "line-1", "line-1-phone"),
            reason("line-1-protect", "line-1", "line-1-phone"),
        ],
    )
    assert client.get(f"{CARTS}/{cart['id']}").json() == before


def test_patch_refuses_a_member_rooted_in_another_member(client, cart):
    assert client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()}).status_code == 200
    response = client.patch(
        f"{CARTS}/{cart['id']}/items/line-1-sim", json={"rootBundleProductOrderItemId": "line-1-phone"}
    )
    refused(response, ["line-1", "line-1-phone", "line-1-sim"], [reason("line-1-sim", "line-1-phone", "line-1")])


def test_patch_moves_a_member_to_another_root(client, cart):
    items = [*line(), *line("line-2")]
    assert client.post(f"{CARTS}/{cart['id']}/items", json={"items": items}).status_code == 200
    response = client.patch(f"{CARTS}/{cart['id']}/items/line-1-sim", json={"rootBundleProductOrderItemId": "line-2"})
    assert response.status_code == 200, response.text
    moved = {
        i["productOrderItemId"]: i.get("rootBundleProductOrderItemId") for i in response.json()["productOrderItem"]
    }
    assert moved["line-1-sim"] == "line-2"
