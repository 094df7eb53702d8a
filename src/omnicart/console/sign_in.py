"""Signing in with an API key (checked by the access service, as a bearer credential
would be) and signing out. Tries are limited per key id and per address, in the same
buckets as /oauth/token's (access/attempts.py)."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response

from omnicart.console.rendering import redirect, render
from omnicart.console.session import close_session, open_session, read_form
from omnicart.domain.credentials import CredentialsRejected, split_key
from omnicart.runtime import client_address, services_of, sign_in_attempts_of


async def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html")


async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    key = form.get("key", "").strip()
    parts = split_key(key)
    refused = await sign_in_attempts_of(request.scope).attempt(
        parts[0] if parts else None, client_address(request.scope)
    )
    if refused is not None:
        retry_after = max(1, math.ceil(refused.wait))
        refusal = render(
            request, "sign_in.html", 429, error=f"Too many sign-in attempts; try again in {retry_after} s."
        )
        refusal.headers["Retry-After"] = str(retry_after)
        return refusal
    try:
        principal = await services_of(request.scope).access.authenticate(key)
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
