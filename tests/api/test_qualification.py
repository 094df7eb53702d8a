"""The carrier's `POST /omni-svcs/v1/service-qualification` over HTTP (reference §4.3), on
each store: the address validated against the sandbox world, fiber eligibility, the offers
sold there (catalog offerings in the carrier's price model, ready for a cart), every
outcome a 200 that says which, the carrier's input codes, production mode without address
validation (501), and what the OpenAPI document shows of it. The mock scenarios:
tests/api/test_scenarios_qualification.py; the use case with other catalogs and
providers: tests/services/test_qualification.py."""

from __future__ import annotations

import pytest

from omnicart.api.operation import example
from tests.api.conftest import CARTS, assert_error, enum_of
from tests.api.sandbox import QUALIFICATION, sandbox_client
from tests.world import (
    ADDRESSES,
    AKARD,
    FIBER_300,
    FIBER_OFFERS,
    JORDAN_FIBER_BAN,
    LAKESHORE,
    MAIN,
    NOWHERE,
    OFFERS_AT,
    PACIFIC,
    PEACHTREE,
    PRAIRIE,
    geographic_address,
    qualification_request,
)

MISSING = "EXTSALESOPS-OFFERS-0003"
INVALID = "EXTSALESOPS-OFFERS-CPOPOFFER-0001"

# validGeographicAddress of each address, as docs/sandbox.md lists them.
VALID = {
    AKARD: ("208", "S Akard", "St", "Dallas", "TX", "75202", "4206"),
    PACIFIC: ("1600", "Pacific", "Ave", "Dallas", "TX", "75201", "3401"),
    MAIN: ("4200", "Main", "St", "Houston", "TX", "77002", "1012"),
    PEACHTREE: ("77", "Peachtree", "St", "Atlanta", "GA", "30303", "1811"),
    PRAIRIE: ("12", "Prairie View", "Rd", "Amarillo", "TX", "79101", "0001"),
    LAKESHORE: ("350", "Lakeshore", "Dr", "Chicago", "IL", "60611", "4410"),
}
NOT_ELIGIBLE = {
    PRAIRIE: "the address is out of the fiber footprint",
    LAKESHORE: "fiber is being built at the address; no service yet",
}
NOT_FOUND = {"addressValidation": {"validationResult": "fails"}, "serviceQualification": [], "offers": []}


def valid_address(address_id: str) -> dict:
    fields = ("streetNr", "streetName", "streetType", "city", "stateOrProvince", "postcode", "postcodeExtension")
    return {"id": address_id, **dict(zip(fields, VALID[address_id], strict=True))}


def offer(offer_id: str) -> dict:
    """A fiber offer as qualification answers it: the carrier's price model, before tax."""
    name, monthly = FIBER_OFFERS[offer_id]
    amount = {"dutyFreeAmount": {"unit": "USD", "value": monthly}}
    price = {
        "name": name,
        "priceCategory": "serviceRC",
        "priceType": "RC",
        "recurringChargePeriod": "month",
        "recurringChargePeriodLength": 1,
        "role": "Price",
        "price": amount,
        "finalPrice": amount,
        "standalonePrice": amount,
        "taxIncluded": "Excluded",
    }
    return {"id": offer_id, "name": name, "productOfferingType": "Broadband_Offer", "productOfferingPrice": [price]}


def qualified(**echo) -> dict:
    return {
        "id": "1",
        "serviceType": "FIBER",
        "productOfferingTypeGroup": "BBOffers",
        "qualificationResult": "qualified",
        "eligibilityUnavailabilityReason": [],
        **echo,
    }


@pytest.fixture
def sandbox(settings):
    with sandbox_client(settings) as client:
        yield client


def qualify(client, body: dict) -> dict:
    response = client.post(QUALIFICATION, json=body)
    assert response.status_code == 200, response.text
    return response.json()


class TestQualified:
    def test_the_carriers_request_answers_the_address_its_qualification_and_its_offers(self, sandbox):
        response = sandbox.post(
            QUALIFICATION, json=example("service-qualification"), headers={"appname": "partner-pos"}
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "addressValidation": {"validationResult": "success", "validGeographicAddress": valid_address(AKARD)},
            "serviceQualification": [qualified(billingAccountNumber=JORDAN_FIBER_BAN, intent="MOVE")],
            "offers": [offer(offer_id) for offer_id in OFFERS_AT[AKARD]],
        }

    @pytest.mark.parametrize("address_id", [AKARD, PACIFIC, MAIN, PEACHTREE])
    def test_each_eligible_address_sells_its_own_offers(self, sandbox, address_id):
        answer = qualify(sandbox, qualification_request(ADDRESSES[address_id]))
        assert answer["addressValidation"]["validGeographicAddress"] == valid_address(address_id)
        assert [q["qualificationResult"] for q in answer["serviceQualification"]] == ["qualified"]
        assert answer["offers"] == [offer(offer_id) for offer_id in OFFERS_AT[address_id]]

    @pytest.mark.parametrize(
        "written",
        [
            {"addressLine1": "208 s akard st", "postcode": "75202"},
            {"addressLine1": "  208  S. Akard   St. ", "postcode": "75202-4206"},
            {"addressLine1": "208 S AKARD ST", "postcode": "752024206", "city": "DALLAS", "stateOrProvince": "tx"},
        ],
        ids=["lower-case-no-city", "punctuation-zip+4", "upper-case-zip9"],
    )
    def test_the_address_is_found_as_people_write_it(self, sandbox, written):
        answer = qualify(sandbox, qualification_request(written))
        assert answer["addressValidation"] == {
            "validationResult": "success",
            "validGeographicAddress": valid_address(AKARD),
        }

    def test_without_offers_asked_about_one_qualification_for_broadband(self, sandbox):
        body = qualification_request()
        del body["offers"], body["channel"]
        assert qualify(sandbox, body)["serviceQualification"] == [qualified()]

    def test_each_kind_of_offer_asked_about_is_answered_with_its_account_and_intent(self, sandbox):
        asked = [
            {"productOfferingTypeGroup": "BBOffers", "billingAccountNumber": JORDAN_FIBER_BAN, "intent": "MOVE"},
            {"productOfferingTypeGroup": "BBOffers", "intent": "CHANGE", "partnerRef": "kept-out"},
        ]
        answer = qualify(sandbox, qualification_request(offers=asked))
        assert answer["serviceQualification"] == [
            qualified(billingAccountNumber=JORDAN_FIBER_BAN, intent="MOVE"),
            {**qualified(intent="CHANGE"), "id": "2"},
        ]

    def test_an_offer_goes_into_a_cart_as_it_is_and_keeps_its_price(self, sandbox, seed_request):
        first = qualify(sandbox, qualification_request())["offers"][0]
        assert first["id"] == FIBER_300
        cart = sandbox.post(CARTS, json=seed_request).json()
        item = {"action": "add", "productOfferingType": first["productOfferingType"], "productOfferingId": first["id"]}
        response = sandbox.post(f"{CARTS}/{cart['id']}/items", json={"items": [item]})
        assert response.status_code == 200, response.text
        (added,) = response.json()["productOrderItem"]
        assert [p["price"]["dutyFreeAmount"] for p in added["itemPrice"]] == [{"unit": "USD", "value": 55.0}]


class TestNotFound:
    @pytest.mark.parametrize(
        "written",
        [
            NOWHERE,
            {**ADDRESSES[AKARD], "postcode": "75201"},  # the street, in another ZIP
            {**ADDRESSES[AKARD], "city": "Houston"},
            {**ADDRESSES[AKARD], "stateOrProvince": "GA"},
            {**ADDRESSES[AKARD], "addressLine1": "210 S Akard St"},
        ],
        ids=["nowhere", "other-zip", "other-city", "other-state", "other-number"],
    )
    def test_an_unknown_address_fails_validation_in_a_200_with_nothing_to_sell(self, sandbox, written):
        assert qualify(sandbox, qualification_request(written)) == NOT_FOUND


class TestNotEligible:
    @pytest.mark.parametrize("address_id", [PRAIRIE, LAKESHORE])
    def test_the_address_is_found_unqualified_with_the_reason_and_no_offers(self, sandbox, address_id):
        answer = qualify(sandbox, qualification_request(ADDRESSES[address_id]))
        assert answer == {
            "addressValidation": {"validationResult": "success", "validGeographicAddress": valid_address(address_id)},
            "serviceQualification": [
                {
                    **qualified(billingAccountNumber=JORDAN_FIBER_BAN, intent="MOVE"),
                    "qualificationResult": "unqualified",
                    "eligibilityUnavailabilityReason": [
                        {"code": "FIBER_NOT_AVAILABLE", "label": NOT_ELIGIBLE[address_id]}
                    ],
                }
            ],
            "offers": [],
        }


def without(body: dict, path: str) -> dict:
    """`body` without the field at `path` ("a.b")."""
    *parents, name = path.split(".")
    target = body
    for parent in parents:
        target = target[parent]
    del target[name]
    return body


class TestInput:
    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ("geographicAddress", "geographicAddress"),
            ("geographicAddress.postcode", "geographicAddress.postcode"),
            ("geographicAddress.addressCharacteristic", "geographicAddress.addressCharacteristic"),
            ("channel.id", "channel.id"),
        ],
    )
    def test_a_required_field_missing_is_the_carriers_0003(self, sandbox, path, field):
        response = sandbox.post(QUALIFICATION, json=without(qualification_request(), path))
        assert_error(response, 400, MISSING, field=field)

    @pytest.mark.parametrize(
        "characteristic",
        [[], [{"name": "addressLine2", "value": "Apt 4"}], [{"name": "addressLine1", "value": "  "}]],
        ids=["none", "another", "blank"],
    )
    def test_the_street_line_is_required(self, sandbox, characteristic):
        body = qualification_request()
        body["geographicAddress"]["addressCharacteristic"] = characteristic
        response = sandbox.post(QUALIFICATION, json=body)
        assert_error(response, 400, MISSING, field="geographicAddress.addressCharacteristic")

    def test_a_kind_of_offer_is_required_for_each_entry(self, sandbox):
        body = qualification_request(offers=[{"billingAccountNumber": JORDAN_FIBER_BAN}])
        assert_error(sandbox.post(QUALIFICATION, json=body), 400, MISSING, field="offers[0].productOfferingTypeGroup")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"geographicAddress": "208 S Akard St, Dallas"}, "geographicAddress"),
            (
                {"geographicAddress": {**geographic_address(ADDRESSES[AKARD]), "postcode": "7520"}},
                "geographicAddress.postcode",
            ),
            (
                {"geographicAddress": {**geographic_address(ADDRESSES[AKARD]), "postcode": 75202}},
                "geographicAddress.postcode",
            ),
            ({"geographicAddress": {**geographic_address(ADDRESSES[AKARD]), "city": ""}}, "geographicAddress.city"),
            (
                {"geographicAddress": {**geographic_address(ADDRESSES[AKARD]), "addressCharacteristic": "208 S Akard"}},
                "geographicAddress.addressCharacteristic",
            ),
            (
                {
                    "geographicAddress": {
                        **geographic_address(ADDRESSES[AKARD]),
                        "addressCharacteristic": [{"name": "addressLine1", "value": 208}],
                    }
                },
                "geographicAddress.addressCharacteristic[0].value",
            ),
            (
                {
                    "geographicAddress": {
                        **geographic_address(ADDRESSES[AKARD]),
                        "addressCharacteristic": [{"name": "x", "value": "y"}] * 21,
                    }
                },
                "geographicAddress.addressCharacteristic",
            ),
            ({"offers": [{"productOfferingTypeGroup": "mobileOffer"}]}, "offers[0].productOfferingTypeGroup"),
            ({"offers": {"productOfferingTypeGroup": "BBOffers"}}, "offers"),
            ({"offers": [{"productOfferingTypeGroup": "BBOffers"}] * 11}, "offers"),
            ({"customerType": ""}, "customerType"),
            ({"channel": "IND"}, "channel"),
        ],
        ids=[
            "address-string",
            "short-zip",
            "zip-number",
            "empty-city",
            "characteristics-string",
            "value-number",
            "21-characteristics",
            "mobile-offers",
            "offers-object",
            "11-offers",
            "empty-customer-type",
            "channel-string",
        ],
    )
    def test_a_bad_value_is_the_carriers_cpopoffer_0001_naming_the_field(self, sandbox, change, field):
        response = sandbox.post(QUALIFICATION, json=qualification_request(**change))
        assert_error(response, 400, INVALID, field=field)

    def test_the_accepted_kind_of_offer_is_named(self, sandbox):
        body = qualification_request(offers=[{"productOfferingTypeGroup": "mobileOffer"}])
        error = assert_error(sandbox.post(QUALIFICATION, json=body), 400, INVALID)
        assert error["details"]["errors"][0]["reason"].endswith("accepted values: BBOffers")

    def test_a_body_that_is_not_a_json_object_is_refused(self, sandbox):
        json = {"content-type": "application/json"}
        assert_error(sandbox.post(QUALIFICATION, content=b"[]", headers=json), 400, INVALID)
        assert_error(sandbox.post(QUALIFICATION, content=b'{"geographicAddress":', headers=json), 400, INVALID)
        assert_error(sandbox.post(QUALIFICATION, content=b"x", headers={"content-type": "text/plain"}), 415)


class TestWithoutAddressValidation:
    """Production mode with no provider configured (the default outside the sandbox)."""

    def test_501_naming_the_missing_provider_and_no_made_up_data(self, client):
        error = assert_error(client.post(QUALIFICATION, json=qualification_request()), 501, "OMNICART-PROVIDER-0501")
        assert error["details"] == {"provider": "address validation"}

    def test_bad_input_is_still_a_400_first(self, client):
        body = without(qualification_request(), "geographicAddress.postcode")
        assert_error(client.post(QUALIFICATION, json=body), 400, MISSING, field="geographicAddress.postcode")


@pytest.mark.parametrize("profile", ["omnicart", "carrier"])
def test_every_outcome_is_a_200_and_input_errors_a_400_in_both_profiles(settings, profile):
    with sandbox_client(settings, profile=profile) as client:
        for written in (ADDRESSES[AKARD], ADDRESSES[PRAIRIE], NOWHERE):
            assert client.post(QUALIFICATION, json=qualification_request(written)).status_code == 200
        body = without(qualification_request(), "geographicAddress")
        assert_error(client.post(QUALIFICATION, json=body), 400, MISSING)
        assert_error(client.post(QUALIFICATION, json=qualification_request(customerType=1)), 400, INVALID)


class TestTheDocument:
    @pytest.fixture
    def operation(self, client) -> dict:
        return client.get("/openapi.json").json()["paths"][QUALIFICATION]["post"]

    def test_it_is_the_carriers_operation_with_its_example(self, operation):
        assert "x-omnicart-extension" not in operation
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert examples["carrier"]["value"] == qualification_request(
            channel={
                "id": "IND",
                "name": "IND",
                "extensions": [
                    {"name": "subChannel", "value": "bestbuy"},
                    {"name": "subChannelGroup", "value": "National Retail"},
                    {"name": "agentId", "value": "s12345"},
                ],
            }
        )

    def test_its_outcomes_and_codes_are_listed(self, operation):
        responses = operation["responses"]
        statuses = {"200", "400", "401", "403", "406", "409", "413", "415", "422", "429", "501", "502", "503"}
        assert set(responses) == statuses
        assert MISSING in responses["400"]["description"] and INVALID in responses["400"]["description"]
        assert "EXTSALESOPS-OFFERS-CPOPOFFER-0002" in responses["502"]["description"]

    def test_its_closed_sets_are_enums(self, client):
        document = client.get("/openapi.json").json()
        schemas = document["components"]["schemas"]
        validation = schemas["AddressValidation"]["properties"]["validationResult"]
        assert set(enum_of(document, validation)) == {"success", "fails"}
        item = schemas["ServiceQualificationItem"]["properties"]
        assert set(enum_of(document, item["qualificationResult"])) == {"qualified", "unqualified"}
        assert enum_of(document, schemas["OfferRequest"]["properties"]["productOfferingTypeGroup"]) == ["BBOffers"]
