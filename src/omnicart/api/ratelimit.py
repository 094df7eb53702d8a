"""Rate limits: a token bucket per partner (and one per OAuth client on /oauth/token).

Where the buckets live:
- OMNICART_REDIS_URL set: in Redis, shared by every worker on every host, so the
  documented rate is the rate (issue 11: per-worker buckets allowed N workers x M hosts
  times it). One Lua script per request refills and takes atomically, on Redis's clock
  (hosts' clocks may differ). Should Redis fail, the request is limited by the worker's
  own bucket instead and a warning is logged: a limiter outage must not become an API outage.
- otherwise: in the worker process (no extra round trip, nothing more to fail); the rate
  then applies per worker (docs/security.md).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any, Protocol

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.context import PARTNER_KEY
from omnicart.api.errors import error_response
from omnicart.config import RateLimitSettings as Limit

RATE_LIMITED = "OMNICART-RATE-0429"
log = logging.getLogger("omnicart.ratelimit")


class Limiter(Protocol):
    limit: Limit | None

    async def acquire(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until a token is back."""
        ...


class TokenBuckets:
    """`limit.requests` tokens per key, refilled continuously over `limit.per_seconds`."""

    def __init__(self, limit: Limit | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, as of)

    def take(self, key: str) -> float:
        if self.limit is None:
            return 0.0
        capacity = float(self.limit.requests)
        rate = capacity / self.limit.per_seconds
        now = self.clock()
        tokens, as_of = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - as_of) * rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / rate

    async def acquire(self, key: str) -> float:
        return self.take(key)


# KEYS[1] the bucket; ARGV capacity, tokens per second. Returns the wait as a string (a
# Lua number would come back truncated to an integer).
TOKEN_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisBuckets:
    """The same buckets, in Redis under `omnicart:rate:<name>:<key>`."""

    def __init__(self, limit: Limit | None, url: str, name: str = "partner", *, client: Any = None) -> None:
        import redis.asyncio

        self.limit = limit
        self.name = name
        self.redis = client or redis.asyncio.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.redis.register_script(TOKEN_BUCKET)
        self.fallback = TokenBuckets(limit)

    async def acquire(self, key: str) -> float:
        if self.limit is None:
            return 0.0
        try:
            wait = await self.script(
                keys=[f"omnicart:rate:{self.name}:{key}"],
                args=[self.limit.requests, self.limit.requests / self.limit.per_seconds],
            )
            return float(wait)
        except Exception as exc:  # redis.RedisError, OSError, timeouts: limit locally meanwhile
            log.warning("shared rate limit unavailable (%s: %s); limiting in this worker", type(exc).__name__, exc)
            return self.fallback.take(key)

    async def close(self) -> None:
        await self.redis.aclose()


def limiter(limit: Limit | None, redis_url: str | None, name: str = "partner") -> TokenBuckets | RedisBuckets:
    return RedisBuckets(limit, redis_url, name) if redis_url and limit is not None else TokenBuckets(limit)


def too_many(limit: Limit, wait: float) -> Response:
    retry_after = max(1, math.ceil(wait))
    return error_response(
        429,
        RATE_LIMITED,
        f"rate limit of {limit.requests} requests per {limit.per_seconds:g} s exceeded; retry after {retry_after} s",
        {"retryAfter": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


class RateLimit:
    """After authentication: one token per request from the caller's bucket, or 429.
    Requests without a partner (public paths) are not limited here."""

    def __init__(self, app: ASGIApp, buckets: Limiter) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        partner = scope.get(PARTNER_KEY) if scope["type"] == "http" else None
        wait = await self.buckets.acquire(partner) if partner is not None and self.buckets.limit else 0.0
        if wait > 0:
            assert self.buckets.limit is not None
            await too_many(self.buckets.limit, wait)(scope, receive, send)
            return
        await self.app(scope, receive, send)
