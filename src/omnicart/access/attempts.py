"""Tries at a secret: `POST /oauth/token` and the console's sign-in, limited per client
credential id and per client address (docs/security.md, "Sign-in attempts").

- Per credential id (OMNICART_TOKEN_RATE_LIMIT, 20 a minute): a guesser of one client's
  secret gets that many tries, from however many addresses.
- Per address (OMNICART_TOKEN_ADDRESS_RATE_LIMIT, 200 a minute): inventing ids buys no
  more tries, yet one partner's bad tries do not lock out the others behind the same
  proxy or egress address until it has made ten clients' worth. The address is the
  client's as api/clients.py works it out (X-Forwarded-For only from trusted proxies).

Both endpoints spend from the same buckets, so trying one after the other buys nothing.
The buckets themselves are the rate limiter's (api/ratelimit.py: in the worker, or shared
in Redis), made by the app factory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from omnicart.config import RateLimitSettings

MAX_KEY_LENGTH = 200  # a bucket's key: whatever a client sends, memory stays bounded


class Buckets(Protocol):
    limit: RateLimitSettings | None

    async def acquire(self, key: str) -> float:
        """0 when the try may go ahead, else the seconds until a token is back."""
        ...


@dataclass(frozen=True)
class TooManyAttempts:
    limit: RateLimitSettings
    wait: float  # seconds


class SignInAttempts:
    def __init__(self, per_credential: Buckets, per_address: Buckets) -> None:
        self.per_credential = per_credential
        self.per_address = per_address

    async def attempt(self, credential_id: str | None, address: str) -> TooManyAttempts | None:
        """One try by `credential_id` (None: a credential without an id, e.g. an environment
        key's bare secret) from `address`; the refusal when either bucket is empty. Taken
        before the secret is checked: this is what slows a guesser down."""
        for buckets, key in ((self.per_credential, credential_id), (self.per_address, address)):
            if key is None or buckets.limit is None:
                continue
            wait = await buckets.acquire(key[:MAX_KEY_LENGTH])
            if wait > 0:
                return TooManyAttempts(buckets.limit, wait)
        return None
