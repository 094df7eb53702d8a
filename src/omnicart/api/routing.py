"""The routes, derived from the operation table (api/operations/).

One route per path, whatever methods it has, so that a 405 names every allowed method in
`Allow` (a route per operation would know only its own). The usual request never reaches
them: api/dispatch.py finds its operation first and calls `handle` itself; the routes
answer what it passes on (405, trailing-slash redirects, a mounted root path) and name
the API's paths for Starlette.

`handle` is what runs before the handler, in this order: the scope check (after routing,
so unknown paths and methods answer 404/405 first), `Accept` (api/negotiation.py), then
the query string, decoded into the operation's struct for `query_of(request)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from omnicart.api import queries
from omnicart.api.auth import authorize
from omnicart.api.context import QUERY_KEY
from omnicart.api.negotiation import check_accept
from omnicart.api.operation import CART_INPUT, Operation
from omnicart.api.requests import warnings_of
from omnicart.api.scenarios import scenarios_of
from omnicart.domain.errors import DownstreamFailure
from omnicart.domain.scenarios import DOWNSTREAM_FAILURE
from omnicart.observability import ROUTE_KEY
from omnicart.wire.errors import REQUIRED_FIELDS_MISSING, ApiError


async def handle(operation: Operation, request: Request) -> Response:
    scope = request.scope
    scope[ROUTE_KEY] = operation.path  # the template, not the raw path: a label, not an id
    authorize(scope, operation.scope)
    if operation.negotiated:
        check_accept(request.headers.get("accept"), operation.answer.media_type)
    pairs = request.query_params.multi_items() if scope["query_string"] else []
    scope[QUERY_KEY] = queries.decode(operation.query, pairs)
    if operation.downstream is None and operation.input_codes is CART_INPUT:
        return _with_warning(request, await operation.handler(request))
    try:
        if operation.downstream is not None and scenarios_of(request).get(DOWNSTREAM_FAILURE):
            raise DownstreamFailure(operation.provider or "downstream", "mock-scenario downstream_failure")
        return _with_warning(request, await operation.handler(request))
    except ApiError as exc:
        _answer_in_own_codes(operation, exc)
        raise
    except DownstreamFailure as exc:
        if exc.code == DownstreamFailure.code and operation.downstream is not None:
            exc.code = operation.downstream
        raise


def _with_warning(request: Request, response: Response) -> Response:
    """The answer with the request's Warning header (api/requests.py), where the handler did
    not send it already (a cart's answer records it for replays: services/answers.py)."""
    warning = warnings_of(request)
    if warning is not None and "warning" not in response.headers:
        response.headers["Warning"] = warning
    return response


def _answer_in_own_codes(operation: Operation, exc: ApiError) -> None:
    """The body decoding speaks Create Cart's input codes; an operation of another
    solution answers the carrier's codes of that solution instead."""
    if exc.status == 400 and exc.code in (CART_INPUT.missing, CART_INPUT.invalid):
        own = operation.input_codes
        exc.code = own.missing if exc.code == REQUIRED_FIELDS_MISSING else own.invalid


def methods_of(same_path: Iterable[Operation]) -> dict[str, Operation]:
    """The operations of one path by method; HEAD answers as GET does."""
    by_method = {operation.method: operation for operation in same_path}
    if "GET" in by_method:
        by_method["HEAD"] = by_method["GET"]
    return by_method


def routes(operations: Iterable[Operation]) -> list[Route]:
    """A literal segment is tried before a parameter in the same place, as api/dispatch.py
    does: `PUT …/orders/query` is a 405 of that path (Allow: POST), not of `…/orders/{orderId}`."""
    by_path: dict[str, list[Operation]] = {}
    for operation in operations:
        by_path.setdefault(operation.path, []).append(operation)
    ordered = sorted(by_path.items(), key=lambda found: [part.startswith("{") for part in found[0].split("/")])
    return [_route(path, methods_of(same_path)) for path, same_path in ordered]


def _route(path: str, by_method: dict[str, Operation]) -> Route:
    async def dispatch(request: Request) -> Response:
        return await handle(by_method[request.method], request)

    return Route(path, dispatch, methods=list(by_method), name=path)
