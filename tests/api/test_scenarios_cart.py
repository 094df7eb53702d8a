"""The order system's validation where the carrier's code places it (issue 20, point 4): every
EXTSALESOPS-CART_CREATE-OAV-0003…0015 rejection rehearsed with `mock-scenario:
cart_rejected;reason=NNNN` on Create Cart and Add Items (and their older BYOD flavours),
422 in omnicart's profile and 500 in the carrier's, with the carrier's code and `details`;
nothing is written."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, assert_error
from tests.carts import line

V1 = "/omni-svcs/v1"
# reference §7.2, each code with the reason omnicart gives for it (details.reason)
REJECTIONS = {
    "0003": "the customer's account has past due balances",
    "0004": "the order is not allowed for the customer type",
    "0005": "the address is in a connected community",
    "0006": "the account is voluntarily suspended",
    "0007": "the address is an instantON address",
    "0008": "the account has ACP/ACCESS benefits",
    "0009": "the address is out of region",
    "0010": "the account is on a unified billing account",
    "0011": "the account has ineligible contracted products",
    "0012": "the account has multiple products",
    "0013": "the customer already has a pending order",
    "0014": "the reason code is not allowed for the action",
    "0015": "the account is suspended or cancelled",
}
STATUS = {"omnicart": 422, "carrier": 500}


@pytest.fixture
def client(profiled_client):
    return profiled_client


@pytest.fixture
def cart(client, seed_request) -> dict:
    """A draft cart as the API answered it (201 or, in the carrier's profile, 200)."""
    response = client.post(CARTS, json=seed_request)
    assert response.status_code in (200, 201), response.text
    return response.json()


def rejected(number: str) -> dict[str, str]:
    return {"mock-scenario": f"cart_rejected;reason={number}"}


class TestCartRejected:
    @pytest.mark.parametrize("number", list(REJECTIONS))
    def test_create_cart_is_rejected_and_no_cart_is_made(self, client, profile, seed_request, number):
        seed_request["items"] = line()
        body = assert_error(
            client.post(CARTS, json=seed_request, headers=rejected(number)),
            STATUS[profile],
            f"EXTSALESOPS-CART_CREATE-OAV-{number}",
        )
        assert body["details"] == {"reason": REJECTIONS[number]}
        assert client.get(CARTS).json() == []

    @pytest.mark.parametrize("number", list(REJECTIONS))
    def test_add_items_is_rejected_and_the_cart_is_unchanged(self, client, profile, cart, number):
        response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()}, headers=rejected(number))
        body = assert_error(response, STATUS[profile], f"EXTSALESOPS-CART_CREATE-OAV-{number}")
        assert body["details"] == {"reason": REJECTIONS[number]}
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart

    def test_without_a_reason_it_is_the_pending_order(self, client, profile, cart):
        response = client.post(
            f"{CARTS}/{cart['id']}/items", json={"items": line()}, headers={"mock-scenario": "cart_rejected"}
        )
        body = assert_error(response, STATUS[profile], "EXTSALESOPS-CART_CREATE-OAV-0013")
        assert body["details"] == {"reason": "the customer already has a pending order"}

    def test_the_older_flavour_is_rejected_too(self, client, profile, seed_request):
        created = client.post(f"{V1}/order/create", json=seed_request, headers=rejected("0009"))
        assert_error(created, STATUS[profile], "EXTSALESOPS-CART_CREATE-OAV-0009")
        assert client.get(CARTS).json() == []
        order_id = client.post(f"{V1}/order/create", json=seed_request).json()["id"]
        before = client.get(f"{CARTS}/{order_id}").json()
        added = client.post(f"{V1}/order/{order_id}/items", json={"items": line()}, headers=rejected("0015"))
        assert_error(added, STATUS[profile], "EXTSALESOPS-CART_CREATE-OAV-0015")
        assert client.get(f"{CARTS}/{order_id}").json() == before

    def test_an_unknown_cart_is_still_not_found(self, client, profile):
        missing = f"{CARTS}/0193a5a0-0000-7000-8000-000000000000/items"
        assert_error(client.post(missing, json={"items": line()}, headers=rejected("0003")), 404)

    def test_a_bad_body_is_still_an_input_error(self, client, profile, seed_request):
        del seed_request["channel"]
        response = client.post(CARTS, json=seed_request, headers=rejected("0003"))
        assert_error(response, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001")

    def test_the_same_cart_goes_through_without_the_scenario(self, client, profile, cart):
        response = client.post(f"{CARTS}/{cart['id']}/items", json={"items": line()})
        assert response.status_code == 200
        assert len(response.json()["productOrderItem"]) == 4

    def test_a_reason_outside_the_carriers_list_is_refused(self, client, profile, seed_request):
        response = client.post(CARTS, json=seed_request, headers=rejected("0016"))
        assert_error(response, 400, "OMNICART-SCENARIO-0400")
