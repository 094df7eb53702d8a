"""Configuration tells the truth (issue 10, point 5): what `validation.configuration`
marks required blocks readyToSubmit and express submit until complete; the carrier's
`POST /omni-svcs/v1/payment-methods` (§4.3) completes payment and, with terms consent,
the terms; express submit's body may complete them too."""

from __future__ import annotations

import pytest

from tests.api.conftest import (
    CARTS,
    COMPLETE,
    ORDERS,
    PAYMENT_METHODS,
    assert_error,
    payment_request,
    submit_url,
)
from tests.api.test_items import PROTECT, SIM, VALUE_PLUS, line
from tests.outbox import outbox

NOT_READY = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


def steps(cart: dict) -> list[tuple[str, str, bool]]:
    return [(c["type"], c["status"], c["required"]) for c in cart["validation"]["configuration"]]


@pytest.fixture
def line_cart(client, seed_request) -> dict:
    """A valid new line whose payment and terms are still pending."""
    seed_request["items"] = line()
    cart = client.post(CARTS, json=seed_request).json()
    assert cart["validation"]["status"] == "valid" and not cart["validation"]["readyToSubmit"]
    assert steps(cart) == [("terms", "pending", True), ("payment", "pending", True)]
    return cart


class TestPaymentMethods:
    def test_the_carriers_request_completes_payment_and_terms_as_a_cart_change(self, client, line_cart, database_url):
        response = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"status", "paymentMethodId", "paymentProfileId"}
        assert body["status"] == "success" and body["paymentMethodId"] and body["paymentProfileId"]
        cart = client.get(f"{CARTS}/{line_cart['id']}").json()
        assert cart["version"] == line_cart["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'
        assert steps(cart) == [("terms", "complete", True), ("payment", "complete", True)]
        assert cart["validation"]["readyToSubmit"] is True
        assert [a["id"] for a in cart["agreement"]] == ["WCA", "DP-TC"]
        assert cart["payment"] == [
            {"id": body["paymentMethodId"], "name": "paymentmethod_1", "paymentProfileId": body["paymentProfileId"]}
        ]
        assert "<encrypted_payment_method>" not in str(cart) and "123454" not in str(cart)  # no card data kept
        kinds = [kind for kind, _ in outbox(database_url, "shoppingCart")]
        assert kinds == ["ShoppingCartCreateEvent", "ShoppingCartAttributeValueChangeEvent"]

    def test_without_consent_only_payment_is_complete(self, client, line_cart):
        body = client.post(
            PAYMENT_METHODS, json=payment_request(line_cart["id"], consent=False, savePaymentProfile=False)
        ).json()
        assert body["paymentProfileId"] == ""
        cart = client.get(f"{CARTS}/{line_cart['id']}").json()
        assert steps(cart) == [("terms", "pending", True), ("payment", "complete", True)]
        assert cart["validation"]["readyToSubmit"] is False

    def test_terms_needed_by_a_later_change_are_pending_again(self, client, seed_request):
        seed_request["items"] = [
            {"productOrderItemId": "l", "productOfferingId": VALUE_PLUS},
            {"productOfferingId": SIM, "rootBundleProductOrderItemId": "l"},
        ]
        cart = client.post(CARTS, json=seed_request).json()
        client.post(PAYMENT_METHODS, json=payment_request(cart["id"]))
        assert client.get(f"{CARTS}/{cart['id']}").json()["validation"]["readyToSubmit"] is True
        changed = client.post(
            f"{CARTS}/{cart['id']}/items",
            json={
                "items": [
                    {
                        "productOfferingId": PROTECT,
                        "rootBundleProductOrderItemId": "l",
                        "characteristic": [{"name": "IMEI", "value": "358073464620280"}],
                    }
                ]
            },
        ).json()
        assert steps(changed)[0] == ("terms", "pending", True) and not changed["validation"]["readyToSubmit"]

    def test_refusals_change_nothing(self, client, line_cart, seed_request):
        url = f"{CARTS}/{line_cart['id']}"
        two = payment_request(line_cart["id"])
        two["paymentMethods"].append({**two["paymentMethods"][0], "cartId": "dea79fb0-21c4-11f1-8527-67c36c11d002"})
        assert_error(client.post(PAYMENT_METHODS, json=two), 400, field="paymentMethods[1].cartId")
        assert_error(client.post(PAYMENT_METHODS, json={"paymentMethods": []}), 400, field="paymentMethods")
        assert_error(
            client.post(PAYMENT_METHODS, json={"paymentMethods": [{"id": "x"}]}), 400, field="paymentMethods[0].cartId"
        )
        unknown = payment_request("dea79fb0-21c4-11f1-8527-67c36c11d002")
        assert_error(client.post(PAYMENT_METHODS, json=unknown), 404, "OMNICART-CART-0404")
        assert client.get(url).json() == line_cart

    def test_a_submitted_cart_takes_no_payment(self, client, ready_cart):
        client.post(submit_url(ready_cart["id"]))
        assert_error(client.post(PAYMENT_METHODS, json=payment_request(ready_cart["id"])), 409, "OMNICART-CART-0409")

    def test_an_idempotency_key_replays_the_first_answer(self, client, line_cart):
        key = {"Idempotency-Key": "pay-1"}
        first = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]), headers=key)
        again = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]), headers=key)
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert client.get(f"{CARTS}/{line_cart['id']}").json()["version"] == line_cart["version"] + 1


class TestExpressSubmitHonoursTheConfiguration:
    def test_a_valid_cart_with_required_steps_pending_is_not_submitted(self, client, line_cart):
        body = assert_error(client.post(submit_url(line_cart["id"])), 422, NOT_READY)
        assert [(s["type"], s["status"]) for s in body["details"]["configuration"]] == [
            ("terms", "pending"),
            ("payment", "pending"),
        ]
        assert "terms is required and still pending" in body["message"]
        assert client.get(f"{CARTS}/{line_cart['id']}").json() == line_cart
        assert client.get(ORDERS).json() == []

    def test_its_body_may_complete_them_as_the_carrier_allows(self, client, line_cart):
        response = client.post(submit_url(line_cart["id"]), json=COMPLETE)
        assert response.status_code == 200, response.text
        order = client.get(f"{ORDERS}/{response.json()['id']}").json()
        assert order["submission"] == COMPLETE

    def test_a_body_completing_only_part_is_refused(self, client, line_cart):
        partial = {"paymentMethods": [{"id": "pm"}], "terms": {"WCA": True}}  # DP-TC missing
        body = assert_error(client.post(submit_url(line_cart["id"]), json=partial), 422, NOT_READY)
        assert [s["type"] for s in body["details"]["configuration"]] == ["terms"]
        assert client.get(f"{CARTS}/{line_cart['id']}").json() == line_cart
