"""Access use cases: issue, list and revoke API keys; turn a bearer credential into the
partner it acts for; issue OAuth2 client-credentials access tokens (signed JWTs).

The hot path is `authenticate`, called once per request. A verified API key is cached in
memory for `key_cache_seconds` so a request does not cost a database round trip; the
price is that a revocation reaches a worker that cached the key only when its entry
expires (at most that many seconds; docs/security.md). Token issuance always reads the
database, so a revoked key can never mint a new token.
"""

from __future__ import annotations

import hmac
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import jwt

from omnicart.config import Settings
from omnicart.domain.credentials import (
    ALL_SCOPES,
    ApiKey,
    CredentialsRejected,
    InvalidClient,
    InvalidScope,
    Principal,
    TokenExpired,
    format_scopes,
    hash_secret,
    is_key_id,
    issue_key,
    parse_scopes,
    split_key,
)
from omnicart.store import KeyRepository

ALGORITHM = "HS256"  # the only one accepted: no `alg` confusion, no `none`
TOKEN_TYPE = "at+jwt"  # RFC 9068: marks our access tokens apart from any other JWT
LEEWAY_SECONDS = 10  # clock skew tolerated on exp/iat between hosts
REQUIRED_CLAIMS = ["iss", "sub", "aud", "iat", "exp", "jti", "scope", "client_id"]
MAX_CACHED = 10_000  # entries per cache: bounds memory whatever ids or tokens clients send


T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: frozenset[str]


class AccessService:
    def __init__(
        self,
        keys: KeyRepository,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys = keys
        self.settings = settings
        self.clock = clock
        self.monotonic = monotonic
        # Keys provisioned from OMNICART_API_KEYS: all scopes, client_id = partner name.
        self._env_keys = [
            ApiKey(partner, partner, hash_secret(secret), ALL_SCOPES, datetime.min.replace(tzinfo=UTC))
            for partner, secret in settings.api_keys
        ]
        self._keys_seen: dict[str, tuple[tuple[ApiKey, Principal] | None, float]] = {}  # id -> (key, until)
        self._tokens_seen: dict[str, tuple[Principal, float]] = {}  # access token -> (principal, exp)

    # -- administration (the `omnicart keys` commands) -----------------------------

    async def create_key(self, partner: str, scopes: frozenset[str] = ALL_SCOPES) -> tuple[ApiKey, str]:
        """A new key; the returned plaintext is the only copy of its secret."""
        key, plaintext = issue_key(partner, scopes, self.clock())
        await self.keys.add_key(key)
        return key, plaintext

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        return await self.keys.list_keys(partner)

    async def revoke_key(self, key_id: str) -> ApiKey | None:
        revoked = await self.keys.revoke_key(key_id, self.clock())
        self._keys_seen.pop(key_id, None)  # immediate in this process; others within the TTL
        return revoked

    # -- authentication (every request) --------------------------------------------

    async def authenticate(self, token: str) -> Principal:
        """The caller behind a bearer credential: an environment key, an issued API key
        or an access token. Raises CredentialsRejected (TokenExpired for a stale token)."""
        if self._env_keys:  # first, whatever their shape; none in a typical production setup
            digest = hash_secret(token)
            for env_key in self._env_keys:
                if hmac.compare_digest(env_key.secret_hash, digest):
                    return Principal(env_key.partner, env_key.scopes, f"env:{env_key.partner}")
        parts = split_key(token)
        if parts is not None:
            cached = await self._cached_key(parts[0])
            if cached is None or not cached[0].matches(parts[1]):
                raise CredentialsRejected("unknown or revoked API key")
            return cached[1]
        if token.count(".") == 2:
            return await self._verify_token(token)
        raise CredentialsRejected("not a credential omnicart issued")

    async def _cached_key(self, key_id: str) -> tuple[ApiKey, Principal] | None:
        """The key and the principal it stands for, from memory when seen recently."""
        now = self.monotonic()
        hit = self._keys_seen.get(key_id)
        if hit is not None and hit[1] > now:
            return hit[0]
        key = await self.keys.get_key(key_id)
        entry = (key, Principal(key.partner, key.scopes, key.id)) if key is not None else None
        if self.settings.key_cache_seconds > 0:
            _remember(self._keys_seen, key_id, (entry, now + self.settings.key_cache_seconds))
        return entry

    # -- OAuth2 client credentials (RFC 6749 §4.4) -----------------------------------

    async def issue_token(self, client_id: str, client_secret: str, scope: str | None = None) -> IssuedToken:
        """An access token for the client, with the requested subset of its scopes (all
        of them when `scope` is empty). Raises InvalidClient or InvalidScope."""
        key = await self._client(client_id, client_secret)
        requested = parse_scopes(scope) if scope and scope.strip() else key.scopes
        if not requested <= key.scopes:
            raise InvalidScope(f"not granted to this client: {format_scopes(requested - key.scopes)}")
        now = self.clock()
        lifetime = self.settings.token_lifetime
        claims = {
            "iss": self.settings.jwt_issuer,
            "sub": key.partner,
            "aud": self.settings.jwt_audience,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
            "jti": uuid.uuid4().hex,
            "scope": format_scopes(requested),
            "client_id": key.id,
        }
        token = jwt.encode(claims, self._secret(), algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE})
        return IssuedToken(token, lifetime, requested)

    async def _client(self, client_id: str, client_secret: str) -> ApiKey:
        if is_key_id(client_id):
            # Always from the database: a revoked key never mints a token.
            key = await self.keys.get_key(client_id)
            if key is not None and key.matches(client_secret):
                return key
            raise InvalidClient("unknown client or wrong secret")
        digest = hash_secret(client_secret)
        for env_key in self._env_keys:
            if env_key.id == client_id and hmac.compare_digest(env_key.secret_hash, digest):
                return env_key
        raise InvalidClient("unknown client or wrong secret")

    async def _verify_token(self, token: str) -> Principal:
        """Signature and claims are checked once per token (PyJWT costs hundreds of
        microseconds); expiry and the key behind the token on every use."""
        verified = self._tokens_seen.get(token)
        if verified is None:
            verified = self._decode(token)
            _remember(self._tokens_seen, token, verified)
        principal, expires = verified
        if self.clock().timestamp() > expires + LEEWAY_SECONDS:
            self._tokens_seen.pop(token, None)
            raise TokenExpired("the access token has expired")
        # A token lives no longer than the key it was issued to (within the cache TTL).
        if is_key_id(principal.credential):
            cached = await self._cached_key(principal.credential)
            alive = cached is not None and cached[0].active and cached[0].partner == principal.partner
        else:
            alive = any(key.id == principal.credential == principal.partner for key in self._env_keys)
        if not alive:
            raise CredentialsRejected("the key behind this access token was revoked")
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            decoded = jwt.decode_complete(
                token,
                self._secret(),
                algorithms=[ALGORITHM],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
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

    def _secret(self) -> str:
        if self.settings.jwt_secret is None:
            raise RuntimeError("no OMNICART_JWT_SECRET: the app factory sets one at start")
        return self.settings.jwt_secret


def _remember(cache: dict[str, T], key: str, value: T) -> None:
    """Insert, evicting the oldest entry when full (dicts keep insertion order)."""
    cache.pop(key, None)
    if len(cache) >= MAX_CACHED:
        del cache[next(iter(cache))]
    cache[key] = value
