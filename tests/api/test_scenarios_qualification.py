"""The sandbox's mock scenarios of customers and service qualification over HTTP, as
docs/sandbox.md says them (one class per scenario): `address_not_found`,
`address_not_eligible`, `customer_not_found`, `auth_failed`, and `downstream_failure` on
service-qualification, customers/search and customer/auth in both status profiles. Each
acts on the request that carries it, and on nothing else; outside sandbox mode the
header changes nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error
from tests.api.sandbox import CUSTOMER_AUTH, QUALIFICATION, SEARCH, sandbox_client
from tests.world import (
    ADDRESSES,
    AKARD,
    FIBER_5G,
    JORDAN,
    JORDAN_FIBER_BAN,
    NOWHERE,
    UNKNOWN_CUSTOMER,
    WITH_FIBER,
    qualification_request,
)

NOT_FOUND = {"addressValidation": {"validationResult": "fails"}, "serviceQualification": [], "offers": []}
RIGHT = {"partnerCustomerUUID": JORDAN, "passcode": "right-passcode", "otp": {"pin": "123456"}, "last4SSN": "1234"}


@pytest.fixture
def sandbox(settings):
    with sandbox_client(settings) as client:
        yield client


def call(client, path: str, body: dict, scenario: str | None = None):
    return client.post(path, json=body, headers={"mock-scenario": scenario} if scenario else {})


def qualify(client, written: dict, scenario: str | None = None) -> dict:
    response = call(client, QUALIFICATION, qualification_request(written), scenario)
    assert response.status_code == 200, response.text
    return response.json()


class TestAddressNotFound:
    def test_a_known_address_is_not_found_with_nothing_to_sell(self, sandbox):
        assert qualify(sandbox, ADDRESSES[AKARD], "address_not_found") == NOT_FOUND
        assert qualify(sandbox, ADDRESSES[AKARD])["addressValidation"]["validationResult"] == "success"

    def test_it_wins_over_address_not_eligible(self, sandbox):
        assert qualify(sandbox, ADDRESSES[AKARD], "address_not_eligible, address_not_found") == NOT_FOUND


class TestAddressNotEligible:
    def test_an_eligible_address_is_found_but_unqualified_with_no_offers(self, sandbox):
        answer = qualify(sandbox, ADDRESSES[AKARD], "address_not_eligible")
        assert answer["addressValidation"]["validGeographicAddress"]["id"] == AKARD
        (item,) = answer["serviceQualification"]
        assert item["qualificationResult"] == "unqualified"
        assert item["eligibilityUnavailabilityReason"] == [
            {
                "code": "FIBER_NOT_AVAILABLE",
                "label": "fiber service is not available at the address (mock-scenario address_not_eligible)",
            }
        ]
        assert (item["billingAccountNumber"], item["intent"]) == (JORDAN_FIBER_BAN, "MOVE")
        assert answer["offers"] == []
        assert FIBER_5G in [o["id"] for o in qualify(sandbox, ADDRESSES[AKARD])["offers"]]

    def test_an_unknown_address_is_still_not_found(self, sandbox):
        assert qualify(sandbox, NOWHERE, "address_not_eligible") == NOT_FOUND


class TestCustomerNotFound:
    def test_search_finds_nobody(self, sandbox):
        body = {"serviceType": "FIBER", "pageSize": 5, "pageOffset": 1}
        response = call(sandbox, SEARCH, body, "customer_not_found")
        assert response.status_code == 200, response.text
        assert response.json() == {"totalCount": 0, "pageInfo": {"pageSize": 5, "pageOffset": 1}, "individuals": []}
        assert [i["id"] for i in call(sandbox, SEARCH, body).json()["individuals"]] == list(WITH_FIBER)

    def test_auth_knows_no_such_customer(self, sandbox):
        assert_error(call(sandbox, CUSTOMER_AUTH, RIGHT, "customer_not_found"), 404, "OMNICART-CUSTOMER-0404")
        assert call(sandbox, CUSTOMER_AUTH, RIGHT).json() == {"status": "SUCCESS"}

    def test_it_wins_over_auth_failed(self, sandbox):
        response = call(sandbox, CUSTOMER_AUTH, RIGHT, "auth_failed, customer_not_found")
        assert_error(response, 404, "OMNICART-CUSTOMER-0404")

    def test_input_errors_come_first(self, sandbox):
        assert_error(call(sandbox, CUSTOMER_AUTH, {}, "customer_not_found"), 400, "OMNICART-CUSTOMER-0001")


class TestAuthFailed:
    def test_right_credentials_are_refused(self, sandbox):
        assert call(sandbox, CUSTOMER_AUTH, RIGHT, "auth_failed").json() == {"status": "FAILURE"}
        assert call(sandbox, CUSTOMER_AUTH, RIGHT).json() == {"status": "SUCCESS"}

    def test_an_unknown_customer_is_still_not_found(self, sandbox):
        body = {**RIGHT, "partnerCustomerUUID": UNKNOWN_CUSTOMER}
        assert_error(call(sandbox, CUSTOMER_AUTH, body, "auth_failed"), 404, "OMNICART-CUSTOMER-0404")


DOWNSTREAM = [
    (QUALIFICATION, qualification_request(), "address validation", "EXTSALESOPS-OFFERS-CPOPOFFER-0002"),
    (SEARCH, {"serviceType": "FIBER"}, "customer directory", "OMNICART-CUSTOMER-0003"),
    (CUSTOMER_AUTH, RIGHT, "customer directory", "OMNICART-CUSTOMER-0003"),
]


class TestDownstreamFailure:
    @pytest.mark.parametrize(("profile", "status"), [("omnicart", 502), ("carrier", 500)])
    @pytest.mark.parametrize(
        ("path", "body", "provider", "code"), DOWNSTREAM, ids=["service-qualification", "search", "auth"]
    )
    def test_the_provider_fails_with_the_code_for_it_in_each_profile(
        self, settings, profile, status, path, body, provider, code
    ):
        with sandbox_client(settings, profile=profile) as client:
            error = assert_error(call(client, path, body, "downstream_failure"), status, code)
            assert error["details"] == {"provider": provider}
            assert f"the {provider} service failed" in error["message"]
            assert call(client, path, body).status_code == 200

    def test_a_failure_is_not_kept_for_an_idempotency_key(self, sandbox):
        key = {"Idempotency-Key": "qualify-1"}
        failed = sandbox.post(
            QUALIFICATION, json=qualification_request(), headers={**key, "mock-scenario": "downstream_failure"}
        )
        assert failed.status_code == 502
        again = sandbox.post(QUALIFICATION, json=qualification_request(), headers=key)
        assert again.status_code == 200 and "idempotent-replayed" not in again.headers


class TestOutsideSandboxMode:
    @pytest.mark.parametrize(
        "scenario",
        ["address_not_found", "address_not_eligible", "customer_not_found", "auth_failed", "downstream_failure"],
    )
    def test_the_header_changes_nothing(self, settings, scenario):
        # The sandbox world as providers (a staging system), outside sandbox mode.
        with sandbox_client(settings, sandbox=False, providers="sandbox") as client:
            assert qualify(client, ADDRESSES[AKARD], scenario)["offers"]
            assert call(client, SEARCH, {"serviceType": "FIBER"}, scenario).json()["totalCount"] == 5
            assert call(client, CUSTOMER_AUTH, RIGHT, scenario).json() == {"status": "SUCCESS"}
