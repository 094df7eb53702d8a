"""The orders query's schema, schema first: the SDL in `orders.graphql` beside this module
(published at GET /omni-svcs/v1/orders/query/schema) is the schema, built by graphql-core;
this module binds the two resolvers that do more than read a field of the views
(domain/order_query.py): `getOrders`, which asks the use case for the page, and
`Customer.firstName`, which asks the customer directory, once per customer per request.

Expected failures become GraphQL errors of their field with `extensions.code`; anything
else is raised again after the execution (api/graphql/execution.py) and answered as any
other endpoint's failure would be (503 for a store that is unavailable).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from graphql import GraphQLError, GraphQLObjectType, GraphQLResolveInfo, build_schema

from omnicart.api.graphql.limits import MAX_RESOLVED, TOO_COMPLEX, resolved_values
from omnicart.domain.errors import DownstreamFailure, ProviderMissing
from omnicart.domain.order_query import CustomerRef, FilterError, OrderPage, OrdersFilter
from omnicart.domain.world import Customer
from omnicart.services.order_query import OrderQueryService

SDL = (files("omnicart.api.graphql") / "orders.graphql").read_text(encoding="utf-8")
SCHEMA = build_schema(SDL)

BAD_USER_INPUT = "BAD_USER_INPUT"
FORBIDDEN = "FORBIDDEN"
PROVIDER_MISSING = "PROVIDER_MISSING"
DOWNSTREAM_FAILURE = "DOWNSTREAM_FAILURE"


class FieldError(GraphQLError):
    """An expected failure of one field: its value is null and the answer says why."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


@dataclass
class QueryContext:
    """What the resolvers of one request share: who asks (`owner`, and whether the
    credential may read personal data, scope customers:read), the use case, how many values
    the request has resolved so far, and the directory's answers already asked for."""

    owner: str
    service: OrderQueryService
    personal_data: bool
    resolved: int = 0
    customers: dict[str, asyncio.Future[Customer | None]] = field(default_factory=dict)

    def customer(self, customer_id: str) -> asyncio.Future[Customer | None]:
        found = self.customers.get(customer_id)
        if found is None:
            found = self.customers[customer_id] = asyncio.ensure_future(self.service.customer(customer_id))
        return found

    def spend(self, values: int) -> None:
        self.resolved += values
        if self.resolved > MAX_RESOLVED:
            raise FieldError(
                f"this request would resolve {self.resolved} values, more than the {MAX_RESOLVED} allowed:"
                " select fewer fields or ask for a smaller limit",
                TOO_COMPLEX,
            )


async def get_orders(_: Any, info: GraphQLResolveInfo, filter: dict[str, Any] | None = None) -> OrderPage:
    context: QueryContext = info.context
    try:
        page = await context.service.get_orders(context.owner, OrdersFilter(**(filter or {})))
    except FilterError as bad:
        raise FieldError(str(bad), BAD_USER_INPUT, field=f"filter.{bad.field}") from None
    context.spend(resolved_values(info, page))
    return page


async def first_name(customer: CustomerRef, info: GraphQLResolveInfo) -> str | None:
    context: QueryContext = info.context
    if not context.personal_data:
        raise FieldError("customer.firstName is personal data: it needs the scope customers:read", FORBIDDEN)
    try:
        found = await context.customer(customer.id)
    except ProviderMissing as missing:
        raise FieldError(missing.message, PROVIDER_MISSING) from None
    except DownstreamFailure as failed:
        raise FieldError(failed.message, DOWNSTREAM_FAILURE) from None
    return None if found is None else found.givenName


def _bind(type_name: str, field_name: str, resolver: Any) -> None:
    kind = SCHEMA.get_type(type_name)
    assert isinstance(kind, GraphQLObjectType), type_name
    kind.fields[field_name].resolve = resolver


_bind("Query", "getOrders", get_orders)
_bind("Customer", "firstName", first_name)
