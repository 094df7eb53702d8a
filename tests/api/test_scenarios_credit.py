"""The sandbox's credit risk classes over HTTP (docs/sandbox.md): every class a partner must
rehearse, asked for with `mock-scenario: credit_risk;class=…` or reached through the
sandbox customer who has it, and what it does to the order: LOW, MEDIUM and HIGH let the
fiber cart be submitted; Fraud Risk, Abusive Risk and Analyst Review make its validation
say so and express-submit refuse it as a business rejection, in both status profiles."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, assert_error, submit_url
from tests.credentials import API_KEYS, AUTH, JWT_SECRET
from tests.credit_world import BLOCKING, JORDAN, RISK_OF, SCENARIO_CLASSES, application, cart_request
from tests.fiber import submission_with_a_slot

CREDIT = "/omni-svcs/v1/credit-application"
NOT_READY = "OMNICART-CART-0001"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        pool_size=4,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


def fiber_cart(client, customer_id: str = JORDAN) -> dict:
    response = client.post(CARTS, json=cart_request(customer_id))
    assert response.status_code in (200, 201), response.text
    return response.json()


def blocking_message(risk: str) -> dict:
    return {
        "text": f"the customer's credit risk class is {risk!r}: the carrier lets no order proceed at this class "
        "(a new credit application may answer another)",
        "type": "error",
        "parameter": [{"name": "code", "value": "CREDIT_RISK_BLOCKS_ORDER"}, {"name": "creditRisk", "value": risk}],
    }


class TestCreditRisk:
    @pytest.mark.parametrize(("value", "risk"), list(SCENARIO_CLASSES.items()))
    def test_the_scenario_answers_its_class_and_the_order_follows(self, client, value, risk):
        cart = fiber_cart(client)  # Jordan Rivera, LOW without the scenario
        answered = client.post(
            CREDIT, json=application(cart["id"]), headers={"mock-scenario": f"credit_risk;class={value}"}
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["creditRisk"] == answered.json()["riskAssessment"]["creditRisk"] == risk
        assert answered.json()["riskAssessment"]["blocksOrder"] is (risk in BLOCKING)
        validation = client.get(f"{CARTS}/{cart['id']}").json()["validation"]
        # Everything else a fiber cart needs: its terms and an appointment.
        submitted = client.post(submit_url(cart["id"]), json=submission_with_a_slot(client, cart["id"]))
        if risk in BLOCKING:
            assert (validation["status"], validation["readyToSubmit"]) == ("invalid", False)
            assert validation["validationMessage"] == [blocking_message(risk)]
            body = assert_error(submitted, 422, NOT_READY)
            assert body["details"]["validationMessage"] == [blocking_message(risk)]
            assert risk in body["message"]
            assert client.get(f"{CARTS}/{cart['id']}").json()["state"] == "Draft"
        else:
            assert validation["status"] == "valid" and validation["validationMessage"] == []
            assert submitted.status_code == 200, submitted.text

    def test_without_a_class_the_scenario_answers_fraud_risk(self, client):
        cart = fiber_cart(client)
        answered = client.post(CREDIT, json=application(cart["id"]), headers={"mock-scenario": "credit_risk"})
        assert answered.json()["creditRisk"] == "Fraud Risk"

    def test_an_unknown_class_is_refused_and_changes_nothing(self, client):
        cart = fiber_cart(client)
        refused = client.post(CREDIT, json=application(cart["id"]), headers={"mock-scenario": "credit_risk;class=poor"})
        assert_error(refused, 400, "OMNICART-SCENARIO-0400")
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart

    @pytest.mark.parametrize(("customer_id", "risk"), list(RISK_OF.items()))
    def test_each_sandbox_customer_has_their_class(self, client, customer_id, risk):
        cart = fiber_cart(client, customer_id)
        assert client.post(CREDIT, json=application(cart["id"])).json()["creditRisk"] == risk
        assert client.get(f"{CARTS}/{cart['id']}").json()["creditDecision"]["creditRisk"] == risk

    def test_a_new_application_that_answers_another_class_clears_the_block(self, client):
        cart = fiber_cart(client)
        client.post(CREDIT, json=application(cart["id"]), headers={"mock-scenario": "credit_risk;class=analyst_review"})
        complete = submission_with_a_slot(client, cart["id"])  # its terms and an appointment
        body = assert_error(client.post(submit_url(cart["id"]), json=complete), 422, NOT_READY)
        assert body["details"]["validationMessage"] == [blocking_message("Analyst Review")]
        client.post(CREDIT, json=application(cart["id"]))  # the analyst's review is done: LOW
        assert client.post(submit_url(cart["id"]), json=complete).status_code == 200

    def test_outside_sandbox_mode_the_scenario_is_not_read(self, settings):
        staging = dataclasses.replace(settings, sandbox=False, providers="sandbox")
        with TestClient(create_app(staging), raise_server_exceptions=False, headers=AUTH) as client:
            cart = fiber_cart(client)
            answered = client.post(
                CREDIT, json=application(cart["id"]), headers={"mock-scenario": "credit_risk;class=fraud_risk"}
            )
            assert answered.json()["creditRisk"] == "LOW"

    @pytest.mark.parametrize("profile", ["omnicart", "carrier"])
    def test_a_blocked_submit_is_the_carriers_business_rejection(self, settings, profile):
        with TestClient(
            create_app(dataclasses.replace(settings, profile=profile)), raise_server_exceptions=False, headers=AUTH
        ) as client:
            cart = fiber_cart(client)
            client.post(CREDIT, json=application(cart["id"]), headers={"mock-scenario": "credit_risk;class=fraud_risk"})
            complete = submission_with_a_slot(client, cart["id"])  # its terms and an appointment
            refused = client.post(submit_url(cart["id"]), json=complete)
            body = assert_error(refused, 500 if profile == "carrier" else 422)
            assert body["code"] == NOT_READY
            assert body["details"]["validationMessage"] == [blocking_message("Fraud Risk")]


class TestDownstreamFailure:
    """credit-application's part of the shared scenario (the answer itself, in both
    profiles: test_credit.py)."""

    def test_the_failure_records_nothing_and_uses_up_no_idempotency_key(self, client):
        cart = fiber_cart(client)
        key = {"Idempotency-Key": "credit-retry"}
        failed = client.post(
            CREDIT, json=application(cart["id"]), headers={**key, "mock-scenario": "downstream_failure"}
        )
        assert_error(failed, 502, "EXTSALESOPS-REVIEW-0003")
        assert client.get(f"{CARTS}/{cart['id']}").json() == cart
        retried = client.post(CREDIT, json=application(cart["id"]), headers=key)
        assert retried.status_code == 200 and "idempotent-replayed" not in retried.headers
        assert client.get(f"{CARTS}/{cart['id']}").json()["creditDecision"]["creditRisk"] == "LOW"
