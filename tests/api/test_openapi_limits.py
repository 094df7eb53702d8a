"""The OpenAPI document declares what the service enforces (issue 20, point 6): unknown
fields are allowed where the decoding accepts them, every limit of docs/limits.md is a
schema keyword with the configured value, the headers an operation takes are listed with
their syntax, and a sandbox says credentials are optional and lists its scenarios.
tests/api/test_conformance.py checks the whole document against the running service."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import CARTS, V1, sandbox_settings
from tests.credentials import AUTH
from tests.unit.test_scenarios import ACCEPTED_NAMES

NO_NUL = "^[^\\u0000]*$"
NAMES = {"maxLength": 1024, "pattern": NO_NUL, "not": {"const": "__extra__"}}
SCENARIO_VALUES = [*ACCEPTED_NAMES, ""]  # the empty value names none


def served(settings) -> dict:
    with TestClient(create_app(settings), headers=AUTH) as client:
        return client.get("/openapi.json").json()


@pytest.fixture
def document(settings) -> dict:
    return served(settings)


@pytest.fixture
def sandbox(database_url) -> dict:
    return served(sandbox_settings(database_url))


def parameters(document: dict, method: str, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in document["paths"][path][method]["parameters"]}


class TestUnknownFields:
    @pytest.mark.parametrize(
        "name",
        ["ItemsAdd", "PaymentMethodsRequest", "CartCreate", "ProductOrderItem", "OffersSearch", "BillingRequest"],
    )
    def test_every_request_object_allows_them_with_names_within_the_limits(self, document, name):
        schema = document["components"]["schemas"][name]
        assert schema["additionalProperties"] is True
        assert schema["propertyNames"] == NAMES

    def test_an_answer_only_object_stays_closed(self, document):
        assert document["components"]["schemas"]["Eligibility"]["additionalProperties"] is False


class TestLimits:
    def test_the_lists_the_decoding_counts(self, document):
        schemas = document["components"]["schemas"]
        assert schemas["CartCreate"]["properties"]["relatedParty"]["maxItems"] == 20
        assert schemas["ItemsAdd"]["properties"]["items"]["maxItems"] == 100
        assert schemas["Channel"]["properties"]["extensions"]["maxItems"] == 50

    def test_every_string_within_the_length_and_without_nul(self, document):
        channel = document["components"]["schemas"]["Channel"]["properties"]
        declared = {key: value for key, value in channel["id"].items() if key != "description"}
        assert declared == {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": NO_NUL}

    def test_the_orders_query_takes_longer_strings(self, document):
        query = document["components"]["schemas"]["GraphQLRequest"]["properties"]["query"]
        assert (query["maxLength"], query["pattern"]) == (16384, NO_NUL)

    def test_the_configured_values(self, settings):
        limits = dataclasses.replace(settings.limits, max_related_parties=5, max_string_length=300)
        schemas = served(dataclasses.replace(settings, limits=limits))["components"]["schemas"]
        assert schemas["CartCreate"]["properties"]["relatedParty"]["maxItems"] == 5
        assert schemas["Channel"]["properties"]["id"]["maxLength"] == 300
        assert schemas["CartCreate"]["propertyNames"]["maxLength"] == 300

    def test_the_hub_callback_is_an_absolute_http_url(self, document):
        callback = document["components"]["schemas"]["HubCreate"]["properties"]["callback"]
        assert callback["pattern"].startswith("^https?://")
        assert (callback["minLength"], callback["maxLength"]) == (1, 1024)

    def test_the_one_of_required_groups(self, document):
        schemas = document["components"]["schemas"]
        assert schemas["CustomerAuthRequest"]["allOf"] == [
            {
                "anyOf": [
                    {"required": ["partnerCustomerUUID"]},
                    {"required": ["billingAccountNumber"]},
                    {"required": ["subscriberNumber"]},
                ]
            },
            {"anyOf": [{"required": ["passcode"]}, {"required": ["otp"]}, {"required": ["last4SSN"]}]},
        ]
        enrollment = schemas["BillingRequest"]["properties"]["enrollment"]["allOf"]
        assert enrollment[1] == {"anyOf": [{"required": ["autoPay"]}, {"required": ["paperLess"]}]}

    def test_what_the_service_owns_is_read_only(self, document):
        item = document["components"]["schemas"]["ProductOrderItem"]["properties"]
        assert item["itemPrice"]["readOnly"] is True


class TestHeaders:
    def test_the_idempotency_key_syntax(self, document):
        key = parameters(document, "post", CARTS)["Idempotency-Key"]["schema"]
        assert key == {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]([ -~]*[!-~])?$"}

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("post", CARTS),
            ("post", f"{CARTS}/{{cartId}}/items"),
            ("post", f"{CARTS}/{{cartId}}/express-submit"),
            ("post", f"{V1}/checkout"),
        ],
    )
    def test_the_carriers_caller_headers(self, document, method, path):
        assert {"appname", "idpctx-uuid"} <= set(parameters(document, method, path))


class TestSandbox:
    def test_credentials_are_optional(self, sandbox, document):
        assert sandbox["paths"][CARTS]["post"]["security"] == [{}, {"bearer": []}, {"oauth2": ["carts:write"]}]
        assert document["paths"][CARTS]["post"]["security"] == [{"bearer": []}, {"oauth2": ["carts:write"]}]

    def test_mock_scenario_is_one_of_the_scenarios(self, sandbox, document):
        for path, item in sandbox["paths"].items():
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    names = {p["name"]: p for p in operation.get("parameters", ())}
                    assert ("mock-scenario" in names) == path.startswith("/omni-svcs/"), path
        header = parameters(sandbox, "post", CARTS)["mock-scenario"]
        assert header["schema"] == {"type": "string", "enum": SCENARIO_VALUES}
        assert "mock-scenario" not in parameters(document, "post", CARTS)
