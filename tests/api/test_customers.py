"""The carrier's customer endpoints of the fiber move flow over HTTP (reference §4.2, §4.3),
on each store: `POST /omni-svcs/v1/customers/search` (a page of customers, each with what
a partner acts on) and `POST /omni-svcs/v1/customer/auth` (`{"status"}`), their input
errors in omnicart's own codes, and production mode without a customer directory (501).
The mock scenarios that act on them: tests/api/test_scenarios_qualification.py."""

from __future__ import annotations

import pytest

from omnicart.api.operation import example
from tests.api.conftest import assert_error, enum_of
from tests.api.sandbox import CUSTOMER_AUTH, SEARCH, sandbox_client
from tests.outbox import outbox
from tests.world import (
    AVERY,
    AVERY_WIRELESS_BAN,
    AVERY_WIRELESS_LINE,
    CASEY,
    FAILING_LAST4SSN,
    FAILING_OTP,
    FAILING_PASSCODE,
    FIBER_300,
    JORDAN,
    JORDAN_EMAIL,
    JORDAN_FIBER_BAN,
    JORDAN_FIBER_LINE,
    JORDAN_PHONE,
    JORDAN_WIRELESS_BAN,
    JORDAN_WIRELESS_LINE,
    MORGAN,
    MORGAN_BAN,
    MORGAN_LINE,
    PACIFIC,
    PEACHTREE,
    RILEY,
    TAYLOR,
    UNKNOWN_BAN,
    UNKNOWN_CUSTOMER,
    UNKNOWN_LINE,
    WITH_FIBER,
)

MISSING = "OMNICART-CUSTOMER-0001"
INVALID = "OMNICART-CUSTOMER-0002"
NOT_FOUND = "OMNICART-CUSTOMER-0404"

PACIFIC_AVE = {
    "id": PACIFIC,
    "streetNr": "1600",
    "streetName": "Pacific",
    "streetType": "Ave",
    "addressLine1": "1600 Pacific Ave",
    "city": "Dallas",
    "stateOrProvince": "TX",
    "postcode": "75201",
    "postcodeExtension": "3401",
}
JORDAN_FIBER_ACCOUNT = {
    "billingAccountNumber": JORDAN_FIBER_BAN,
    "ratingType": "postpaid",
    "serviceType": "FIBER",
    "serviceAddress": PACIFIC_AVE,
    "lines": [
        {
            "subscriberNumber": JORDAN_FIBER_LINE,
            "products": [
                {
                    "id": "51000000000000001",
                    "productOfferingType": "Broadband_Offer",
                    "productOfferingId": FIBER_300,
                    "name": "AT&T Fiber 300",
                }
            ],
        }
    ],
}
JORDAN_WIRELESS_ACCOUNT = {
    "billingAccountNumber": JORDAN_WIRELESS_BAN,
    "ratingType": "postpaid",
    "serviceType": "WIRELESS",
    "serviceAddress": PACIFIC_AVE,
    "lines": [
        {
            "subscriberNumber": JORDAN_WIRELESS_LINE,
            "products": [
                {
                    "id": "47777581441708014",
                    "productOfferingType": "Mobile_Device",
                    "productOfferingId": "Mobile_Device_pkey69030_sku2609415",
                    "name": "iPhone 15 128GB",
                },
                {
                    "id": "47777581441708015",
                    "productOfferingType": "SIM",
                    "productOfferingId": "SIM_pkey80001_sku6001001",
                    "name": "SIM card",
                },
                {
                    "id": "47777581441708016",
                    "productOfferingType": "Mobile_Offer",
                    "productOfferingId": "0b690f7e-3f41-49bf-a6cf-6f65caa650ca",
                    "name": "Unlimited Starter SL",
                },
            ],
        }
    ],
}
JORDAN_AS_FOUND = {
    "id": JORDAN,
    "givenName": "Jordan",
    "familyName": "Rivera",
    "email": JORDAN_EMAIL,
    "canBeReachedNumber": JORDAN_PHONE,
    "customerType": "Consumer",
    "customerSubType": "Individual",
}


@pytest.fixture
def sandbox(settings):
    with sandbox_client(settings) as client:
        yield client


def search(client, **body):
    return client.post(SEARCH, json={"serviceType": "FIBER", **body})


def found(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [individual["id"] for individual in response.json()["individuals"]]


def authenticate(client, **body):
    return client.post(CUSTOMER_AUTH, json=body)


def status(response) -> str:
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"status"}
    return response.json()["status"]


class TestSearch:
    def test_the_carriers_example_answers_the_first_five_fiber_customers(self, sandbox):
        response = sandbox.post(SEARCH, json=example("customers-search"), headers={"appname": "partner-pos"})
        assert found(response) == list(WITH_FIBER)
        body = response.json()
        assert (body["totalCount"], body["pageInfo"]) == (5, {"pageSize": 5, "pageOffset": 1})
        for individual in body["individuals"]:
            assert {account["serviceType"] for account in individual["accounts"]} == {"FIBER"}

    def test_each_customer_comes_with_the_accounts_addresses_lines_and_products_to_act_on(self, sandbox):
        body = search(sandbox, billingAccountNumber=JORDAN_FIBER_BAN).json()
        assert body == {
            "totalCount": 1,
            "pageInfo": {"pageSize": 20, "pageOffset": 1},
            "individuals": [{**JORDAN_AS_FOUND, "accounts": [JORDAN_FIBER_ACCOUNT]}],
        }

    def test_a_customer_shows_the_accounts_of_the_service_type_searched(self, sandbox):
        response = search(sandbox, serviceType="WIRELESS")
        assert found(response) == [JORDAN, RILEY, AVERY]
        jordan, _, avery = response.json()["individuals"]
        assert jordan["accounts"] == [JORDAN_WIRELESS_ACCOUNT]
        assert [a["billingAccountNumber"] for a in avery["accounts"]] == [AVERY_WIRELESS_BAN]
        assert [line["subscriberNumber"] for line in avery["accounts"][0]["lines"]] == [AVERY_WIRELESS_LINE]

    @pytest.mark.parametrize(
        ("page", "expected"),
        [(1, [JORDAN, MORGAN]), (2, [CASEY, TAYLOR]), (3, [AVERY]), (4, []), (1000, [])],
    )
    def test_pageOffset_is_the_page_number_from_1(self, sandbox, page, expected):
        response = search(sandbox, pageSize=2, pageOffset=page)
        assert found(response) == expected
        assert response.json()["totalCount"] == 5
        assert response.json()["pageInfo"] == {"pageSize": 2, "pageOffset": page}

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({"givenName": "jordan"}, [JORDAN]),
            ({"familyName": "LEE"}, [MORGAN]),
            ({"email": "Jordan.Rivera@Example.com"}, [JORDAN]),
            ({"canBeReachedNumber": "(214) 555-0101"}, [JORDAN]),
            ({"canBeReachedNumber": "+1 214.555.0101"}, [JORDAN]),
            ({"billingAccountNumber": MORGAN_BAN}, [MORGAN]),
            ({"subscriberNumber": MORGAN_LINE}, [MORGAN]),
            ({"serviceAddressId": PEACHTREE}, [CASEY, AVERY]),
            ({"givenName": "Jordan", "billingAccountNumber": JORDAN_FIBER_BAN}, [JORDAN]),
            # A wireless account of a customer found by a fiber search does not count.
            ({"billingAccountNumber": JORDAN_WIRELESS_BAN}, []),
            ({"givenName": "Jordan", "billingAccountNumber": MORGAN_BAN}, []),
            ({"billingAccountNumber": UNKNOWN_BAN}, []),
        ],
        ids=lambda value: "+".join(value) if isinstance(value, dict) else None,
    )
    def test_every_filter_given_must_match(self, sandbox, filters, expected):
        response = search(sandbox, **filters)
        assert found(response) == expected
        assert response.json()["totalCount"] == len(expected)

    def test_the_service_type_is_required(self, sandbox):
        assert_error(sandbox.post(SEARCH, json={"pageSize": 5}), 400, MISSING, field="serviceType")

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"serviceType": "DSL"}, "serviceType"),
            ({"serviceType": 1}, "serviceType"),
            ({"pageSize": 0}, "pageSize"),
            ({"pageSize": 101}, "pageSize"),
            ({"pageSize": "5"}, "pageSize"),
            ({"pageOffset": 0}, "pageOffset"),
            ({"pageOffset": 1.5}, "pageOffset"),
            ({"givenName": ""}, "givenName"),
            ({"email": "jordan"}, "email"),
            ({"canBeReachedNumber": "555-0101"}, "canBeReachedNumber"),
            ({"billingAccountNumber": "BAN-1"}, "billingAccountNumber"),
            ({"subscriberNumber": "469000222"}, "subscriberNumber"),
            ({"serviceAddressId": ["x"]}, "serviceAddressId"),
        ],
    )
    def test_a_bad_value_is_refused_naming_the_field(self, sandbox, body, field):
        response = sandbox.post(SEARCH, json={"serviceType": "FIBER", **body})
        assert_error(response, 400, INVALID, field=field)

    def test_the_accepted_service_types_are_named(self, sandbox):
        body = assert_error(search(sandbox, serviceType="DSL"), 400, INVALID)
        assert "FIBER, WIRELESS" in body["details"]["errors"][0]["reason"]

    def test_a_body_that_is_not_a_json_object_is_refused(self, sandbox):
        assert_error(sandbox.post(SEARCH, content=b"[]", headers={"content-type": "application/json"}), 400, INVALID)
        assert_error(sandbox.post(SEARCH, content=b"{", headers={"content-type": "application/json"}), 400, INVALID)
        assert_error(sandbox.post(SEARCH, content=b"x", headers={"content-type": "text/plain"}), 415)


class TestAuth:
    def test_the_carriers_request_with_every_field_succeeds(self, sandbox):
        response = sandbox.post(CUSTOMER_AUTH, json=example("customer-auth"), headers={"appname": "partner-pos"})
        assert status(response) == "SUCCESS"

    @pytest.mark.parametrize(
        "identifier",
        [
            {"partnerCustomerUUID": JORDAN},
            {"billingAccountNumber": JORDAN_FIBER_BAN},
            {"billingAccountNumber": JORDAN_WIRELESS_BAN},
            {"subscriberNumber": JORDAN_WIRELESS_LINE},
        ],
        ids=lambda identifier: next(iter(identifier)),
    )
    @pytest.mark.parametrize(
        "credential",
        [{"passcode": "eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn"}, {"otp": {"pin": "482913"}}, {"last4SSN": "4321"}],
        ids=lambda credential: next(iter(credential)),
    )
    def test_any_identifier_with_any_well_formed_credential_succeeds(self, sandbox, identifier, credential):
        assert status(authenticate(sandbox, **identifier, **credential)) == "SUCCESS"

    @pytest.mark.parametrize(
        "credentials",
        [
            {"passcode": FAILING_PASSCODE},
            {"otp": {"pin": FAILING_OTP, "deliveryMethod": "SMS"}},
            {"last4SSN": FAILING_LAST4SSN},
            {"passcode": "right", "last4SSN": FAILING_LAST4SSN},  # every credential given must be right
        ],
        ids=["passcode", "otp", "last4SSN", "one-of-two"],
    )
    def test_the_sandboxs_failing_values_answer_failure_not_an_error(self, sandbox, credentials):
        assert status(authenticate(sandbox, partnerCustomerUUID=JORDAN, **credentials)) == "FAILURE"

    def test_identity_fields_match_as_people_write_them(self, sandbox):
        response = authenticate(
            sandbox,
            billingAccountNumber=JORDAN_FIBER_BAN,
            firstName="JORDAN",
            lastName="rivera",
            email="JORDAN.RIVERA@EXAMPLE.COM",
            canBeReachedNumber="+1 (214) 555-0101",
            serviceAddressId=PACIFIC,
            last4SSN="1234",
        )
        assert status(response) == "SUCCESS"

    @pytest.mark.parametrize(
        "identity",
        [
            {"partnerCustomerUUID": UNKNOWN_CUSTOMER},
            {"billingAccountNumber": UNKNOWN_BAN},
            {"subscriberNumber": UNKNOWN_LINE},
            {"partnerCustomerUUID": JORDAN, "billingAccountNumber": MORGAN_BAN},
            {"partnerCustomerUUID": JORDAN, "firstName": "Morgan"},
            {"billingAccountNumber": JORDAN_FIBER_BAN, "subscriberNumber": JORDAN_WIRELESS_LINE},
            {"subscriberNumber": MORGAN_LINE, "serviceAddressId": PACIFIC},
        ],
        ids=["unknown-id", "unknown-ban", "unknown-line", "id+other-ban", "id+other-name", "ban+line", "line+address"],
    )
    def test_no_customer_matching_the_identity_is_a_404(self, sandbox, identity):
        body = assert_error(authenticate(sandbox, **identity, last4SSN="1234"), 404, NOT_FOUND)
        assert body["message"] == "no customer matches the identifiers given"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "$"),
            ({"firstName": "Jordan", "lastName": "Rivera", "last4SSN": "1234"}, "$"),  # names identify nobody
            ({"partnerCustomerUUID": JORDAN}, "$"),  # no credential
            ({"partnerCustomerUUID": JORDAN, "otp": {"deliveryMethod": "SMS"}}, "otp.pin"),
        ],
        ids=["empty", "names-only", "no-credential", "otp-without-pin"],
    )
    def test_an_identifier_and_a_credential_are_required(self, sandbox, body, field):
        assert_error(authenticate(sandbox, **body), 400, MISSING, field=field)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"last4SSN": "123"}, "last4SSN"),
            ({"last4SSN": "12345"}, "last4SSN"),
            ({"last4SSN": 1234}, "last4SSN"),
            ({"otp": {"pin": "12345"}}, "otp.pin"),
            ({"otp": {"pin": "abcdef"}}, "otp.pin"),
            ({"otp": "123456"}, "otp"),
            ({"passcode": ""}, "passcode"),
            ({"passcode": 1234}, "passcode"),
            ({"last4SSN": "1234", "partnerCustomerUUID": ""}, "partnerCustomerUUID"),
            ({"last4SSN": "1234", "email": "jordan"}, "email"),
            ({"last4SSN": "1234", "subscriberNumber": 4690002221}, "subscriberNumber"),
        ],
    )
    def test_a_malformed_value_is_refused_naming_the_field(self, sandbox, body, field):
        response = authenticate(sandbox, **{"billingAccountNumber": JORDAN_FIBER_BAN, **body})
        assert_error(response, 400, INVALID, field=field)

    def test_nothing_is_recorded(self, sandbox, settings):
        assert status(authenticate(sandbox, partnerCustomerUUID=JORDAN, last4SSN="1234")) == "SUCCESS"
        assert status(authenticate(sandbox, partnerCustomerUUID=JORDAN, last4SSN=FAILING_LAST4SSN)) == "FAILURE"
        assert found(search(sandbox, givenName="Jordan")) == [JORDAN]
        assert outbox(settings.database_url) == []  # no event
        assert sandbox.get("/omni-svcs/v1/carts").json() == []


class TestWithoutACustomerDirectory:
    """Production mode with no provider configured (the default outside the sandbox)."""

    @pytest.mark.parametrize(
        ("path", "body"),
        [(SEARCH, {"serviceType": "FIBER"}), (CUSTOMER_AUTH, {"partnerCustomerUUID": JORDAN, "last4SSN": "1234"})],
        ids=["search", "auth"],
    )
    def test_501_naming_the_missing_provider_and_no_made_up_data(self, client, path, body):
        response = client.post(path, json=body)
        error = assert_error(response, 501, "OMNICART-PROVIDER-0501")
        assert error["details"] == {"provider": "customer directory"}
        assert "OMNICART_PROVIDERS" in error["message"]

    def test_bad_input_is_still_a_400_first(self, client):
        assert_error(client.post(SEARCH, json={}), 400, MISSING, field="serviceType")
        assert_error(client.post(CUSTOMER_AUTH, json={"last4SSN": "1"}), 400, INVALID, field="last4SSN")


@pytest.mark.parametrize("profile", ["omnicart", "carrier"])
def test_the_statuses_are_the_same_in_both_profiles(settings, profile):
    with sandbox_client(settings, profile=profile) as client:
        assert found(search(client, billingAccountNumber=MORGAN_BAN)) == [MORGAN]
        assert status(authenticate(client, partnerCustomerUUID=JORDAN, last4SSN=FAILING_LAST4SSN)) == "FAILURE"
        assert_error(authenticate(client, partnerCustomerUUID=UNKNOWN_CUSTOMER, last4SSN="1234"), 404, NOT_FOUND)
        assert_error(search(client, pageSize=0), 400, INVALID, field="pageSize")
        assert_error(authenticate(client), 400, MISSING)


class TestTheDocument:
    @pytest.fixture
    def document(self, client) -> dict:
        return client.get("/openapi.json").json()

    def test_both_are_the_carriers_operations_with_its_example(self, document):
        search_op = document["paths"][SEARCH]["post"]
        auth_op = document["paths"][CUSTOMER_AUTH]["post"]
        assert "x-omnicart-extension" not in search_op and "x-omnicart-extension" not in auth_op
        examples = search_op["requestBody"]["content"]["application/json"]["examples"]
        assert examples["carrier"]["value"] == {"serviceType": "FIBER", "pageSize": 5, "pageOffset": 1}
        assert set(auth_op["requestBody"]["content"]["application/json"]["examples"]["carrier"]["value"]) == {
            "partnerCustomerUUID",
            "firstName",
            "lastName",
            "email",
            "canBeReachedNumber",
            "subscriberNumber",
            "serviceAddressId",
            "billingAccountNumber",
            "otp",
            "passcode",
            "last4SSN",
        }

    def test_omnicarts_own_filters_say_so(self, document):
        properties = document["components"]["schemas"]["CustomerSearchRequest"]["properties"]
        own = {name for name, schema in properties.items() if "omnicart's own" in schema.get("description", "")}
        assert own == {
            "givenName",
            "familyName",
            "email",
            "canBeReachedNumber",
            "billingAccountNumber",
            "subscriberNumber",
            "serviceAddressId",
        }

    def test_closed_sets_are_enums(self, document):
        schemas = document["components"]["schemas"]
        assert set(enum_of(document, schemas["CustomerAuthResult"]["properties"]["status"])) == {"SUCCESS", "FAILURE"}
        search = schemas["CustomerSearchRequest"]["properties"]
        assert set(enum_of(document, search["serviceType"])) == {"FIBER", "WIRELESS"}

    def test_the_outcomes_and_codes_are_listed(self, document):
        responses = document["paths"][CUSTOMER_AUTH]["post"]["responses"]
        assert responses["404"]["description"].startswith("No customer matches the identifiers given")
        assert MISSING in responses["400"]["description"] and INVALID in responses["400"]["description"]
        assert "OMNICART-CUSTOMER-0003" in responses["502"]["description"]
        assert "OMNICART-PROVIDER-0501" in responses["501"]["description"]
