"""Who the console acts for, and the proof that a form came from the console.

- Sign-in exchanges an API key for a session cookie: HttpOnly, SameSite=Strict, signed
  with the app's OMNICART_JWT_SECRET, valid OMNICART_TOKEN_LIFETIME seconds. The key
  itself is never kept, its id is: a session lives no longer than its key (revoked, it
  is refused at once in the worker that revoked it, within OMNICART_KEY_CACHE_SECONDS
  in the others; `resume_session`). In sandbox mode a visitor without a session is the
  sandbox partner.
- CSRF: every form carries a token, the HMAC of a random cookie (signed double submit);
  a POST without the matching token answers 403, whoever the visitor is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from omnicart.domain.credentials import ALL_SCOPES, Principal
from omnicart.runtime import services_of, settings_of

PREFIX = "/console"  # where the console is mounted, and so the path of its cookies
SESSION_COOKIE = "omnicart_console"
CSRF_COOKIE = "omnicart_console_csrf"
MAX_FORM_BYTES = 16 * 1024
SESSION_KEY = "console.session"  # the scope's entry for the request's resumed session


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


def _secret(request: Request) -> bytes:
    secret = settings_of(request.scope).jwt_secret
    assert secret is not None  # create_app always sets one
    return secret.encode()


def _sign(request: Request, purpose: str, payload: str) -> str:
    mac = hmac.new(_secret(request), f"{purpose}|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


# -- the session -------------------------------------------------------------------------


def session_cookie(request: Request, principal: Principal) -> str:
    lifetime = settings_of(request.scope).token_lifetime
    session = {
        "p": principal.partner,
        "s": sorted(principal.scopes),
        "k": principal.credential,  # which key: an id, never a secret
        "e": int(time.time()) + lifetime,
    }
    payload = base64.urlsafe_b64encode(json.dumps(session).encode()).decode()
    return f"{payload}.{_sign(request, 'session', payload)}"


def open_session(response: Response, request: Request, principal: Principal) -> None:
    lifetime = settings_of(request.scope).token_lifetime
    _set_cookie(response, request, SESSION_COOKIE, session_cookie(request, principal), lifetime)


def close_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)


def _session(request: Request) -> Principal | None:
    """The principal of the request's session cookie: signed by us, not expired, of this
    format (a cookie from before sessions named their key is no session)."""
    payload, _, mac = request.cookies.get(SESSION_COOKIE, "").partition(".")
    # As bytes: compare_digest refuses a str with non-ASCII characters, which a cookie may hold.
    if not payload or not hmac.compare_digest(mac.encode(), _sign(request, "session", payload).encode()):
        return None
    session = json.loads(base64.urlsafe_b64decode(payload))
    if session["e"] <= time.time() or not isinstance(session.get("k"), str):
        return None
    return Principal(session["p"], frozenset(session["s"]), session["k"])


async def resume_session(request: Request) -> None:
    """The request's session, if it has one whose key still stands, for `principal_of`."""
    principal = _session(request)
    if principal is not None and await services_of(request.scope).access.credential_stands(principal):
        request.scope[SESSION_KEY] = principal


def with_session(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """The console endpoint, after its session is resumed."""

    async def endpoint(request: Request) -> Response:
        await resume_session(request)
        return await handler(request)

    return endpoint


def principal_of(request: Request) -> Principal:
    """The partner the console acts for: the session's, or in sandbox mode the sandbox partner."""
    principal: Principal | None = request.scope.get(SESSION_KEY)
    if principal is not None:
        return principal
    settings = settings_of(request.scope)
    if settings.sandbox:
        return Principal(settings.sandbox_partner, ALL_SCOPES, "sandbox")
    raise NotSignedIn()


def needs(principal: Principal, scope: str) -> None:
    if scope not in principal.scopes:
        raise Forbidden(f"this needs the scope {scope}")


# -- CSRF --------------------------------------------------------------------------------


def _csrf_nonce(request: Request) -> str:
    nonce = request.cookies.get(CSRF_COOKIE) or request.scope.get("console.csrf")
    if not nonce:
        nonce = request.scope["console.csrf"] = secrets.token_urlsafe(24)
    return nonce


def csrf_token(request: Request) -> str:
    """What a form of this page carries: the signed nonce of the visitor's CSRF cookie
    (a new nonce if it has none yet, which `keep_csrf_cookie` then sends)."""
    return _sign(request, "csrf", _csrf_nonce(request))


def keep_csrf_cookie(response: Response, request: Request) -> None:
    if CSRF_COOKIE not in request.cookies:
        _set_cookie(response, request, CSRF_COOKIE, _csrf_nonce(request), None)


async def read_form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token is checked."""
    body = b""
    async for chunk in request.stream():  # url-encoded, as every console form posts
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Forbidden("the form is too large")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not hmac.compare_digest(form.get("csrf", ""), _sign(request, "csrf", nonce)):
        raise Forbidden("the form's CSRF token is missing or wrong; reload the page and try again")
    return form
