"""Signing in with an API key (checked by the access service, as a bearer credential
would be) and signing out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import redirect, render
from omnicart.console.session import close_session, open_session, read_form
from omnicart.domain.credentials import CredentialsRejected
from omnicart.runtime import services_of


async def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html")


async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    try:
        principal = await services_of(request.scope).access.authenticate(form.get("key", "").strip())
    except CredentialsRejected:
        return render(request, "sign_in.html", 401, error="That API key is not valid (unknown, revoked or mistyped).")
    response = redirect("/carts")
    open_session(response, request, principal)
    return response


async def sign_out(request: Request) -> Response:
    await read_form(request)
    response = redirect("/sign-in")
    close_session(response)
    return response
