"""Running one GraphQL request, as the GraphQL-over-HTTP specification answers it with
`application/json` (docs/orders-query.md, "Errors"):

- a document that does not parse, fails validation (the standard rules, the limits of
  api/graphql/limits.py, introspection outside sandbox mode) or cannot run (no such
  operation, variables that do not fit) is a request error: 400, `errors` and no `data`;
- otherwise it runs: 200 with `data`, and `errors` for the fields that failed (null in
  `data`).

Parsing and validating a query is most of the work of a small one and partners send the
same few queries again and again: the outcome is kept per query text (`prepared`).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from types import CoroutineType
from typing import Any

import msgspec
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    MaxIntrospectionDepthRule,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)

from omnicart.api.graphql.limits import MAX_TOKENS, QueryLimits
from omnicart.api.graphql.schema import SCHEMA, QueryContext
from omnicart.wire.order_query import GraphQLRequest, GraphQLResponse, GraphQLResponseError, SourceLocation

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
BAD_USER_INPUT = "BAD_USER_INPUT"

_encode = msgspec.json.Encoder().encode


class NoIntrospection(NoSchemaIntrospectionCustomRule):
    """graphql-core's rule, its errors coded."""

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {"code": INTROSPECTION_DISABLED}
        super().report_error(error)


RULES = (*specified_rules, QueryLimits)
SANDBOX_RULES = (*RULES, MaxIntrospectionDepthRule)
PRODUCTION_RULES = (*RULES, NoIntrospection)


@functools.lru_cache(maxsize=256)
def prepared(query: str, introspection: bool) -> DocumentNode | tuple[GraphQLError, ...]:
    """The query's document, valid against the schema; or why it is not."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return (_coded(error, PARSE_FAILED),)
    except RecursionError:
        return (GraphQLError("the query nests too deeply to be read", extensions={"code": PARSE_FAILED}),)
    try:
        errors = validate(SCHEMA, document, SANDBOX_RULES if introspection else PRODUCTION_RULES)
    except RecursionError:
        errors = [GraphQLError("the query nests too deeply to be checked")]
    if errors:
        return tuple(_coded(error, VALIDATION_FAILED) for error in errors)
    return document


async def run(request: GraphQLRequest, context: QueryContext, *, introspection: bool) -> tuple[int, bytes]:
    """(HTTP status, body) of the request."""
    document = prepared(request.query, introspection)
    if isinstance(document, tuple):
        return 400, _answer(document)
    operation = get_operation_ast(document, request.operationName)
    if operation is None or operation.operation is not OperationType.QUERY:
        return 400, _answer([_unrunnable(document, request.operationName)])
    result = execute(
        SCHEMA,
        document,
        context_value=context,
        variable_values=request.variables,
        operation_name=request.operationName,
        is_awaitable=_awaitable,
    )
    if inspect.isawaitable(result):
        result = await result
    assert isinstance(result, ExecutionResult)
    for error in result.errors or ():
        failure = error.original_error
        if failure is not None and not isinstance(failure, GraphQLError):
            raise failure  # not the query's fault: answered as any endpoint's failure is
    if result.data is None:  # the variables do not fit the operation: nothing ran
        return 400, _answer([_coded(error, BAD_USER_INPUT) for error in result.errors or ()])
    return 200, _answer(result.errors or (), result.data)


def _awaitable(value: Any) -> bool:
    """graphql-core asks this of every value it resolves; its own check is a third of the
    execution's time. Only the resolvers of schema.py return awaitables: coroutines and
    the futures of the directory's answers."""
    return type(value) is CoroutineType or isinstance(value, asyncio.Future)


def _unrunnable(document: DocumentNode, name: str | None) -> GraphQLError:
    if name is not None:
        message = f"the document has no operation named {name!r}"
    elif sum(1 for d in document.definitions if d.kind == "operation_definition") > 1:
        message = "the document holds several operations: operationName must say which one to run"
    else:
        message = "this endpoint runs queries only (no mutations, no subscriptions)"
    return GraphQLError(message, extensions={"code": OPERATION_RESOLUTION_FAILURE})


def _coded(error: GraphQLError, code: str) -> GraphQLError:
    if not error.extensions or "code" not in error.extensions:
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


def _answer(errors: Any, data: dict[str, Any] | None = None) -> bytes:
    answer = GraphQLResponse(errors=[_error(error) for error in errors]) if errors else GraphQLResponse()
    if data is not None:
        answer.data = data
    return _encode(answer)


def _error(error: GraphQLError) -> GraphQLResponseError:
    entry = GraphQLResponseError(message=error.message)
    if error.locations:
        entry.locations = [SourceLocation(location.line, location.column) for location in error.locations]
    if error.path is not None:
        entry.path = list(error.path)
    if error.extensions:
        entry.extensions = dict(error.extensions)
    return entry
