"""The carrier's direct-fulfilment terms calls over HTTP (issue 19; reference §4.2, §7.2;
docs/direct-fulfilment.md), on both stores: `POST /terms` lists the agreements an order
needs, `POST /order/{orderId}/terms` records the customer's consent and answers the
order's validation with, when something is wrong, the carrier's in-body `error` block."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARTS, TERMS, assert_error, order_url
from tests.credentials import OTHER_AUTH

MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
UNKNOWN = "26-00000000000000"

WCA = {
    "name": "Wireless Customer Agreement",
    "extensions": [
        {"name": "id", "value": "WCA"},
        {"name": "version", "value": "2025-06"},
        {"name": "required", "value": "true"},
        {
            "name": "text",
            "value": "Service is provided under the Wireless Customer Agreement, including its arbitration clause "
            "and the carrier's early termination terms.",
        },
    ],
}
IA = {
    "name": "Installment Agreement",
    "extensions": [
        {"name": "id", "value": "IA"},
        {"name": "version", "value": "2024-09"},
        {"name": "required", "value": "true"},
        {
            "name": "text",
            "value": "The device price is paid in monthly installments on the wireless bill; the remaining balance "
            "is due if service is cancelled.",
        },
    ],
}


def terms_step(validation: dict) -> str:
    (step,) = [c for c in validation["configuration"] if c["type"] == "terms"]
    assert step["required"] is True
    return step["status"]


def entry(code: str, name: str, message: str) -> dict:
    return {"action": "terms", "errorCode": code, "errorMessage": f"{name}: {message}", "name": name}


NOT_NEEDED = "is not an agreement this order needs"
STILL_MISSING = "must be accepted before the order is submitted"


class TestTerms:
    def test_the_agreements_the_order_needs_now(self, client, df_order):
        response = client.post(TERMS, json={"orderId": df_order["customerOrderId"]})
        assert response.status_code == 200, response.text
        # The Wireless Customer Agreement for every line, the Installment Agreement for the
        # iPhone paid monthly.
        assert response.json() == {"agreements": [WCA, IA]}
        assert client.post(TERMS, json={"orderId": df_order["id"]}).json() == response.json()
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order, "a read changes nothing"

    def test_an_empty_order_needs_none(self, client, named_cart):
        assert client.post(TERMS, json={"orderId": named_cart["customerOrderId"]}).json() == {"agreements": []}

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [({}, MISSING, "orderId"), ({"orderId": 7}, INVALID, "orderId"), ({"orderId": ""}, INVALID, "orderId")],
        ids=["no-orderId", "a-number", "empty"],
    )
    def test_bad_bodies_answer_400_with_create_carts_codes(self, client, body, code, field):
        assert_error(client.post(TERMS, json=body), 400, code, field)

    def test_an_unknown_order_and_another_partners_answer_404(self, client, df_order):
        assert_error(client.post(TERMS, json={"orderId": UNKNOWN}), 404, "OMNICART-CART-0404")
        theirs = client.post(TERMS, json={"orderId": df_order["customerOrderId"]}, headers=OTHER_AUTH)
        assert_error(theirs, 404, "OMNICART-CART-0404")


class TestConsent:
    def test_accepting_every_agreement_completes_terms(self, client, df_order):
        name = df_order["customerOrderId"]
        assert terms_step(df_order["validation"]) == "pending"
        response = client.post(order_url(name, "terms"), json={"agreements": [WCA, IA]})
        assert response.status_code == 200, response.text
        cart = client.get(f"{CARTS}/{name}").json()
        assert response.json() == {"validation": cart["validation"]}, "nothing wrong: no error block"
        assert terms_step(cart["validation"]) == "complete"
        assert cart["agreement"] == [
            {"id": "WCA", "name": "Wireless Customer Agreement", "version": "2025-06"},
            {"id": "IA", "name": "Installment Agreement", "version": "2024-09"},
        ]
        assert cart["version"] == df_order["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'

    def test_agreements_may_be_named_by_id_and_accepted_one_at_a_time(self, client, df_order):
        url = order_url(df_order["customerOrderId"], "terms")
        first = client.post(url, json={"agreements": [{"name": "WCA"}]}).json()
        assert first["error"] == {
            "errorCode": "400-INVALID-REQUEST",
            "errorDescription": "Validation Failure",
            "errorList": [entry("EXPECTED_TERMS_MISSING", "Installment Agreement", STILL_MISSING)],
        }
        assert terms_step(first["validation"]) == "pending"
        second = client.post(url, json={"agreements": [{"name": "IA"}]}).json()
        assert "error" not in second and terms_step(second["validation"]) == "complete"
        assert client.get(f"{CARTS}/{df_order['id']}").json()["version"] == df_order["version"] + 2

    def test_an_agreement_not_offered_is_refused_and_nothing_is_recorded(self, client, df_order):
        url = order_url(df_order["customerOrderId"], "terms")
        device_protection = {"name": "Device Protection Terms and Conditions"}  # no protection is ordered
        response = client.post(url, json={"agreements": [WCA, device_protection]})
        assert response.status_code == 200, response.text
        assert response.json()["error"]["errorList"] == [
            entry("INVALID_TERMS_EXIST", "Device Protection Terms and Conditions", NOT_NEEDED),
            entry("EXPECTED_TERMS_MISSING", "Wireless Customer Agreement", STILL_MISSING),
            entry("EXPECTED_TERMS_MISSING", "Installment Agreement", STILL_MISSING),
        ]
        assert response.headers["etag"] == f'"{df_order["version"]}"'
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_an_agreement_in_another_version_is_refused(self, client, df_order):
        old = {"name": "WCA", "extensions": [{"name": "version", "value": "2024-01"}]}
        answer = client.post(order_url(df_order["customerOrderId"], "terms"), json={"agreements": [old, IA]}).json()
        assert answer["error"]["errorList"][0] == entry(
            "INVALID_TERMS_EXIST", "WCA", "version '2024-01' is not the one offered (2025-06)"
        )
        assert client.get(f"{CARTS}/{df_order['id']}").json()["agreement"] == []

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({}, MISSING, "agreements"),
            ({"agreements": []}, INVALID, "agreements"),
            ({"agreements": [{"extensions": []}]}, MISSING, "agreements[0].name"),
            ({"agreements": [{"name": 1}]}, INVALID, "agreements[0].name"),
            (
                {"agreements": [{"name": "WCA", "extensions": [{"name": "id"}]}]},
                MISSING,
                "agreements[0].extensions[0].value",
            ),
        ],
        ids=["no-agreements", "none", "no-name", "name-a-number", "extension-without-value"],
    )
    def test_bad_bodies_answer_400_and_change_nothing(self, client, df_order, body, code, field):
        assert_error(client.post(order_url(df_order["customerOrderId"], "terms"), json=body), 400, code, field)
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_an_unknown_order_and_another_partners_answer_404(self, client, df_order):
        body = {"agreements": [WCA]}
        assert_error(client.post(order_url(UNKNOWN, "terms"), json=body), 404, "OMNICART-CART-0404")
        theirs = client.post(order_url(df_order["customerOrderId"], "terms"), json=body, headers=OTHER_AUTH)
        assert_error(theirs, 404, "OMNICART-CART-0404")
        assert client.get(f"{CARTS}/{df_order['id']}").json() == df_order

    def test_an_idempotency_key_replays_the_first_answer(self, client, df_order):
        url, key = order_url(df_order["customerOrderId"], "terms"), {"Idempotency-Key": "df-terms-1"}
        first = client.post(url, json={"agreements": [{"name": "WCA"}]}, headers=key)
        again = client.post(url, json={"agreements": [{"name": "WCA"}]}, headers=key)
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert client.get(f"{CARTS}/{df_order['id']}").json()["version"] == df_order["version"] + 1
