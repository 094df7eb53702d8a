"""Who is calling, and may they: authentication once per request, scope per operation.

`Authentication` (called by the edge, api/edge.py, before routing) turns the `Authorization: Bearer …` header
into a Principal on the ASGI scope, or answers 401 with an RFC 6750 challenge. Public
paths (the operations of api/operations/ that require no scope) pass untouched. In
sandbox mode a request *without* credentials acts for the sandbox partner with every
scope; credentials that are sent are still checked, so a sandbox can host several partners.

`authorize` is called by the dispatcher (api/routing.py) with the scope the operation
requires and refuses with 403 `insufficient_scope` unless the principal holds it. It runs
after routing, so paths and methods that do not exist answer 404/405 first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from starlette.responses import Response
from starlette.types import Scope

from omnicart.api.context import PARTNER_KEY, PRINCIPAL_KEY
from omnicart.api.errors import error_response
from omnicart.domain.credentials import (
    ALL_SCOPES,
    BEARER_TOKEN,
    CredentialsRejected,
    Principal,
    TokenExpired,
)
from omnicart.runtime import services_of, settings_of
from omnicart.wire.errors import ApiError

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
    def __init__(self, is_public: Callable[[str], bool]) -> None:
        self.is_public = is_public

    async def refusal(self, scope: Scope) -> Response | None:
        """Puts the caller's principal and partner in the scope; or the 401 that refuses it.
        Public paths pass untouched."""
        if self.is_public(scope["path"]):
            return None
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
            return error_response(401, UNAUTHORIZED, message, headers=headers)
        scope[PRINCIPAL_KEY] = principal
        scope[PARTNER_KEY] = principal.partner
        return None


def authorize(scope: Scope, needed: str | None) -> None:
    """Refuses the request unless its principal holds `needed` (None: a public operation)."""
    if needed is None:
        return
    principal: Principal | None = scope.get(PRINCIPAL_KEY)
    if principal is None:  # the edge did not vouch for this request: fail closed
        message, headers = unauthorized(MissingCredentials("no principal"))
        raise ApiError(401, UNAUTHORIZED, message, headers=headers)
    if needed not in principal.scopes:
        raise ApiError(
            403,
            FORBIDDEN,
            f"this operation requires the scope {needed}",
            {"requiredScope": needed},
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{needed}"'},
        )
