"""The console's refusals as pages: not signed in, not allowed, not found or refused by a
business rule. Never the API's JSON errors: a person reads these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import redirect, render
from omnicart.console.session import Forbidden, NotSignedIn
from omnicart.domain.errors import CartNotFound, DomainError, HubNotFound, OrderNotFound

Endpoint = Callable[[Request], Awaitable[Response]]


async def not_signed_in(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return redirect("/sign-in")
    return render(request, "error.html", 401, title="Not signed in", message="Sign in again.")


async def refused(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", 403, principal=None, title="Not allowed", message=str(exc))


async def domain_error(request: Request, exc: Exception) -> Response:
    missing = isinstance(exc, CartNotFound | OrderNotFound | HubNotFound)
    title = "Not found" if missing else "Refused"
    return render(
        request,
        "error.html",
        404 if missing else 409,
        title=title,
        message=str(exc) or title,
        code=getattr(exc, "code", None),
    )


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
