"""The one error format of omnicart, and the mapping of every failure onto it.

Body: `{"code", "message", "status", "details"}` (spec/cart-api.md §9). `code` reuses the
carrier's EXTSALESOPS-… codes where one fits; `details.errors[]` names each bad field by
its path, e.g. `relatedParty[1].role`. No failure, expected or not, answers with a
traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from omnicart.api.responses import JSONResponse
from omnicart.domain import errors as domain
from omnicart.wire.errors import ApiError

log = logging.getLogger("omnicart.api")

DOMAIN_STATUS: dict[type[domain.DomainError], int] = {
    domain.CartNotFound: 404,
    domain.ItemNotFound: 404,
    domain.CartNotModifiable: 409,
    domain.DuplicateItemId: 409,
    domain.PreconditionFailed: 412,
    domain.LimitExceeded: 422,
    domain.StoreUnavailable: 503,
    domain.TextNotStorable: 400,
    domain.BundleNotATree: 400,
    domain.OrderNotFound: 404,
    domain.IllegalTransition: 409,
    domain.CartNotReady: 422,
    domain.SubmissionRejected: 422,
    domain.CartRejected: 422,
    domain.HubNotFound: 404,
    domain.InvalidHub: 400,
    domain.CustomerNotFound: 404,
    domain.InvalidSelection: 422,
    domain.ProviderMissing: 501,
    domain.DownstreamFailure: 502,
    domain.AddressNotUsable: 400,
    domain.AppointmentRefused: 409,
    domain.CreditApplicantMissing: 422,
    domain.CreditApplicantUnknown: 422,
}

_HTTP_CODES = {
    404: "OMNICART-REQUEST-0404",
    405: "OMNICART-REQUEST-0405",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {"code": code, "message": message, "status": status, "details": details or {}}
    return JSONResponse(body, status_code=status, headers=headers)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, domain.DomainError)
    status = next((code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind)), 422)
    if isinstance(exc, domain.StoreUnavailable):
        return store_unavailable(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, domain.PreconditionFailed):
        headers["ETag"] = exc.current_etag
    return error_response(status, exc.code, exc.message, exc.details, headers)


def store_unavailable(exc: domain.StoreUnavailable) -> Response:
    log.warning("store unavailable: %s", exc.message)
    return error_response(503, exc.code, exc.message, exc.details, {"Retry-After": str(exc.retry_after_seconds)})


def on_disconnect(scope: Any) -> None:
    """A client that goes away mid-request is its business, not an error of ours."""
    log.info("client disconnected before the request was read", extra={"path": scope.get("path")})


async def on_client_disconnect(request: Request, exc: Exception) -> Response:
    on_disconnect(request.scope)
    return Response(status_code=499)  # never reaches the client: for the access log only


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"OMNICART-REQUEST-0{exc.status_code}")
    return error_response(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "OMNICART-INTERNAL-0500", "internal error; the request id identifies it in the logs")


Handler = Callable[[Request, Exception], Awaitable[Response]]

handlers: dict[type[Exception], Handler] = {
    ClientDisconnect: on_client_disconnect,
    ApiError: on_api_error,
    domain.DomainError: on_domain_error,
    HTTPException: on_http_exception,
    Exception: on_unexpected,
}


def handler_for(exc: Exception) -> Handler | None:
    """The handler of the nearest class of `exc` that has one, as Starlette looks it up."""
    return next((handlers[kind] for kind in type(exc).__mro__ if kind in handlers), None)
