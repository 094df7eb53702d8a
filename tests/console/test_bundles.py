"""The console shows every item of any cart (issue 21, point 6): each shape the API accepts,
and a chain or cycle of bundles an older cart may hold, shows each item exactly once."""

from __future__ import annotations

import pytest

from omnicart.console.carts import item_tree
from tests.carts import PIXEL, SIM, VALUE_PLUS
from tests.console.conftest import sign_in
from tests.credentials import AUTH, KEY

CARTS = "/omni-svcs/v1/carts"


def item(item_id: str, root: str | None = None, offering: str = SIM) -> dict:
    found = {"productOrderItemId": item_id, "action": "add", "productOfferingId": offering}
    if root is not None:
        found["rootBundleProductOrderItemId"] = root
    return found


def test_every_accepted_shape_is_shown(console, seed_request):
    """An item naming itself is a root; a root the cart does not hold is the validation
    message ROOT_BUNDLE_NOT_FOUND, shown at the top."""
    sign_in(console, KEY)
    items = [item("self", "self", VALUE_PLUS), item("self-phone", "self", PIXEL), item("lost", "nowhere"), item("lone")]
    cart = console.post(CARTS, json={**seed_request, "items": items}, headers=AUTH)
    assert cart.status_code == 201, cart.text
    page = console.get(f"/console/carts/{cart.json()['id']}").text
    page = page[page.index("<h2>Items</h2>") : page.index("<h2>Version history</h2>")]  # the history names them too
    for shown in ("self", "self-phone", "lost", "lone"):
        assert page.count(f"<code>{shown}</code>") == 1, shown
    bundle = page[page.index("<code>self</code>") : page.index("<code>lost</code>")]
    assert '<ul class="bundle">' in bundle and "<code>self-phone</code>" in bundle


def _shape(tree: list[dict]) -> list:
    """The tree as (id, [children's ids]) pairs, top first."""
    return [(n["item"]["productOrderItemId"], [c["item"]["productOrderItemId"] for c in n["children"]]) for n in tree]


@pytest.mark.parametrize(
    ("items", "shown"),
    [
        ([item("r"), item("m", "r")], [("r", ["m"])]),
        ([item("m", "r"), item("r")], [("r", ["m"])]),
        ([item("a", "b"), item("b", "a")], [("a", []), ("b", [])]),
        ([item("a", "b"), item("b", "c"), item("c", "a")], [("a", []), ("b", []), ("c", [])]),
        ([item("r"), item("m", "r"), item("n", "m")], [("r", ["m"]), ("n", [])]),
        ([item("s", "s"), item("x", "gone")], [("s", []), ("x", [])]),
        ([item("r"), item("r"), item("m", "r")], [("r", ["m"]), ("r", [])]),
    ],
    ids=["bundle", "member-first", "two-cycle", "three-cycle", "chain", "self-and-lost", "twice-the-same-id"],
)
def test_any_stored_shape_shows_each_item_once(items, shown):
    assert _shape(item_tree({"productOrderItem": items})) == shown
