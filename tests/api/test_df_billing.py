"""The carrier's `POST /omni-svcs/v1/order/{orderId}/billing` (`updateBilling`, billing
spec 1.0.0; issue 19; docs/direct-fulfilment.md) over HTTP, on both stores: AutoPay and
paperless enrollment recorded on the order, its `billing` configuration step, and its
refusals."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, PAYMENT_METHODS, assert_error, order_url
from tests.carts import payment_request
from tests.credentials import OTHER_AUTH

MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
EXAMPLE = {"enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""}}


def billing_step(validation: dict) -> tuple[str, bool, bool]:
    (step,) = [c for c in validation["configuration"] if c["type"] == "billing"]
    return step["status"], step["required"], step["postOrderConfigurable"]


class TestBilling:
    def test_the_carriers_example_is_recorded_and_answered_with_the_validation(self, client, df_order):
        name = df_order["customerOrderId"]
        assert billing_step(df_order["validation"]) == ("pending", False, True)
        response = client.post(order_url(name, "billing"), json=EXAMPLE)
        assert response.status_code == 200, response.text
        cart = client.get(f"{CARTS}/{name}").json()
        assert response.json() == {
            "status": "success",
            "enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""},
            "validation": cart["validation"],
        }
        assert cart["enrollment"] == EXAMPLE["enrollment"]
        assert cart["version"] == df_order["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'
        # AutoPay with no profile named charges the cart's payment method: none yet.
        assert billing_step(cart["validation"]) == ("pending", False, True)
        client.post(PAYMENT_METHODS, json=payment_request(name, consent=False))
        assert billing_step(client.get(f"{CARTS}/{name}").json()["validation"]) == ("complete", False, True)

    def test_what_a_request_names_replaces_what_was_recorded(self, client, df_order):
        url = order_url(df_order["customerOrderId"], "billing")
        client.post(url, json={"enrollment": {"autoPay": "enrolled", "paymentProfileId": "PP-1"}})
        answer = client.post(url, json={"enrollment": {"paperLess": "notEnrolled"}}).json()
        assert answer["enrollment"] == {"autoPay": "enrolled", "paperLess": "notEnrolled", "paymentProfileId": "PP-1"}
        assert billing_step(answer["validation"]) == ("complete", False, True)

    def test_billing_is_never_what_holds_an_order_back(self, client, df_order):
        answer = client.post(
            order_url(df_order["customerOrderId"], "billing"), json={"enrollment": {"autoPay": "notEnrolled"}}
        )
        assert billing_step(answer.json()["validation"]) == ("complete", False, True)

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({}, MISSING, "enrollment"),
            ({"enrollment": {}}, MISSING, "enrollment"),
            ({"enrollment": {"paymentProfileId": "PP-1"}}, MISSING, "enrollment"),
            ({"enrollment": {"autoPay": "yes"}}, INVALID, "enrollment.autoPay"),
            ({"enrollment": {"paperLess": True}}, INVALID, "enrollment.paperLess"),
            ({"enrollment": "enrolled"}, INVALID, "enrollment"),
        ],
        ids=["no-enrollment", "empty", "profile-only", "autoPay-yes", "paperLess-a-boolean", "a-string"],
    )
    def test_bad_bodies_answer_400_and_change_nothing(self, client, df_order, body, code, field):
        assert_error(client.post(order_url(df_order["customerOrderId"], "billing"), json=body), 400, code, field)
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_an_unknown_order_and_another_partners_answer_404(self, client, df_order):
        assert_error(client.post(order_url("26-00000000000000", "billing"), json=EXAMPLE), 404, "OMNICART-CART-0404")
        theirs = client.post(order_url(df_order["customerOrderId"], "billing"), json=EXAMPLE, headers=OTHER_AUTH)
        assert_error(theirs, 404, "OMNICART-CART-0404")
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_a_cart_of_the_newer_flavour_shows_billing_once_enrolled(self, client, cart):
        assert cart["validation"]["configuration"] == []
        client.post(f"{CARTS}/{cart['id']}/items", json={"items": [{"productOfferingId": "SIM_pkey80002_sku6001002"}]})
        before = client.get(f"{CARTS}/{cart['id']}").json()
        assert [c["type"] for c in before["validation"]["configuration"]] == ["terms", "payment"]
        after = client.post(order_url(cart["id"], "billing"), json={"enrollment": {"paperLess": "enrolled"}}).json()
        assert [c["type"] for c in after["validation"]["configuration"]] == ["terms", "payment", "billing"]
