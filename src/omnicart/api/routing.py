"""The routes, derived from the operation table (api/operations.py).

One route per path, whatever methods it has, so that a 405 names every allowed method in
`Allow` (a route per operation would know only its own). Before the handler runs, in this
order: the scope check (after routing, so unknown paths and methods answer 404/405 first),
then the query string, decoded into the operation's struct for `query_of(request)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from omnicart.api import queries
from omnicart.api.auth import authorize
from omnicart.api.context import QUERY_KEY, ROUTE_KEY
from omnicart.api.operations import Operation


def routes(operations: Iterable[Operation]) -> list[Route]:
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    return [_route(path, by_method) for path, by_method in by_path.items()]


def _route(path: str, by_method: dict[str, Operation]) -> Route:
    if "GET" in by_method:
        by_method["HEAD"] = by_method["GET"]

    async def dispatch(request: Request) -> Response:
        operation = by_method[request.method]
        request.scope[ROUTE_KEY] = path  # the template, not the raw path: a label, not an id
        authorize(request.scope, operation.scope)
        pairs = request.query_params.multi_items() if request.scope["query_string"] else []
        request.scope[QUERY_KEY] = queries.decode(operation.query, pairs)
        return await operation.handler(request)

    return Route(path, dispatch, methods=list(by_method), name=path)
