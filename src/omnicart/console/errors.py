"""The console's refusals as pages: not signed in, not allowed, not found, bad input,
refused by a business rule, or the store unavailable (503 with Retry-After, as the API
answers). Never the API's JSON errors: a person reads these."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import redirect, render
from omnicart.console.session import Forbidden, NotSignedIn
from omnicart.domain.errors import (
    CartNotFound,
    DomainError,
    HubNotFound,
    OrderNotFound,
    StoreUnavailable,
    TextNotStorable,
)

Endpoint = Callable[[Request], Awaitable[Response]]
log = logging.getLogger("omnicart.console")

# A domain error's page: its status and title; any other is a business rule's refusal.
_PAGES: dict[type[DomainError], tuple[int, str]] = {
    CartNotFound: (404, "Not found"),
    OrderNotFound: (404, "Not found"),
    HubNotFound: (404, "Not found"),
    TextNotStorable: (400, "Invalid request"),
    StoreUnavailable: (503, "Unavailable"),
}


async def not_signed_in(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return redirect("/sign-in")
    return render(request, "error.html", 401, title="Not signed in", message="Sign in again.")


async def refused(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", 403, principal=None, title="Not allowed", message=str(exc))


async def domain_error(request: Request, exc: Exception) -> Response:
    status, title = next((page for kind, page in _PAGES.items() if isinstance(exc, kind)), (409, "Refused"))
    page = render(
        request, "error.html", status, title=title, message=str(exc) or title, code=getattr(exc, "code", None)
    )
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable: %s", exc.message)
        page.headers["Retry-After"] = str(exc.retry_after_seconds)
    return page


def guarded(handler: Endpoint) -> Endpoint:
    """The endpoint, with the console's refusals rendered as pages (not as API errors)."""

    async def endpoint(request: Request) -> Response:
        try:
            response: Response = await handler(request)
        except NotSignedIn as exc:
            return await not_signed_in(request, exc)
        except Forbidden as exc:
            return await refused(request, exc)
        except DomainError as exc:
            return await domain_error(request, exc)
        return response

    return endpoint
