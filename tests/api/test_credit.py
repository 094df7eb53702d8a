"""The carrier's `POST /omni-svcs/v1/credit-application` (fiber change order, §4.3) over
HTTP, on both stores: its request and answer, the decision recorded on the cart (a cart
change with its new ETag), an Idempotency-Key's replay, its refusals in the carrier's
change-order codes, both status profiles, production mode without a credit bureau, and
the downstream failure. What each risk class does to the order: test_scenarios_credit.py;
the use case itself: tests/services/test_credit.py."""

from __future__ import annotations

import dataclasses
import re

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.api.conftest import CARTS, assert_error, submit_url
from tests.credentials import API_KEYS, AUTH, JWT_SECRET, OTHER_AUTH
from tests.credit_world import (
    CAS_APPLICATION_ID,
    JORDAN,
    STRANGER,
    UNIFIED_CREDIT_TRANSACTION_ID,
    UNIFIED_POLICY_TRANSACTION_ID,
    application,
    cart_request,
)
from tests.fiber import submission_with_a_slot

CREDIT = "/omni-svcs/v1/credit-application"
# The fake clock's start (tests/conftest.py START), as the carrier writes it.
NOW = "2026-01-15T12:00:00.250Z"

INVALID = "EXTSALESOPS-REVIEW-0001"  # the change order's "input validation failed"
MISSING = "EXTSALESOPS-REVIEW-0002"  # "required fields missing"
INTERNAL = "EXTSALESOPS-REVIEW-0003"  # "internal error": the credit bureau failed


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Sandbox mode (the sandbox world is the credit bureau), the simulator's loop idle."""
    return Settings(
        database_url=database_url,
        pool_size=4,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        sandbox=True,
        fulfilment_poll_seconds=3600,
    )


@pytest.fixture(autouse=True)
def _fake_clock(clock):
    """Every decision here is made at the fake clock's start."""


def new_cart(client, customer_id: str | None = JORDAN, **options) -> dict:
    response = client.post(CARTS, json=cart_request(customer_id, **options))
    assert response.status_code in (200, 201), response.text  # 200: the carrier's profile
    return response.json()


@pytest.fixture
def fiber_cart(client) -> dict:
    """A draft cart of the seed's customer (Jordan Rivera, LOW) ordering AT&T Fiber 300."""
    return new_cart(client)


def read(client, cart: dict) -> dict:
    return client.get(f"{CARTS}/{cart['id']}").json()


def steps(cart: dict) -> list[tuple[str, str, bool]]:
    return [(c["type"], c["status"], c["required"]) for c in cart["validation"]["configuration"]]


class TestCreditApplication:
    def test_the_carriers_request_answers_its_fields_and_the_carts_new_etag(self, client, fiber_cart):
        response = client.post(CREDIT, json=application(fiber_cart["id"]), headers={"appname": "partner-app"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == [
            "unifiedCreditTransactionId",
            "casApplicationId",
            "unifiedPolicyTransactionId",
            "creditRisk",
            "interConnectTransactionId",
            "creditDisclosureRequired",
            "eidVerifierCode",
            "questionsAndAnswers",
            "debt",
            "riskAssessment",
        ]
        assert re.fullmatch(UNIFIED_CREDIT_TRANSACTION_ID, body["unifiedCreditTransactionId"])
        assert re.fullmatch(CAS_APPLICATION_ID, body["casApplicationId"])
        assert re.fullmatch(UNIFIED_POLICY_TRANSACTION_ID, body["unifiedPolicyTransactionId"])
        assert body["unifiedPolicyTransactionId"].startswith("P20260115")
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", body["interConnectTransactionId"]
        )
        assert {k: body[k] for k in ("creditRisk", "creditDisclosureRequired", "eidVerifierCode")} == {
            "creditRisk": "LOW",
            "creditDisclosureRequired": False,
            "eidVerifierCode": False,
        }
        assert body["questionsAndAnswers"] == [] and body["debt"] == []
        assert body["riskAssessment"] == {
            "creditRisk": "LOW",
            "blocksOrder": False,
            "reason": "low credit risk: the order may proceed",
            "decisionDate": NOW,
        }
        cart = read(client, fiber_cart)
        assert cart["version"] == fiber_cart["version"] + 1 and response.headers["etag"] == f'"{cart["version"]}"'
        assert cart["creditDecision"] == {
            "creditRisk": "LOW",
            "unifiedCreditTransactionId": body["unifiedCreditTransactionId"],
            "casApplicationId": body["casApplicationId"],
            "unifiedPolicyTransactionId": body["unifiedPolicyTransactionId"],
            "decisionDate": NOW,
        }

    def test_the_decision_completes_a_fiber_carts_credit_step(self, client, fiber_cart):
        steps = [(c["type"], c["status"], c["required"]) for c in fiber_cart["validation"]["configuration"]]
        assert ("credit", "pending", True) in steps
        client.post(CREDIT, json=application(fiber_cart["id"]))
        steps = [
            (c["type"], c["status"], c["required"]) for c in read(client, fiber_cart)["validation"]["configuration"]
        ]
        assert ("credit", "complete", True) in steps

    def test_only_the_cart_id_is_required(self, client, fiber_cart):
        response = client.post(CREDIT, json={"cartId": fiber_cart["id"]})
        assert response.status_code == 200, response.text
        assert response.json()["creditRisk"] == "LOW"

    def test_a_resubmission_keeps_its_applications_ids_and_gets_a_new_policy_transaction(self, client, fiber_cart):
        first = client.post(CREDIT, json=application(fiber_cart["id"])).json()
        again = client.post(
            CREDIT,
            json={
                "cartId": fiber_cart["id"],
                "unifiedCreditTransactionId": first["unifiedCreditTransactionId"],
                "casApplicationId": first["casApplicationId"],
                "selectedAnswers": [{"questionId": "Q1", "answerId": "A2"}],
            },
        ).json()
        assert (again["unifiedCreditTransactionId"], again["casApplicationId"]) == (
            first["unifiedCreditTransactionId"],
            first["casApplicationId"],
        )
        assert again["unifiedPolicyTransactionId"] != first["unifiedPolicyTransactionId"]
        decision = read(client, fiber_cart)["creditDecision"]
        assert decision["unifiedPolicyTransactionId"] == again["unifiedPolicyTransactionId"]

    def test_the_carriers_example_ids_are_echoed(self, client, fiber_cart):
        body = client.post(
            CREDIT,
            json=application(
                fiber_cart["id"], unifiedCreditTransactionId="U35456657879", casApplicationId="602177078164"
            ),
        ).json()
        assert (body["unifiedCreditTransactionId"], body["casApplicationId"]) == ("U35456657879", "602177078164")

    def test_a_new_application_replaces_the_decision(self, client, fiber_cart):
        client.post(CREDIT, json=application(fiber_cart["id"]), headers={"mock-scenario": "credit_risk;class=high"})
        assert read(client, fiber_cart)["creditDecision"]["creditRisk"] == "HIGH"
        client.post(CREDIT, json=application(fiber_cart["id"]))
        cart = read(client, fiber_cart)
        assert cart["creditDecision"]["creditRisk"] == "LOW" and cart["version"] == fiber_cart["version"] + 2

    def test_a_cart_without_fiber_can_be_assessed_and_gains_no_credit_step(self, client):
        cart = new_cart(client, fiber=False)
        assert client.post(CREDIT, json=application(cart["id"])).status_code == 200
        after = read(client, cart)
        assert after["creditDecision"]["creditRisk"] == "LOW" and after["validation"]["configuration"] == []

    def test_a_partner_cannot_write_a_decision_itself(self, client):
        forged = {"creditRisk": "LOW", "unifiedCreditTransactionId": "U35456657879", "casApplicationId": "602177078164"}
        created = client.post(CARTS, json={**cart_request(), "creditDecision": forged})
        assert created.status_code == 201 and "creditDecision" not in created.json()
        assert ("credit", "pending", True) in steps(created.json())

    def test_if_match_names_the_version_the_application_acts_on(self, client, fiber_cart):
        stale = client.post(CREDIT, json=application(fiber_cart["id"]), headers={"If-Match": '"7"'})
        assert_error(stale, 412, "OMNICART-CART-0412")
        assert read(client, fiber_cart) == fiber_cart
        fresh = client.post(CREDIT, json=application(fiber_cart["id"]), headers={"If-Match": '"1"'})
        assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'

    def test_an_idempotency_key_replays_the_first_answer(self, client, fiber_cart):
        key = {"Idempotency-Key": "credit-1"}
        first = client.post(CREDIT, json=application(fiber_cart["id"]), headers=key)
        again = client.post(CREDIT, json=application(fiber_cart["id"]), headers=key)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert again.headers["etag"] == first.headers["etag"] == '"2"'
        cart = read(client, fiber_cart)
        assert cart["version"] == 2
        assert cart["creditDecision"]["unifiedPolicyTransactionId"] == first.json()["unifiedPolicyTransactionId"]
        other = client.post(CREDIT, json={"cartId": fiber_cart["id"]}, headers=key)
        assert_error(other, 422, "OMNICART-IDEMPOTENCY-0001")

    def test_another_partners_cart_answers_as_an_unknown_one(self, client, fiber_cart):
        theirs = client.post(CREDIT, json=application(fiber_cart["id"]), headers=OTHER_AUTH)
        body = assert_error(theirs, 404, "OMNICART-CART-0404")
        unknown = "dea79fb0-21c4-11f1-8527-67c36c11d002"
        nobodys = assert_error(client.post(CREDIT, json=application(unknown), headers=OTHER_AUTH), 404)
        assert body["message"] == nobodys["message"].replace(unknown, fiber_cart["id"])
        assert read(client, fiber_cart) == fiber_cart


class TestRefusals:
    """Each refusal answers the error format, in the change order's codes where the
    carrier has one, and changes nothing."""

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "cartId"),
            ({"userInfo": {"birthdate": "1959-01-01"}}, "cartId"),
            ({"CARTID": "x"}, "cartId"),
            ({"cartId": "<cart>", "userInfo": {"legalId": [{"identificationType": "SocialSecurityNumber"}]}},
             "userInfo.legalId[0].identificationId"),
            ({"cartId": "<cart>", "userInfo": {"legalId": [{"identificationId": "123456789"}]}},
             "userInfo.legalId[0].identificationType"),
        ],
    )  # fmt: skip
    def test_missing_fields_are_review_0002(self, client, fiber_cart, body, field):
        sent = {k: (fiber_cart["id"] if v == "<cart>" else v) for k, v in body.items()}
        assert_error(client.post(CREDIT, json=sent), 400, MISSING, field)
        assert read(client, fiber_cart) == fiber_cart

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"cartId": 42}, "cartId"),
            ({"cartId": ""}, "cartId"),
            ({"userInfo": "1959-01-01"}, "userInfo"),
            ({"userInfo": {"birthdate": "01/01/1959"}}, "userInfo.birthdate"),
            ({"userInfo": {"birthdate": "1959-13-01"}}, "userInfo.birthdate"),
            ({"userInfo": {"birthdate": "2026-01-15"}}, "userInfo.birthdate"),  # today, not in the past
            ({"userInfo": {"birthdate": "2090-01-01"}}, "userInfo.birthdate"),
            ({"userInfo": {"legalId": {"identificationId": "1"}}}, "userInfo.legalId"),
            ({"userInfo": {"legalId": [{"identificationId": "", "identificationType": "SSN"}]}},
             "userInfo.legalId[0].identificationId"),
            ({"selectedAnswers": "A2"}, "selectedAnswers"),
            ({"unifiedCreditTransactionId": "35456657879"}, "unifiedCreditTransactionId"),
            ({"unifiedCreditTransactionId": "U3545665787"}, "unifiedCreditTransactionId"),
            ({"casApplicationId": "60217707816X"}, "casApplicationId"),
            ({"casApplicationId": 602177078164}, "casApplicationId"),
        ],
    )  # fmt: skip
    def test_wrong_types_and_values_are_review_0001(self, client, fiber_cart, fields, field):
        assert_error(client.post(CREDIT, json={"cartId": fiber_cart["id"], **fields}), 400, INVALID, field)
        assert read(client, fiber_cart) == fiber_cart

    def test_a_body_that_is_not_json_is_refused(self, client, fiber_cart):
        assert_error(client.post(CREDIT, content=b"{", headers={"content-type": "application/json"}), 400, INVALID)
        assert_error(client.post(CREDIT, content=b"x", headers={"content-type": "text/plain"}), 415)
        assert read(client, fiber_cart) == fiber_cart

    @pytest.mark.parametrize("cart_id", ["dea79fb0-21c4-11f1-8527-67c36c11d002", "not-a-cart-id"])
    def test_an_unknown_cart_is_404(self, client, cart_id):
        assert_error(client.post(CREDIT, json=application(cart_id)), 404, "OMNICART-CART-0404")

    def test_a_submitted_cart_is_409(self, client):
        cart = new_cart(client)
        client.post(CREDIT, json=application(cart["id"]))
        submitted = client.post(submit_url(cart["id"]), json=submission_with_a_slot(client, cart["id"]))
        assert submitted.status_code == 200, submitted.text
        before = read(client, cart)
        body = assert_error(client.post(CREDIT, json=application(cart["id"])), 409, "OMNICART-CART-0409")
        assert body["details"] == {"state": "Submitted"}
        assert read(client, cart) == before

    def test_a_cart_without_a_customer_party_is_422(self, client):
        cart = new_cart(client, None)
        body = assert_error(client.post(CREDIT, json=application(cart["id"])), 422, "OMNICART-CREDIT-0001")
        assert body["details"]["errors"] == [{"field": "relatedParty", "reason": "no party with role 'customer'"}]
        assert read(client, cart) == cart

    def test_a_customer_the_directory_does_not_know_is_422(self, client):
        cart = new_cart(client, STRANGER)
        body = assert_error(client.post(CREDIT, json=application(cart["id"])), 422, "OMNICART-CREDIT-0002")
        assert body["details"] == {"customerId": STRANGER}
        assert read(client, cart) == cart


class TestOutsideTheSandbox:
    def test_without_a_credit_bureau_the_answer_is_501_and_nothing_is_made_up(self, settings):
        production = dataclasses.replace(settings, sandbox=False)
        with TestClient(create_app(production), raise_server_exceptions=False, headers=AUTH) as client:
            cart = new_cart(client)
            body = assert_error(client.post(CREDIT, json=application(cart["id"])), 501, "OMNICART-PROVIDER-0501")
            assert body["details"] == {"provider": "credit bureau"}
            assert read(client, cart) == cart
            # Input errors still come first.
            assert_error(client.post(CREDIT, json={}), 400, MISSING, "cartId")

    def test_the_sandbox_world_can_serve_outside_sandbox_mode(self, settings):
        staging = dataclasses.replace(settings, sandbox=False, providers="sandbox")
        with TestClient(create_app(staging), raise_server_exceptions=False, headers=AUTH) as client:
            cart = new_cart(client)
            assert client.post(CREDIT, json=application(cart["id"])).json()["creditRisk"] == "LOW"


@pytest.fixture(params=["omnicart", "carrier"])
def profiled(request, settings):
    """A sandbox client in each status profile, and the profile's name."""
    chosen = dataclasses.replace(settings, profile=request.param)
    with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
        yield client, request.param


class TestProfilesAndDownstreamFailure:
    def test_the_credit_bureaus_failure_is_review_0003_502_or_the_carriers_500(self, profiled):
        client, profile = profiled
        cart = new_cart(client)
        failed = client.post(CREDIT, json=application(cart["id"]), headers={"mock-scenario": "downstream_failure"})
        body = assert_error(failed, 500 if profile == "carrier" else 502, INTERNAL)
        assert body["details"] == {"provider": "credit bureau"}
        assert read(client, cart) == cart
        assert client.post(CREDIT, json=application(cart["id"])).status_code == 200  # without it, it goes through

    def test_each_answer_in_the_profile(self, profiled):
        client, profile = profiled
        refused = 400 if profile == "carrier" else 422  # a cart unfit for credit: an input error there
        cart = new_cart(client)
        assert client.post(CREDIT, json=application(cart["id"])).status_code == 200
        assert_error(client.post(CREDIT, json={}), 400, MISSING)
        assert_error(client.post(CREDIT, json={"cartId": 1}), 400, INVALID)
        stranger = new_cart(client, STRANGER)
        assert_error(client.post(CREDIT, json=application(stranger["id"])), refused, "OMNICART-CREDIT-0002")
        nobody = new_cart(client, None)
        assert_error(client.post(CREDIT, json=application(nobody["id"])), refused, "OMNICART-CREDIT-0001")
        assert_error(client.post(CREDIT, json=application("dea79fb0-21c4-11f1-8527-67c36c11d002")), 404)
