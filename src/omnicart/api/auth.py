"""Who is calling, and may they: authentication once per request, scope per route.

`Authentication` (pure ASGI, before routing) turns the `Authorization: Bearer …` header
into a Principal on the ASGI scope, or answers 401 with an RFC 6750 challenge. Public
paths (api/scopes.py) pass untouched. In sandbox mode a request *without* credentials
acts for the sandbox partner with every scope; credentials that are sent are still
checked, so a sandbox can host several partners.

`protect(routes)` puts a guard in front of every non-public route that answers 403
`insufficient_scope` unless the principal holds the scope the operation requires. It
runs after routing, so it knows the route's template and answers 404/405 first for
paths and methods that do not exist.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence

from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.context import PARTNER_KEY, PRINCIPAL_KEY, services_of, settings_of
from omnicart.api.errors import error_response
from omnicart.api.scopes import is_public, required_scope
from omnicart.domain.credentials import ALL_SCOPES, BEARER_TOKEN, CredentialsRejected, Principal, TokenExpired

log = logging.getLogger("omnicart.auth")

UNAUTHORIZED = "OMNICART-AUTH-0401"
FORBIDDEN = "OMNICART-AUTH-0403"
REALM = 'Bearer realm="omnicart"'


class MissingCredentials(CredentialsRejected):
    """No bearer credential at all: the challenge carries no error code (RFC 6750 §3.1)."""


def bearer_token(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    """The bearer token of the request; None when it sends no bearer credentials."""
    values = [value for name, value in headers if name == b"authorization"]
    if not values:
        return None
    if len(values) > 1:
        raise CredentialsRejected("more than one Authorization header")
    scheme, _, token = values[0].decode("latin-1").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    if not BEARER_TOKEN.fullmatch(token):  # also bounds the length before any hashing
        raise CredentialsRejected("malformed bearer token")
    return token


def unauthorized(exc: CredentialsRejected) -> tuple[str, dict[str, str]]:
    if isinstance(exc, MissingCredentials):
        return "authentication required: send Authorization: Bearer <API key or access token>", {
            "WWW-Authenticate": REALM
        }
    message = "the access token has expired" if isinstance(exc, TokenExpired) else "invalid credentials"
    return message, {"WWW-Authenticate": f'{REALM}, error="invalid_token", error_description="{message}"'}


class Authentication:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        settings = settings_of(scope)
        try:
            token = bearer_token(scope["headers"])
            if token is not None:
                principal = await services_of(scope).access.authenticate(token)
            elif settings.sandbox:
                principal = Principal(settings.sandbox_partner, ALL_SCOPES, "sandbox")
            else:
                raise MissingCredentials("no credentials")
        except CredentialsRejected as exc:
            if not isinstance(exc, MissingCredentials):
                # The reason, never the credential: a rejected token may be someone's real one.
                log.info("credentials rejected", extra={"reason": str(exc)})
            message, headers = unauthorized(exc)
            await error_response(401, UNAUTHORIZED, message, headers=headers)(scope, receive, send)
            return
        scope[PRINCIPAL_KEY] = principal
        scope[PARTNER_KEY] = principal.partner
        await self.app(scope, receive, send)


class RequireScope:
    """In front of one route: the principal must hold the operation's scope."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal: Principal | None = scope.get(PRINCIPAL_KEY)
        if principal is None:  # the middleware did not vouch for this request: fail closed
            message, headers = unauthorized(MissingCredentials("no principal"))
            await error_response(401, UNAUTHORIZED, message, headers=headers)(scope, receive, send)
            return
        needed = required_scope(scope["method"], self.path)
        if needed not in principal.scopes:
            await error_response(
                403,
                FORBIDDEN,
                f"this operation requires the scope {needed}",
                {"requiredScope": needed},
                headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{needed}"'},
            )(scope, receive, send)
            return
        await self.app(scope, receive, send)


def protect(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Guarded copies of the routes (the modules' own Route objects stay untouched, so
    every app built in a process guards once); route kinds the guard cannot cover are
    refused unless public."""
    guarded: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Route):
            if not is_public(route.path):
                route = copy.copy(route)
                route.app = RequireScope(route.app, route.path)
        elif not (isinstance(route, Mount) and is_public(route.path.rstrip("/") + "/")):
            raise TypeError(f"{route!r} cannot be scope-guarded: make it a Route or a public Mount")
        guarded.append(route)
    return guarded
