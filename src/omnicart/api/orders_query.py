"""The carrier's orders query over HTTP (BYOD solution v1.0.0). Translation only: the
GraphQL machinery is api/graphql/, the use case services/order_query.py.

- `POST /omni-svcs/v1/orders/query` (carrier; partner-omni-apis.att.com on the carrier's
  side, omnicart's one host here): GraphQL over HTTP, `{"query", "variables"?,
  "operationName"?}`. A body that is no GraphQL request at all (not JSON, no `query`
  string, over the limits) answers in omnicart's error format, `OMNICART-GRAPHQL-0400`;
  a query that fails answers the GraphQL way (api/graphql/execution.py).
- `GET /omni-svcs/v1/orders/query/schema` (omnicart's own): the schema, as SDL.

The carrier's headers `idp-trace-id`, `idpctx-session-id`, `serviceType` and `topics` are
accepted, never acted on; all but the session id are logged with the request.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import partner_of, principal_of
from omnicart.api.graphql.execution import run
from omnicart.api.graphql.schema import SDL, QueryContext
from omnicart.api.requests import decode_body
from omnicart.domain.credentials import CUSTOMERS_READ
from omnicart.runtime import services_of, settings_of
from omnicart.wire.limits import body_limits
from omnicart.wire.order_query import GraphQLRequest

log = logging.getLogger("omnicart.orders_query")
# The carrier's headers worth a log line (header, log field); never `idpctx-session-id`,
# a session is a credential of the caller's own.
TRACED_HEADERS = (("idp-trace-id", "idp_trace_id"), ("serviceType", "service_type"), ("topics", "topics"))


async def query_orders(request: Request) -> Response:
    services = services_of(request.scope)
    limits = services.carts.limits
    body = await decode_body(request, GraphQLRequest, body_limits(GraphQLRequest, limits))
    traced = {key: request.headers[name] for name, key in TRACED_HEADERS if name in request.headers}
    if traced:
        log.info("orders query", extra={**traced, "operation": body.operationName})
    context = QueryContext(
        owner=partner_of(request),
        service=services.order_query,
        personal_data=CUSTOMERS_READ in principal_of(request).scopes,
    )
    status, answer = await run(body, context, introspection=settings_of(request.scope).sandbox)
    return Response(answer, status_code=status, media_type="application/json")


async def schema(request: Request) -> Response:
    return Response(SDL, media_type="text/plain; charset=utf-8")
