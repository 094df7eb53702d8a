"""API keys: their administration (the `omnicart keys` commands), the keys provisioned
from the environment, and OAuth client authentication by key id and secret."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime

from omnicart.clock import utc_now
from omnicart.config import Settings
from omnicart.domain.credentials import ALL_SCOPES, ApiKey, InvalidClient, hash_secret, is_key_id, issue_key
from omnicart.store import KeyRepository

_PROVISIONED_AT = datetime.min.replace(tzinfo=UTC)


def environment_keys(settings: Settings) -> list[ApiKey]:
    """The keys of OMNICART_API_KEYS: every scope, the partner's name as their id."""
    return [
        ApiKey(partner, partner, hash_secret(secret), ALL_SCOPES, _PROVISIONED_AT)
        for partner, secret in settings.api_keys
    ]


class KeyService:
    def __init__(self, keys: KeyRepository, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.keys = keys
        self.settings = settings
        self.clock = clock
        self._env_keys = environment_keys(settings)

    async def create_key(self, partner: str, scopes: frozenset[str] = ALL_SCOPES) -> tuple[ApiKey, str]:
        """A new key; the returned plaintext is the only copy of its secret."""
        key, plaintext = issue_key(partner, scopes, self.clock())
        await self.keys.add_key(key)
        return key, plaintext

    async def list_keys(self, partner: str | None = None) -> list[ApiKey]:
        return await self.keys.list_keys(partner)

    async def revoke_key(self, key_id: str) -> ApiKey | None:
        return await self.keys.revoke_key(key_id, self.clock())

    def environment_key(self, secret: str, client_id: str | None = None) -> ApiKey | None:
        """The environment key with this secret (and this id, when given)."""
        digest = hash_secret(secret)
        for key in self._env_keys:
            if client_id in (None, key.id) and hmac.compare_digest(key.secret_hash, digest):
                return key
        return None

    async def client_key(self, client_id: str, client_secret: str) -> ApiKey:
        """The key an OAuth client authenticates with. Raises InvalidClient."""
        if is_key_id(client_id):
            # Always from the database: a revoked key never mints a token.
            key = await self.keys.get_key(client_id)
            if key is not None and key.matches(client_secret):
                return key
        else:
            env_key = self.environment_key(client_secret, client_id)
            if env_key is not None:
                return env_key
        raise InvalidClient("unknown client or wrong secret")
