"""The OpenAPI document explains (issue 22, point 3): every operation has a tag by
resource, a description and examples; every schema property a description; each closed
set of values is a schema of its own, so a generated client names its types once; the
item merge patch has a real body schema; the document passes openapi-spec-validator and
a small rule set of our own; /docs serves Swagger UI over it."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.config import Settings
from tests.credentials import JWT_SECRET

V1 = "/omni-svcs/v1"
METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module", params=["omnicart", "carrier"])
def served(request):
    """The service in each status profile (the document's statuses differ)."""
    settings = Settings(jwt_secret=JWT_SECRET, profile=request.param)
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        yield client


@pytest.fixture(scope="module")
def document(served) -> dict:
    return served.get("/openapi.json").json()


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def success(operation: dict) -> dict:
    return next(response for status, response in operation["responses"].items() if status.startswith("2"))


# A sample of operations and the resource each is filed under, written by hand.
TAGS = {
    "createCart": "carts",
    "getCart": "carts",
    "createOrder": "carts",
    "addItemsToCart": "items",
    "patchCartItem": "items",
    "listProductOfferings": "catalog",
    "searchCustomers": "customers",
    "creditApplication": "fiber",
    "getCheckoutConfigurableOptions": "checkout",
    "registerPaymentMethods": "checkout",
    "expressSubmit": "checkout",
    "getOrder": "orders",
    "queryOrders": "orders query",
    "patchTerms": "direct fulfilment",
    "registerListener": "hubs",
    "issueAccessToken": "auth",
    "health": "service",
}


def test_operations_are_filed_by_resource(document):
    tags = {operation["operationId"]: operation["tags"] for _, _, operation in operations(document)}
    assert {operation_id: tags[operation_id] for operation_id in TAGS} == {k: [v] for k, v in TAGS.items()}


def test_every_tag_is_declared_with_a_description(document):
    declared = {tag["name"]: tag.get("description") for tag in document["tags"]}
    assert all(declared.values())
    used = {tag for _, _, operation in operations(document) for tag in operation.get("tags", [])}
    assert used == set(declared)


def test_every_operation_has_a_tag_a_description_and_examples(document):
    lacking = []
    for method, path, operation in operations(document):
        where = f"{method.upper()} {path}"
        if len(operation.get("tags", [])) != 1:
            lacking.append((where, "tag"))
        if len(operation.get("description", "")) < 20:
            lacking.append((where, "description"))
        for media in operation.get("requestBody", {}).get("content", {}).values():
            if not media.get("examples"):
                lacking.append((where, "request example"))
        for media in success(operation).get("content", {}).values():
            if not media.get("examples"):
                lacking.append((where, "answer example"))
    assert lacking == []


def test_only_answers_without_a_body_go_without_an_answer_example(document):
    bodiless = {
        operation["operationId"] for _, _, operation in operations(document) if "content" not in success(operation)
    }
    assert bodiless == {
        "abandonCart",
        "unregisterListener",
        "deleteShoppingCart",
        "unregisterShoppingCartListener",
        "deleteProductOrder",
        "unregisterProductOrderListener",
    }


def test_every_schema_property_has_a_description(document):
    schemas = document["components"]["schemas"]
    lacking = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        for prop, prop_schema in schema.get("properties", {}).items()
        if not prop_schema.get("description")
    ]
    assert lacking == []


def test_every_schema_says_what_it_is(document):
    assert [name for name, schema in document["components"]["schemas"].items() if not schema.get("description")] == []


def test_every_parameter_has_a_description(document):
    lacking = [
        (path, parameter["name"])
        for path, item in document["paths"].items()
        for parameter in [
            *item.get("parameters", []),
            *(p for method in METHODS & set(item) for p in item[method].get("parameters", [])),
        ]
        if not parameter.get("description")
    ]
    assert lacking == []


def test_an_orders_id_and_a_named_carts_id_are_told_apart(document):
    def described(path: str) -> str:
        return document["paths"][path]["parameters"][0]["description"]

    assert "expressSubmit" in described(f"{V1}/orders/{{orderId}}")
    assert "createOrder" in described(f"{V1}/order/{{orderId}}/terms")


# Fields described in the reference's own words, and fields the reference does not show
# marked as omnicart's own (written by hand).
DESCRIPTIONS = {
    ("ProductOrderView", "version"): "Version number for the Shopping Cart",
    ("ProductOrderView", "id"): "ID created on repository side (OM system)",
    ("ProductOrderItem", "rootBundleProductOrderItemId"): "bundle-root item",
    ("Validation", "readyToSubmit"): "can be submitted",
    ("ProductOrderView", "lastUpdate"): "omnicart's own",
    ("HubView", "secret"): "omnicart's own",
    ("RiskAssessment", "blocksOrder"): "omnicart's own",
}


@pytest.mark.parametrize(("schema", "prop"), list(DESCRIPTIONS))
def test_descriptions_take_the_references_words_and_mark_omnicarts_own(document, schema, prop):
    assert DESCRIPTIONS[(schema, prop)] in document["components"]["schemas"][schema]["properties"][prop]["description"]


def _validator(document: dict, schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def test_every_example_is_valid_against_its_schema(document):
    invalid = []
    for method, path, operation in operations(document):
        bodies = [("request", m) for m in operation.get("requestBody", {}).get("content", {}).values()]
        bodies += [("answer", m) for m in success(operation).get("content", {}).values()]
        for kind, media in bodies:
            validator = _validator(document, media["schema"])
            for name, example in media.get("examples", {}).items():
                errors = [e.message for e in validator.iter_errors(example["value"])]
                if errors:
                    invalid.append((f"{method.upper()} {path}", kind, name, errors[:2]))
    assert invalid == []


def test_the_carriers_examples_are_kept(document):
    create = document["paths"][f"{V1}/carts"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert list(create) == ["seed"]
    submit = document["paths"][f"{V1}/carts/{{cartId}}/express-submit"]["post"]
    answers = submit["responses"]["200"]["content"]["application/json"]["examples"]
    assert answers["carrier"]["value"] == {  # reference §3.3
        "id": "177a1210-f019-11f0-a4f6-dd46c526bb51",
        "customerOrderId": "25-76826709685300",
        "state": "Submitted",
        "submissionDate": "2024-10-05T14:48:00.000Z",
        "orderSummaryAccessToken": "e2456215530fa8f6ddd1254a75482d08976559191",
    }
    assert set(answers["sandbox"]["value"]) == set(answers["carrier"]["value"])


def test_the_item_patch_body_is_a_merge_patch_of_an_item(document):
    operation = document["paths"][f"{V1}/carts/{{cartId}}/items/{{itemId}}"]["patch"]
    for media_type in ("application/merge-patch+json", "application/json"):
        validator = _validator(document, operation["requestBody"]["content"][media_type]["schema"])
        assert validator.is_valid({"quantity": 2, "characteristic": [{"name": "eSIM_Enabled", "value": "true"}]})
        assert validator.is_valid({"subscriberNumber": None})  # null removes a field
        assert not validator.is_valid({"quantity": "two"})
        assert not validator.is_valid({"action": "frobnicate"})
        assert not validator.is_valid(["quantity"])
        assert not validator.is_valid({"productOrderItemId": None})  # the item's id names it: never removed


def test_the_payment_methods_operation_says_what_it_does(document):
    operation = document["paths"][f"{V1}/payment-methods"]["post"]
    assert operation["operationId"] == "registerPaymentMethods"
    assert operation["summary"].startswith("Register Payment Methods")
    assert "`payment`" in operation["summary"]  # the carrier's name of it, for a partner who knows that one


def test_the_document_passes_openapi_spec_validator(document):
    validate(document)  # raises on the first error


# -- a rule set of our own, beyond the specification ---------------------------------------


def test_operation_ids_are_unique_camel_case_names(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-zA-Z0-9]*", i)] == []


def test_every_operation_has_a_summary_and_every_response_a_description(document):
    lacking = [
        (method, path, status)
        for method, path, operation in operations(document)
        for status, response in [
            ("summary", {"description": operation.get("summary")}),
            *operation["responses"].items(),
        ]
        if not response.get("description")
    ]
    assert lacking == []


def test_every_reference_resolves_and_every_schema_is_used(document):
    text = str(document)
    refs = set(re.findall(r"#/components/schemas/(\w+)", text))
    schemas = set(document["components"]["schemas"])
    assert refs - schemas == set()
    assert schemas - refs == set()


def test_closed_sets_are_named_schemas_so_model_names_are_distinct(document):
    """A generator names an inline set of values after its property: two `status` sets
    become `Status` and `Status1`. Named schemas leave it nothing to number."""
    inline = []
    for name, schema in document["components"]["schemas"].items():
        for prop, prop_schema in schema.get("properties", {}).items():
            for option in [prop_schema, prop_schema.get("items", {}), *prop_schema.get("anyOf", [])]:
                if option.get("enum", [""]) != [""]:
                    inline.append(f"{name}.{prop}")
    assert inline == []
    names = [name.lower() for name in document["components"]["schemas"]]
    assert len(names) == len(set(names))


def test_docs_serves_swagger_ui_over_this_document(served):
    page = served.get("/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert all(served.get(asset).status_code == 200 for asset in assets), assets
    assert "url: '/openapi.json'" in served.get("/docs/init.js").text
