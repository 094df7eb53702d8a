"""The OpenAPI document is a contract a partner can generate a client from (issue 10,
point 7): closed sets are enums, dates are date-time, the carrier's ids have their patterns,
Create Cart carries the seed's request as an example, every operation lists the headers it
honours, no description points at a file the server does not serve, and a client generated
by datamodel-code-generator round-trips the seed request and the service's answers."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import CARRIERS_OPERATIONS, CARTS, REQUIRED_SCOPES, TMF622, submit_url
from tests.carts import line
from tests.conftest import SEED_REQUEST

ROOT = Path(__file__).parents[2]


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


@pytest.fixture
def generated(document, tmp_path):
    """The pydantic models datamodel-code-generator makes of the served document."""
    pytest.importorskip("datamodel_code_generator")
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document))
    target = tmp_path / "models.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(source),
            "--input-file-type",
            "openapi",
            "--output",
            str(target),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--target-python-version",
            "3.11",
            "--enum-field-as-literal",
            "all",
            # Each closed set is a named schema (distinct model names); as literals, inline.
            "--collapse-root-models",
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    name = f"omnicart_generated_{tmp_path.name}"
    spec = importlib.util.spec_from_file_location(name, target)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its annotations are resolved through it
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


def dump(model) -> dict:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_the_generated_client_round_trips_the_seed_request(generated, document):
    example = document["paths"][CARTS]["post"]["requestBody"]["content"]["application/json"]["examples"]["seed"]
    assert example["value"] == SEED_REQUEST
    assert dump(generated.CartCreate.model_validate(SEED_REQUEST)) == SEED_REQUEST


def test_the_generated_client_reads_the_services_answers(generated, client, seed_request):
    seed_request["items"] = line()
    created = client.post(CARTS, json=seed_request).json()
    cart = generated.ProductOrderView.model_validate(created)
    assert (cart.id, cart.version, len(cart.productOrderItem)) == (created["id"], 1, 4)
    assert set(dump(cart)) == set(created)
    submitted = client.post(
        submit_url(created["id"]), json={"paymentMethods": [{"id": "pm"}], "terms": {"WCA": True, "DP-TC": True}}
    ).json()
    order = generated.SubmittedOrder.model_validate(submitted)
    assert (order.id, order.customerOrderId, order.state) == (
        submitted["id"],
        submitted["customerOrderId"],
        "Submitted",
    )
    with pytest.raises(ValueError):  # the enums bind: a partner's typo fails in its own client
        generated.ProductOrderItem.model_validate({"action": "frobnicate"})


# Closed sets, as the carrier's Create Cart and omnicart's docs name them (docs/orders.md).
ORDER_STATES = {
    "Acknowledged",
    "Amended",
    "Cancelled",
    "Completed",
    "Draft",
    "Failed",
    "Fallout",
    "Held",
    "InProgress",
    "Partial",
    "PendingAmend",
    "PendingCancel",
    "Submitted",
}
CREDIT_RISKS = {"LOW", "MEDIUM", "HIGH", "Fraud Risk", "Abusive Risk", "Analyst Review"}
ENUMS = {
    ("ProductOrderItem", "action"): {"add", "modify", "delete", "noChange", "terminate", "swap;add"},
    ("ProductOrderItem", "productOfferingType"): {
        "Mobile_Offer",
        "Mobile_Plan",
        "Mobile_Device",
        "SIM",
        "Active_Armor",
        "Delivery_Method",
        "Device_Protection",
        "Accessory",
        "Broadband_Offer",
    },
    ("Price", "priceType"): {"NRC", "RC"},
    ("Price", "taxIncluded"): {"Excluded"},
    ("ValidationMessage", "type"): {"error", "warning", "info"},
    ("Validation", "status"): {"valid", "invalid"},
    ("Configuration", "type"): {"terms", "payment", "appointment", "credit", "fulfillment", "billing"},
    ("Configuration", "status"): {"pending", "complete"},
    ("SubmittedOrder", "state"): {"Submitted"},
    ("OrderView", "state"): ORDER_STATES,
    ("CheckoutView", "state"): ORDER_STATES,
    ("FulfillmentOption", "fulfillmentMethod"): {"DF", "ISPU"},
    ("CreditApplicationResult", "creditRisk"): CREDIT_RISKS,
    ("RiskAssessment", "creditRisk"): CREDIT_RISKS,
    ("CreditDecision", "creditRisk"): CREDIT_RISKS,
}


@pytest.mark.parametrize(("schema", "prop"), [pytest.param(*where, id=".".join(where)) for where in ENUMS])
def test_closed_sets_are_enums(document, schema, prop):
    schemas = document["components"]["schemas"]
    assert set(_enum(schemas, schemas[schema]["properties"][prop])) == ENUMS[(schema, prop)]


def test_every_schema_is_named_by_its_type_alone(document):
    """Two wire structs of one name in different modules get module-qualified names
    (`omnicart.wire.customers.X`), which a generator reads as modules to import: each
    schema a partner's client is generated from is named by a plain identifier."""
    names = document["components"]["schemas"]
    assert [name for name in names if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name)] == []


def _enum(schemas: dict, prop: dict) -> list:
    for option in [prop, *prop.get("anyOf", [])]:
        if "enum" in option:
            return option["enum"]
        if "$ref" in option:
            return schemas[option["$ref"].rsplit("/", 1)[1]].get("enum", [])
    return []


def test_dates_are_date_time_and_customer_order_ids_have_the_carriers_pattern(document):
    schemas = document["components"]["schemas"]
    for name, prop in (
        ("ProductOrderView", "creationDate"),
        ("ProductOrderView", "lastUpdate"),
        ("SubmittedOrder", "submissionDate"),
        ("OrderView", "submissionDate"),
    ):
        assert schemas[name]["properties"][prop]["format"] == "date-time", (name, prop)
    pattern = re.compile(schemas["SubmittedOrder"]["properties"]["customerOrderId"]["pattern"])
    assert pattern.fullmatch("25-76826709685300") and pattern.fullmatch("25-754322252600371")
    assert not pattern.fullmatch("25-7682670968530") and not pattern.fullmatch("25-7543222526003710")
    assert schemas["OrderView"]["properties"]["customerOrderId"]["pattern"] == pattern.pattern


# The request headers each operation documents (outside sandbox mode, so no mock-scenario):
# Idempotency-Key on every POST of a partner, If-Match where a change can be conditional,
# If-None-Match on a cart's read, appname and idpctx-uuid on the carrier's own operations.
HEADERS = {
    ("POST", CARTS): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("GET", CARTS): set(),
    ("GET", f"{CARTS}/{{cartId}}"): {"If-None-Match"},
    ("DELETE", f"{CARTS}/{{cartId}}"): {"If-Match"},
    ("POST", f"{CARTS}/{{cartId}}/items"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("PATCH", f"{CARTS}/{{cartId}}/items/{{itemId}}"): {"If-Match"},
    ("DELETE", f"{CARTS}/{{cartId}}/items/{{itemId}}"): {"If-Match"},
    ("POST", "/omni-svcs/v1/order/create"): {"Idempotency-Key"},  # the carrier's page: no headers
    ("POST", "/omni-svcs/v1/order/{orderId}/items"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", f"{CARTS}/{{cartId}}/express-submit"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/checkout"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/payment-methods"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/credit-application"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/offers/search"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/fulfillment-options"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/order/{orderId}/fulfillment"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/terms"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/order/{orderId}/terms"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/order/{orderId}/billing"): {"Idempotency-Key", "If-Match", "appname", "idpctx-uuid"},
    ("GET", "/omni-svcs/v1/orders"): set(),
    ("GET", "/omni-svcs/v1/orders/{orderId}"): set(),
    ("POST", "/omni-svcs/v1/orders/query"): {
        "Idempotency-Key",
        "appname",
        "idp-trace-id",
        "idpctx-session-id",
        "serviceType",
        "topics",
    },
    ("GET", "/omni-svcs/v1/orders/query/schema"): set(),
    ("POST", "/omni-svcs/v1/orders/{orderId}/cancel"): {"Idempotency-Key"},
    ("GET", "/omni-svcs/v1/productOfferings"): set(),
    ("GET", "/omni-svcs/v1/productOfferings/{offeringId}"): set(),
    ("POST", "/omni-svcs/v1/customers/search"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/customer/auth"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/service-qualification"): {"Idempotency-Key", "appname", "idpctx-uuid"},
    ("POST", "/omni-svcs/v1/hub"): {"Idempotency-Key"},
    ("GET", "/omni-svcs/v1/hub"): set(),
    ("GET", "/omni-svcs/v1/hub/{id}"): set(),
    ("DELETE", "/omni-svcs/v1/hub/{id}"): set(),
    ("POST", f"{TMF622}/productOrder"): {"Idempotency-Key"},
    ("GET", f"{TMF622}/productOrder"): set(),
    ("GET", f"{TMF622}/productOrder/{{id}}"): set(),
    ("PATCH", f"{TMF622}/productOrder/{{id}}"): {"If-Match"},
    ("DELETE", f"{TMF622}/productOrder/{{id}}"): set(),
    ("POST", f"{TMF622}/cancelProductOrder"): {"Idempotency-Key"},
    ("GET", f"{TMF622}/cancelProductOrder"): set(),
    ("GET", f"{TMF622}/cancelProductOrder/{{id}}"): set(),
    ("POST", f"{TMF622}/hub"): {"Idempotency-Key"},
    ("DELETE", f"{TMF622}/hub/{{id}}"): set(),
    ("POST", "/tmf-api/shoppingCart/v4/shoppingCart"): {"Idempotency-Key"},
    ("GET", "/tmf-api/shoppingCart/v4/shoppingCart"): set(),
    ("GET", "/tmf-api/shoppingCart/v4/shoppingCart/{id}"): set(),
    ("PATCH", "/tmf-api/shoppingCart/v4/shoppingCart/{id}"): {"If-Match"},
    ("DELETE", "/tmf-api/shoppingCart/v4/shoppingCart/{id}"): {"If-Match"},
    ("POST", "/tmf-api/shoppingCart/v4/hub"): {"Idempotency-Key"},
    ("DELETE", "/tmf-api/shoppingCart/v4/hub/{id}"): set(),
    ("POST", "/oauth/token"): set(),
    ("GET", "/"): set(),
    ("GET", "/health"): set(),
    ("GET", "/ready"): set(),
    ("GET", "/metrics"): set(),
    ("GET", "/openapi.json"): set(),
    ("GET", "/docs"): set(),
    ("GET", "/docs/init.js"): set(),
}


def test_every_operation_lists_the_headers_it_honours(document):
    assert set(HEADERS) == set(REQUIRED_SCOPES)
    for (method, path), headers in HEADERS.items():
        assert _headers(document, path, method.lower()) == headers, f"{method} {path}"


def test_omnicarts_additions_are_marked_as_extensions(document):
    """TM Forum's operations (/tmf-api/) are TMF663's, not omnicart's additions."""
    for method, path in REQUIRED_SCOPES:
        extension = document["paths"][path][method.lower()].get("x-omnicart-extension", False)
        standard = (method, path) in CARRIERS_OPERATIONS or path.startswith("/tmf-api/")
        assert extension is not standard, f"{method} {path}"


def _headers(document: dict, path: str, method: str) -> set[str]:
    return {p["name"] for p in document["paths"][path][method].get("parameters", []) if p["in"] == "header"}


def test_the_token_endpoint_documents_its_errors(document):
    responses = document["paths"]["/oauth/token"]["post"]["responses"]
    for status in ("400", "401"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TokenError"}


def test_no_description_points_at_a_document_that_is_not_served(document):
    text = json.dumps(document)
    assert re.findall(r"[\w./-]+\.(?:md|py)\b", text) == []


def test_the_seed_example_is_the_repositorys_sample():
    packaged = json.loads((ROOT / "src" / "omnicart" / "data" / "examples" / "create-cart.json").read_text())
    assert packaged == json.loads((ROOT / "examples" / "create-cart.json").read_text()) == SEED_REQUEST
