"""The carrier's orders query on the wire (`POST /omni-svcs/v1/orders/query`, BYOD solution
v1.0.0): GraphQL over HTTP with `application/json` bodies, a `GraphQLRequest` in and a
`GraphQLResponse` out, as the GraphQL-over-HTTP specification shapes them. What `data`
holds is the query's own choice of fields (the schema: api/graphql/orders.graphql)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import UNSET, Meta, UnsetType


class GraphQLRequest(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The carrier's `{"query": "<GraphQL>"}`, with the optional parameters of a
    GraphQL-over-HTTP request."""

    query: Annotated[str, Meta(description="A GraphQL document: the operations (and fragments) to run")]
    variables: dict[str, Any] | None = None
    operationName: str | None = None
    extensions: dict[str, Any] | None = None

    # A query is longer than the strings of other bodies may be: this body's strings may be
    # as long as this, or OMNICART_MAX_STRING_LENGTH if that is longer.
    MAX_STRING_LENGTH: ClassVar[int] = 16 * 1024


class SourceLocation(msgspec.Struct, frozen=True):
    line: int
    column: int


class GraphQLResponseError(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A GraphQL error: `extensions.code` says which kind (GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED, QUERY_TOO_DEEP, QUERY_TOO_COMPLEX, INTROSPECTION_DISABLED,
    OPERATION_RESOLUTION_FAILURE, BAD_USER_INPUT, FORBIDDEN, PROVIDER_MISSING,
    DOWNSTREAM_FAILURE); a field's error has its `path`."""

    message: str
    locations: list[SourceLocation] | UnsetType = UNSET
    path: list[str | int] | UnsetType = UNSET
    extensions: dict[str, Any] | UnsetType = UNSET


class GraphQLResponse(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    """`errors` (absent when there are none) and `data` (absent when the request failed
    before running: a 400)."""

    errors: list[GraphQLResponseError] | UnsetType = UNSET
    data: dict[str, Any] | UnsetType | None = UNSET
    extensions: dict[str, Any] | UnsetType = UNSET
