"""The carrier's orders query over HTTP (issue 19), what it refuses, on each database: a
query that does not parse, validate or run answers 400 with GraphQL errors and no data; one
that asks for too much is stopped by the limits (docs/orders-query.md, "Limits"); a body
that is no GraphQL request answers omnicart's error format; both status profiles."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from hypothesis_graphql import queries
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from omnicart.api.graphql.schema import SDL
from omnicart.config import Settings
from omnicart.domain.errors import StoreUnavailable
from tests.api.conftest import CARTS, assert_error, complete_configuration, sandbox_settings, submit_url
from tests.carts import line
from tests.conftest import SEED_REQUEST
from tests.credentials import AUTH
from tests.orders_query import (
    JORDAN,
    NUMBERS,
    QUERY,
    data,
    gql,
    number_orders,
    numbers_of,
    place_orders,
)

FUZZ = examples(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def settings(database_url: str) -> Settings:
    return sandbox_settings(database_url)


@pytest.fixture(autouse=True)
def _numbered(client, clock):
    """Every test runs on the fake clock, its orders numbered."""
    number_orders(client)


@pytest.fixture
def placed(client, clock) -> dict[str, dict]:
    return place_orders(client, clock)


class TestRefusals:
    """Queries that cannot run: 400, GraphQL errors, no data, nothing looked up."""

    def refused(self, client, query: str, variables: dict | None = None, **kwargs) -> list[dict]:
        response = gql(client, query, variables, **kwargs)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/json"
        assert set(response.json()) == {"errors"}, response.text
        return response.json()["errors"]

    def test_a_syntax_error(self, client):
        assert self.refused(client, "{ getOrders { orders { orderId ") == [
            {
                "message": "Syntax Error: Expected Name, found <EOF>.",
                "locations": [{"line": 1, "column": 32}],
                "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
            }
        ]

    def test_an_unknown_field(self, client):
        assert self.refused(client, "{ getOrders { orders { orderId nope } } }") == [
            {
                "message": "Cannot query field 'nope' on type 'Order'.",
                "locations": [{"line": 1, "column": 32}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]

    def test_an_argument_of_the_wrong_type(self, client):
        assert self.refused(client, '{ getOrders(filter: {limit: "ten"}) { orders { orderId } } }') == [
            {
                "message": 'Int cannot represent non-integer value: "ten"',
                "locations": [{"line": 1, "column": 29}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]

    def test_a_variable_of_the_wrong_type(self, client):
        query = "query($limit: Int) { getOrders(filter: {limit: $limit}) { orders { orderId } } }"
        assert self.refused(client, query, {"limit": "ten"}) == [
            {
                "message": "Variable '$limit' got invalid value 'ten'; Int cannot represent non-integer value: 'ten'",
                "locations": [{"line": 1, "column": 7}],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]

    def test_a_mutation(self, client):
        assert self.refused(client, "mutation { getOrders { orders { orderId } } }") == [
            {
                "message": "this endpoint runs queries only (no mutations, no subscriptions)",
                "extensions": {"code": "OPERATION_RESOLUTION_FAILURE"},
            }
        ]

    def test_an_operation_name_the_document_lacks_or_needs(self, client):
        document = "query A { getOrders { pageInfo { pageSize } } } query B { getOrders { pageInfo { pageNumber } } }"
        assert self.refused(client, document) == [
            {
                "message": "the document holds several operations: operationName must say which one to run",
                "extensions": {"code": "OPERATION_RESOLUTION_FAILURE"},
            }
        ]
        response = client.post(QUERY, json={"query": document, "operationName": "C"})
        assert response.json() == {
            "errors": [
                {
                    "message": "the document has no operation named 'C'",
                    "extensions": {"code": "OPERATION_RESOLUTION_FAILURE"},
                }
            ]
        }
        response = client.post(QUERY, json={"query": document, "operationName": "B"})
        assert response.json() == {"data": {"getOrders": {"pageInfo": {"pageNumber": 1}}}}

    def test_fields_nested_more_than_ten_deep(self, client):
        query = (
            "{ getOrders { orders { products { items { deviceDetails { model { a { b { c { d { e } } } } } } } } } } }"
        )
        errors = self.refused(client, query)
        assert errors[0] == {
            "message": "the operation nests fields 11 deep; at most 10 levels are allowed",
            "locations": [{"line": 1, "column": 1}],
            "extensions": {"code": "QUERY_TOO_DEEP"},
        }
        assert {error["extensions"]["code"] for error in errors[1:]} == {"GRAPHQL_VALIDATION_FAILED"}
        # Ten levels are allowed (this query is refused for what its last levels select).
        ten = self.refused(client, query.replace("{ c { d { e } } }", "c"))
        assert "QUERY_TOO_DEEP" not in {error["extensions"]["code"] for error in ten}

    def test_more_than_two_hundred_fields_counting_aliases(self, client, placed):
        two_hundred = " ".join(f"n{i}: orderId" for i in range(198))
        found = data(client, f"{{ getOrders(filter: {{limit: 1}}) {{ orders {{ {two_hundred} }} }} }}")
        assert found["getOrders"]["orders"] == [{f"n{i}": "26-00000000000004" for i in range(198)}]
        fields = " ".join(f"n{i}: orderId" for i in range(199))
        assert self.refused(client, f"query Big {{ getOrders {{ orders {{ {fields} }} }} }}") == [
            {
                "message": "operation Big selects 201 fields (aliases and fragments counted where used);"
                " at most 200 are allowed",
                "locations": [{"line": 1, "column": 1}],
                "extensions": {"code": "QUERY_TOO_COMPLEX"},
            }
        ]

    def test_fragments_count_each_time_they_are_spread(self, client, placed):
        # 2 fields, and then 3 x 10 for each spread of A: a short text can ask for many.
        query = (
            "{ getOrders { orders { SPREADS } } }"
            " fragment A on Order { ...B ...B ...B } fragment B on Order { "
            + " ".join(f"b{i}: orderId" for i in range(10))
            + " }"
        )
        six = data(client, query.replace("SPREADS", "...A " * 6))  # 182 fields
        assert six["getOrders"]["orders"][0] == {f"b{i}": "26-00000000000004" for i in range(10)}
        assert self.refused(client, query.replace("SPREADS", "...A " * 7)) == [
            {
                "message": "the operation selects 212 fields (aliases and fragments counted where used);"
                " at most 200 are allowed",
                "locations": [{"line": 1, "column": 1}],
                "extensions": {"code": "QUERY_TOO_COMPLEX"},
            }
        ]

    def test_fragments_that_spread_each_other_or_nothing(self, client):
        query = (
            "{ getOrders { orders { ...A ...C } } } fragment A on Order { orderId ...B } fragment B on Order { ...A }"
        )
        assert self.refused(client, query) == [
            {
                "message": "Unknown fragment 'C'.",
                "locations": [{"line": 1, "column": 32}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            },
            {
                "message": "Cannot spread fragment 'A' within itself via 'B'.",
                "locations": [{"line": 1, "column": 70}, {"line": 1, "column": 99}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            },
        ]

    def test_more_than_five_get_orders(self, client):
        five = "{ " + " ".join(f"q{i}: getOrders {{ pageInfo {{ pageSize }} }}" for i in range(5)) + " }"
        assert data(client, five) == {f"q{i}": {"pageInfo": {"pageSize": 20}} for i in range(5)}
        query = five.replace("q4", "q4: getOrders { pageInfo { pageSize } } q5")
        assert self.refused(client, query) == [
            {
                "message": "the operation runs getOrders 6 times; at most 5 are allowed",
                "locations": [{"line": 1, "column": 1}],
                "extensions": {"code": "QUERY_TOO_COMPLEX"},
            }
        ]

    def test_a_query_of_more_than_two_thousand_tokens(self, client):
        query = "{ getOrders { orders { " + "orderId " * 2000 + "} } }"
        assert self.refused(client, query) == [
            {
                "message": "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
                "locations": [{"line": 1, "column": 23 + 1995 * 8 + 1}],  # the 2001st token
                "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
            }
        ]

    def test_introspection_outside_sandbox_mode(self, settings):
        production = dataclasses.replace(settings, sandbox=False)
        with TestClient(create_app(production), raise_server_exceptions=False, headers=AUTH) as client:
            assert self.refused(client, '{ __type(name: "PageInfo") { name } }') == [
                {
                    "message": "GraphQL introspection has been disabled, but the requested query contained the"
                    " field '__type'.",
                    "locations": [{"line": 1, "column": 3}],
                    "extensions": {"code": "INTROSPECTION_DISABLED"},
                }
            ]


class TestWhatAPageMayCost:
    QUERY = (
        "{ getOrders(filter: {limit: LIMIT}) { orders { orderId products { items { deviceDetails { model } } } } } }"
    )

    def test_a_page_that_would_resolve_too_many_values_is_an_error(self, client, placed, monkeypatch):
        # getOrders, orders; per order orderId and products (3 x 2); per product items (3);
        # per item deviceDetails (4 + 1 + 4); per device model (2 + 0 + 1): 23 values.
        monkeypatch.setattr("omnicart.api.graphql.schema.MAX_RESOLVED", 22)
        response = gql(client, self.QUERY.replace("LIMIT", "3"))
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": "this request would resolve 23 values, more than the 22 allowed: select fewer fields"
                    " or ask for a smaller limit",
                    "locations": [{"line": 1, "column": 3}],
                    "path": ["getOrders"],
                    "extensions": {"code": "QUERY_TOO_COMPLEX"},
                }
            ],
            "data": {"getOrders": None},
        }
        # The two newest, the BYOD swap and the fiber order: 2 + 4 + 2 + 5 + 2 = 15 values.
        found = data(client, self.QUERY.replace("LIMIT", "2"))
        assert numbers_of(found) == ["26-00000000000004", "26-00000000000002"]

    def test_the_budget_is_the_whole_requests(self, client, placed, monkeypatch):
        # Each getOrders resolves 5 values (getOrders, orders, 3 orderIds): the second one is over.
        monkeypatch.setattr("omnicart.api.graphql.schema.MAX_RESOLVED", 9)
        response = gql(client, "{ a: getOrders { orders { orderId } } b: getOrders { orders { orderId } } }")
        answered = response.json()
        assert [error["extensions"]["code"] for error in answered["errors"]] == ["QUERY_TOO_COMPLEX"]
        assert sorted(answered["data"].values(), key=bool) == [
            None,
            {"orders": [{"orderId": n} for n in ("26-00000000000004", "26-00000000000002", "26-00000000000001")]},
        ]


class TestIntrospectionInTheSandbox:
    def test_the_schema_is_introspected_as_published(self, client):
        from graphql import build_client_schema, build_schema, get_introspection_query, print_schema

        introspected = data(client, get_introspection_query(descriptions=True, schema_description=True))
        published = client.get(f"{QUERY}/schema")
        assert published.status_code == 200
        assert published.headers["content-type"] == "text/plain; charset=utf-8"
        assert print_schema(build_client_schema(introspected)) == print_schema(build_schema(published.text))

    def test_a_type_as_introspection_shows_it(self, client):
        assert data(client, '{ __type(name: "PageInfo") { fields { name type { kind name } } } }') == {
            "__type": {
                "fields": [
                    {"name": "totalCount", "type": {"kind": "SCALAR", "name": "Int"}},
                    {"name": "pageSize", "type": {"kind": "NON_NULL", "name": None}},
                    {"name": "pageNumber", "type": {"kind": "NON_NULL", "name": None}},
                ]
            }
        }


class TestNotAGraphQLRequest:
    """omnicart's error format, code OMNICART-GRAPHQL-0400: nothing to run."""

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "query"),
            ({"variables": {}}, "query"),
            ({"query": 5}, "query"),
            ({"query": ["{ a }"]}, "query"),
            ({"query": "{ getOrders { pageInfo { pageSize } } }", "variables": []}, "variables"),
            ({"query": "{ getOrders { pageInfo { pageSize } } }", "operationName": 3}, "operationName"),
        ],
    )
    def test_missing_or_mistyped_parameters(self, client, body, field):
        assert_error(client.post(QUERY, json=body), 400, "OMNICART-GRAPHQL-0400", field=field)

    def test_a_body_that_is_not_json(self, client):
        response = client.post(QUERY, content=b"{ getOrders }", headers={"Content-Type": "application/json"})
        assert_error(response, 400, "OMNICART-GRAPHQL-0400")
        response = client.post(QUERY, content=b"{ getOrders }", headers={"Content-Type": "application/graphql"})
        assert_error(response, 415, "OMNICART-REQUEST-0002")

    def test_a_query_longer_than_sixteen_kib(self, client):
        response = client.post(QUERY, json={"query": "{ getOrders { pageInfo { pageSize } } }" + " " * 16_384})
        assert_error(response, 422, "OMNICART-LIMIT-0001", field="query")

    def test_a_store_that_is_unavailable_is_a_503(self, client):
        class Down:
            async def find_orders(self, *args):
                raise StoreUnavailable("the cart store is busy")

        client.app.state.services.order_query.store = Down()
        response = gql(client, "{ getOrders { pageInfo { pageSize } } }")
        assert_error(response, 503, "OMNICART-STORE-0503")
        assert response.headers["retry-after"] == "1"

    def test_a_bug_is_a_500_that_tells_nothing(self, client):
        class Broken:
            async def find_orders(self, *args):
                raise ValueError("secret internals")

        client.app.state.services.order_query.store = Broken()
        response = gql(client, "{ getOrders { pageInfo { pageSize } } }")
        assert_error(response, 500, "OMNICART-INTERNAL-0500")
        assert "secret" not in response.text


class TestProfiles:
    @pytest.fixture(params=["omnicart", "carrier"])
    def profiled(self, request, settings):
        chosen = dataclasses.replace(settings, profile=request.param)
        with TestClient(create_app(chosen), raise_server_exceptions=False, headers=AUTH) as client:
            yield client, request.param

    def test_answers_and_refusals_are_the_same_in_both_profiles(self, profiled):
        client, _ = profiled
        assert gql(client, f"{{ getOrders {NUMBERS} }}").json() == {
            "data": {"getOrders": {"orders": [], "pageInfo": {"totalCount": 0, "pageSize": 20, "pageNumber": 1}}}
        }
        refused = gql(client, "{ getOrders { nope } }")
        assert (refused.status_code, refused.json()["errors"][0]["extensions"]) == (
            400,
            {"code": "GRAPHQL_VALIDATION_FAILED"},
        )

    def test_a_body_that_is_not_json_is_a_400_in_the_carriers_profile(self, profiled):
        client, profile = profiled
        response = client.post(QUERY, content=b"{}", headers={"Content-Type": "text/plain"})
        assert_error(response, {"omnicart": 415, "carrier": 400}[profile], "OMNICART-REQUEST-0002")


class TestOutsideTheSandbox:
    def test_without_a_customer_directory_names_are_errors_and_nothing_is_made_up(self, settings):
        production = dataclasses.replace(settings, sandbox=False)
        with TestClient(create_app(production), raise_server_exceptions=False, headers=AUTH) as client:
            created = client.post(CARTS, json={**SEED_REQUEST, "items": line()}).json()
            complete_configuration(client, created["id"])
            assert client.post(submit_url(created["id"])).status_code == 200
            response = gql(client, "{ getOrders { orders { customer { id firstName } pointOfNoReturnDate } } }")
        assert response.status_code == 200
        assert response.json() == {
            "errors": [
                {
                    "message": "no customer directory provider is configured: set OMNICART_PROVIDERS"
                    " (docs/providers.md)",
                    "locations": [{"line": 1, "column": 38}],
                    "path": ["getOrders", "orders", 0, "customer", "firstName"],
                    "extensions": {"code": "PROVIDER_MISSING"},
                }
            ],
            # No simulated fulfilment: nothing plans the order's end.
            "data": {
                "getOrders": {"orders": [{"customer": {"id": JORDAN, "firstName": None}, "pointOfNoReturnDate": None}]}
            },
        }


class TestGeneratedQueries:
    """hypothesis-graphql writes valid queries from the published schema (random filter
    values, aliases, fragments); others are text made of GraphQL's tokens, mostly broken.
    None may answer a 5xx; each answers
    the GraphQL way (200 with data, or 400 with errors only) or, for a value no request
    may carry (a NUL character), omnicart's error format."""

    @staticmethod
    def check(client, query: str) -> None:
        response = client.post(QUERY, json={"query": query})
        assert response.status_code in (200, 400, 422), (query, response.text[:300])
        body = response.json()
        if response.status_code == 200:
            assert "data" in body, body
        elif "errors" in body:
            assert "data" not in body and body["errors"], body
        else:
            assert {"code", "message", "status", "details"} == set(body), body

    @FUZZ
    @given(query=queries(SDL))
    def test_valid_ones(self, client, placed, query):
        self.check(client, query)

    @FUZZ
    @given(query=st.text(alphabet='{}()[]:$!@.,= \n"abc_019getOrdersfilterlimit', max_size=120))
    def test_text_made_of_graphql_tokens(self, client, query):
        self.check(client, query)
