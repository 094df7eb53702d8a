"""The carrier's `POST /omni-svcs/v1/payment-methods` (§4.3) over HTTP: its request, its
answer and the cart's new ETag, its refusals, and an Idempotency-Key's replay. What it
completes of the cart's configuration, and what express submit makes of that:
tests/services/test_payment_methods.py (issue 10, point 5)."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, PAYMENT_METHODS, assert_error
from tests.carts import line, payment_request


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
    def test_the_carriers_request_answers_its_three_fields_and_the_carts_new_etag(self, client, line_cart):
        response = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"status", "paymentMethodId", "paymentProfileId"}
        assert body["status"] == "success" and body["paymentMethodId"] and body["paymentProfileId"]
        cart = client.get(f"{CARTS}/{line_cart['id']}").json()
        assert cart["version"] == line_cart["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'
        assert cart["payment"] == [
            {"id": body["paymentMethodId"], "name": "paymentmethod_1", "paymentProfileId": body["paymentProfileId"]}
        ]
        assert cart["validation"]["readyToSubmit"] is True

    def test_a_profile_not_saved_answers_an_empty_profile_id(self, client, line_cart):
        body = client.post(
            PAYMENT_METHODS, json=payment_request(line_cart["id"], consent=False, savePaymentProfile=False)
        ).json()
        assert body["paymentProfileId"] == ""

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

    def test_an_idempotency_key_replays_the_first_answer(self, client, line_cart):
        key = {"Idempotency-Key": "pay-1"}
        first = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]), headers=key)
        again = client.post(PAYMENT_METHODS, json=payment_request(line_cart["id"]), headers=key)
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert client.get(f"{CARTS}/{line_cart['id']}").json()["version"] == line_cart["version"] + 1
