"""Who a bearer credential stands for, on every request; and the access tokens a client
authenticated by its key may obtain.

`authenticate` is the hot path. A verified API key is cached in memory for
`key_cache_seconds` so a request does not cost a database round trip; the price is that
a revocation reaches a worker that cached the key only when its entry expires (at most
that many seconds; docs/security.md). Token issuance always reads the database, so a
revoked key can never mint a new token.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from omnicart.access.keys import KeyService
from omnicart.access.tokens import LEEWAY_SECONDS, IssuedToken, decode_access_token, issue_access_token
from omnicart.clock import utc_now
from omnicart.config import Settings
from omnicart.domain.credentials import ApiKey, CredentialsRejected, Principal, TokenExpired, is_key_id, split_key
from omnicart.store import KeyRepository

MAX_CACHED = 10_000  # entries per cache: bounds memory whatever ids or tokens clients send

T = TypeVar("T")


class AccessService(KeyService):
    def __init__(
        self,
        keys: KeyRepository,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(keys, settings, clock=clock)
        self.monotonic = monotonic
        self._keys_seen: dict[str, tuple[tuple[ApiKey, Principal] | None, float]] = {}  # id -> (key, until)
        self._tokens_seen: dict[str, tuple[Principal, float]] = {}  # access token -> (principal, exp)

    async def revoke_key(self, key_id: str) -> ApiKey | None:
        revoked = await super().revoke_key(key_id)
        self._keys_seen.pop(key_id, None)  # immediate in this process; others within the TTL
        return revoked

    async def authenticate(self, token: str) -> Principal:
        """The caller behind a bearer credential: an environment key, an issued API key
        or an access token. Raises CredentialsRejected (TokenExpired for a stale token)."""
        if self._env_keys:  # first, whatever their shape; none in a typical production setup
            env_key = self.environment_key(token)
            if env_key is not None:
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

    async def issue_token(self, client_id: str, client_secret: str, scope: str | None = None) -> IssuedToken:
        """OAuth2 client credentials (RFC 6749 §4.4): an access token for the client, with
        the requested subset of its scopes. Raises InvalidClient or InvalidScope."""
        key = await self.client_key(client_id, client_secret)
        return issue_access_token(key, scope, self.settings, self.clock())

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

    async def _verify_token(self, token: str) -> Principal:
        """Signature and claims are checked once per token (PyJWT costs hundreds of
        microseconds); expiry and the key behind the token on every use."""
        verified = self._tokens_seen.get(token)
        if verified is None:
            verified = decode_access_token(token, self.settings)
            _remember(self._tokens_seen, token, verified)
        principal, expires = verified
        if self.clock().timestamp() > expires + LEEWAY_SECONDS:
            self._tokens_seen.pop(token, None)
            raise TokenExpired("the access token has expired")
        # A token lives no longer than the key it was issued to (within the cache TTL).
        if not await self.credential_stands(principal):
            raise CredentialsRejected("the key behind this access token was revoked")
        return principal

    async def credential_stands(self, principal: Principal) -> bool:
        """Whether the key behind `principal` (of an access token, a console session) still
        stands for its partner: not revoked, as read at most `key_cache_seconds` ago (at
        once after a revocation in this process); an environment key, still provisioned."""
        if is_key_id(principal.credential):
            cached = await self._cached_key(principal.credential)
            return cached is not None and cached[0].active and cached[0].partner == principal.partner
        return any(
            principal.credential in (key.id, f"env:{key.id}") and key.partner == principal.partner
            for key in self._env_keys
        )


def _remember(cache: dict[str, T], key: str, value: T) -> None:
    """Insert, evicting the oldest entry when full (dicts keep insertion order)."""
    cache.pop(key, None)
    if len(cache) >= MAX_CACHED:
        del cache[next(iter(cache))]
    cache[key] = value
