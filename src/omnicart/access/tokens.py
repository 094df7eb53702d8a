"""OAuth2 access tokens: HS256-signed JWTs (RFC 9068) carrying the partner, the key they
were issued to and the granted scopes."""

from __future__ import annotations

import functools
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from omnicart.config import Settings
from omnicart.domain.credentials import (
    ApiKey,
    CredentialsRejected,
    InvalidScope,
    Principal,
    TokenExpired,
    format_scopes,
    parse_scopes,
)

ALGORITHM = "HS256"  # the only one accepted: no `alg` confusion, no `none`
TOKEN_TYPE = "at+jwt"  # RFC 9068: marks our access tokens apart from any other JWT
LEEWAY_SECONDS = 10  # clock skew tolerated on exp/iat between hosts
REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp", "jti", "scope", "client_id"]

log = logging.getLogger("omnicart")


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: frozenset[str]


def issue_access_token(key: ApiKey, scope: str | None, settings: Settings, now: datetime) -> IssuedToken:
    """A token for the key, with the requested subset of its scopes (all of them when
    `scope` is empty). Raises InvalidScope."""
    requested = parse_scopes(scope) if scope and scope.strip() else key.scopes
    if not requested <= key.scopes:
        raise InvalidScope(f"not granted to this client: {format_scopes(requested - key.scopes)}")
    lifetime = settings.token_lifetime
    claims = {
        "iss": settings.jwt_issuer,
        "sub": key.partner,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
        "jti": uuid.uuid4().hex,
        "scope": format_scopes(requested),
        "client_id": key.id,
    }
    token = jwt.encode(claims, _secret(settings), algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE})
    if settings.jwt_secret_generated:
        _warn_of_generated_secret()
    return IssuedToken(token, lifetime, requested)


@functools.cache
def _warn_of_generated_secret() -> None:
    log.warning(
        "issued an access token signed with a secret generated for this run (no OMNICART_JWT_SECRET):"
        " it stops working when the server restarts and other hosts reject it; set OMNICART_JWT_SECRET"
        " (32+ characters) to keep tokens valid"
    )


def decode_access_token(token: str, settings: Settings) -> tuple[Principal, float]:
    """The principal a token stands for and when it expires (unix seconds), once its
    signature and claims are checked. Raises CredentialsRejected (TokenExpired)."""
    try:
        decoded = jwt.decode_complete(
            token,
            _secret(settings),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("the access token has expired") from None
    except jwt.InvalidTokenError:
        raise CredentialsRejected("invalid access token") from None
    if decoded["header"].get("typ") != TOKEN_TYPE:
        raise CredentialsRejected("not an omnicart access token")
    claims = decoded["payload"]
    try:
        scopes = parse_scopes(claims["scope"])
        principal = Principal(str(claims["sub"]), scopes, str(claims["client_id"]))
        return principal, float(claims["exp"])
    except (InvalidScope, AttributeError, TypeError, ValueError):
        raise CredentialsRejected("invalid access token") from None


def _secret(settings: Settings) -> str:
    if settings.jwt_secret is None:
        raise RuntimeError("no OMNICART_JWT_SECRET: the app factory sets one at start")
    return settings.jwt_secret
