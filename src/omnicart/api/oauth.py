"""`POST /oauth/token`: OAuth2 client credentials (RFC 6749 §4.4).

The client is an API key: client_id = the key id (`ock_…`), client_secret = the part
after the dot (an OMNICART_API_KEYS key: client_id = the partner, client_secret = the
key). It authenticates with HTTP Basic (§2.3.1) or with client_id/client_secret in the
form body, and gets a short-lived signed access token for all or some of its scopes.

Errors carry the RFC's `error` and `error_description` (what OAuth client libraries
read) next to omnicart's own `code`, `message`, `status` and `details`.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.ratelimit import too_many
from omnicart.api.requests import read_body
from omnicart.api.responses import JSONResponse
from omnicart.domain.credentials import InvalidClient, InvalidScope, format_scopes
from omnicart.runtime import client_address, services_of, sign_in_attempts_of
from omnicart.wire.tokens import AccessToken, TokenError

MAX_FORM_BYTES = 4096
CLIENT_CREDENTIALS = "client_credentials"


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def _error(exc: OAuthError) -> Response:
    headers = {"Pragma": "no-cache"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="omnicart"'
    body = TokenError(
        code=f"OMNICART-AUTH-0{exc.status}",
        message=f"{exc.error}: {exc.description}",
        status=exc.status,
        error=exc.error,
        error_description=exc.description,
    )
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _form(body: bytes) -> dict[str, str]:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body), max_num_fields=16)
    except (UnicodeDecodeError, ValueError):
        raise OAuthError("invalid_request", "the body is not a valid form") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:  # RFC 6749 §3.2: no parameter more than once
            raise OAuthError("invalid_request", f"parameter {name} is repeated")
        form[name] = value
    return form


def _basic(header: str | None) -> tuple[str, str] | None:
    if header is None:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":  # e.g. a Bearer header a client sends everywhere: not client auth
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "malformed Basic credentials", 401) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client", "malformed Basic credentials", 401)
    # §2.3.1: both parts are form-urlencoded before being joined.
    return unquote_plus(client_id), unquote_plus(secret)


async def token(request: Request) -> Response:
    try:
        media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise OAuthError("invalid_request", "send the parameters as application/x-www-form-urlencoded")
        form = _form(await read_body(request, MAX_FORM_BYTES))
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required")
        if grant_type != CLIENT_CREDENTIALS:
            raise OAuthError("unsupported_grant_type", "only client_credentials is supported")
        basic = _basic(request.headers.get("authorization"))
        in_form = "client_id" in form or "client_secret" in form
        if basic and in_form:
            raise OAuthError("invalid_request", "authenticate the client one way only")
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if not client_id or not secret:
            raise OAuthError("invalid_client", "client authentication is required", 401)
        refused = await sign_in_attempts_of(request.scope).attempt(client_id, client_address(request.scope))
        if refused is not None:
            return too_many(refused.limit, refused.wait)
        try:
            issued = await services_of(request.scope).access.issue_token(client_id, secret, form.get("scope"))
        except InvalidClient:
            raise OAuthError("invalid_client", "unknown client or wrong secret", 401) from None
        except InvalidScope as exc:
            raise OAuthError("invalid_scope", str(exc)) from None
    except OAuthError as exc:
        return _error(exc)
    return JSONResponse(
        AccessToken(issued.access_token, "Bearer", issued.expires_in, format_scopes(issued.scopes)),
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
