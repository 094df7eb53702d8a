"""The client's orders query (`query_orders`), against a scripted transport: what it sends,
and that a query the server refused is an answer (its GraphQL errors), while omnicart's own
refusals stay errors. Against a live server: tests/kit/test_client.py."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from omnicart.client import AsyncClient, Client, OmnicartError
from omnicart.wire.order_query import GraphQLResponse, GraphQLResponseError, SourceLocation
from tests.kit.test_client_retries import FAST, scripted

QUERY = "query($id: String) { getOrders(filter: {orderId: $id}) { orders { orderId } } }"
FOUND = {"data": {"getOrders": {"orders": [{"orderId": "26-00000000000001"}]}}}
REFUSED = {
    "errors": [
        {
            "message": "Cannot query field 'nope' on type 'Order'.",
            "locations": [{"line": 1, "column": 32}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }
    ]
}


def test_sends_the_query_its_variables_and_operation_name_without_an_idempotency_key():
    transport, seen = scripted(httpx.Response(200, json=FOUND), httpx.Response(200, json=FOUND))
    with Client("http://omnicart", api_key="k", transport=transport) as client:
        answer = client.query_orders(QUERY, {"id": "26-00000000000001"}, operation_name="Q")
        client.query_orders("{ getOrders { pageInfo { pageSize } } }")
    assert answer == GraphQLResponse(data=FOUND["data"])
    assert (seen[0].method, seen[0].url.path) == ("POST", "/omni-svcs/v1/orders/query")
    assert json.loads(seen[0].content) == {
        "query": QUERY,
        "variables": {"id": "26-00000000000001"},
        "operationName": "Q",
    }
    assert json.loads(seen[1].content) == {"query": "{ getOrders { pageInfo { pageSize } } }"}
    assert "idempotency-key" not in seen[0].headers, "a query changes nothing: the server need keep no answer"


def test_a_refused_query_is_answered_with_its_errors():
    transport, _ = scripted(httpx.Response(400, json=REFUSED))
    with Client("http://omnicart", api_key="k", transport=transport) as client:
        answer = client.query_orders("{ getOrders { orders { orderId nope } } }")
    assert answer == GraphQLResponse(
        errors=[
            GraphQLResponseError(
                message="Cannot query field 'nope' on type 'Order'.",
                locations=[SourceLocation(1, 32)],
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        ]
    )


def test_omnicarts_own_refusals_raise():
    body = {"code": "OMNICART-GRAPHQL-0400", "message": "required field missing", "status": 400, "details": {}}
    transport, _ = scripted(httpx.Response(400, json=body), httpx.Response(403, json={**body, "status": 403}))
    with Client("http://omnicart", api_key="k", transport=transport) as client:
        with pytest.raises(OmnicartError) as bad:
            client.query_orders("{ getOrders { pageInfo { pageSize } } }")
        assert (bad.value.status, bad.value.code) == (400, "OMNICART-GRAPHQL-0400")
        with pytest.raises(OmnicartError) as forbidden:
            client.query_orders("{ getOrders { pageInfo { pageSize } } }")
        assert forbidden.value.status == 403


def test_a_query_is_retried_after_a_connection_error(monkeypatch):
    monkeypatch.setattr("omnicart.client.sync.time.sleep", lambda seconds: None)
    transport, seen = scripted(httpx.ConnectError("refused"), httpx.Response(200, json=FOUND))
    with Client("http://omnicart", api_key="k", retry=FAST, transport=transport) as client:
        assert client.query_orders(QUERY).data == FOUND["data"]
    assert len(seen) == 2


def test_the_async_client_answers_the_same():
    transport, seen = scripted(httpx.Response(200, json=FOUND), httpx.Response(400, json=REFUSED))

    async def run() -> list[GraphQLResponse]:
        async with AsyncClient("http://omnicart", api_key="k", transport=transport) as client:
            return [await client.query_orders(QUERY, {"id": "x"}), await client.query_orders("{ nope }")]

    found, refused = asyncio.run(run())
    assert found.data == FOUND["data"]
    assert [error.extensions for error in refused.errors] == [{"code": "GRAPHQL_VALIDATION_FAILED"}]
    assert json.loads(seen[0].content) == {"query": QUERY, "variables": {"id": "x"}}
