"""Rate limits: a token bucket per partner (and one per OAuth client on /oauth/token).

Where the buckets live:
- OMNICART_REDIS_URL set: in Redis, shared by every worker on every host, so the
  documented rate is the rate (issue 11: per-worker buckets allowed N workers x M hosts
  times it). One Lua script per request refills and takes atomically, on Redis's clock
  (hosts' clocks may differ). A burst queues for one of the worker's REDIS_CONNECTIONS
  (at most REDIS_WAIT seconds) rather than failing (issue 21: redis-py's
  MaxConnectionsError sent each such request to a bucket of the whole limit in its
  worker: 258-271 of 400 passed a limit of 100). Should Redis fail or not answer in
  time, the worker limits with its own buckets of its share of the limit (the limit
  divided by OMNICART_WORKERS), skips Redis for REDIS_RETRY seconds at a time until it
  answers again, and logs the incident once, and its end once (docs/limits.md).
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
from starlette.types import Scope

from omnicart.api.context import PARTNER_KEY
from omnicart.api.errors import error_response
from omnicart.config import RateLimitSettings as Limit

RATE_LIMITED = "OMNICART-RATE-0429"
log = logging.getLogger("omnicart.ratelimit")

REDIS_CONNECTIONS = 50  # per worker and limiter: a script takes ~0.2 ms, so 50 serve thousands a second
# Seconds a request waits for a connection (or an answer) before Redis counts as failing:
# long enough for a burst that keeps a loaded worker's event loop busy (0.5 s was not, on
# 2 cores with 400 requests at once), short enough to bound a request's wait.
REDIS_WAIT = 2.0
REDIS_RETRY = 1.0  # seconds a worker limits on its own after a failure before it asks Redis again


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
    """The same buckets, in Redis under `omnicart:rate:<name>:<key>`; while Redis fails,
    buckets of the worker's share of the limit (`workers`: how many share it)."""

    def __init__(
        self,
        limit: Limit | None,
        url: str,
        name: str = "partner",
        *,
        workers: int = 1,
        client: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import redis.asyncio

        self.limit = limit
        self.name = name
        if client is None:
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                url,
                max_connections=REDIS_CONNECTIONS,
                timeout=REDIS_WAIT,
                socket_timeout=REDIS_WAIT,
                socket_connect_timeout=REDIS_WAIT,
            )
            client = redis.asyncio.Redis(connection_pool=pool)
        self.redis = client
        self.script = self.redis.register_script(TOKEN_BUCKET)
        self.fallback = TokenBuckets(share(limit, workers), clock)
        self.clock = clock
        self._failing_since: float | None = None  # the incident under way, if any
        self._retry_at = 0.0

    async def acquire(self, key: str) -> float:
        if self.limit is None:
            return 0.0
        now = self.clock()
        if self._failing_since is not None and now < self._retry_at:
            return self.fallback.take(key)
        if self._failing_since is not None:
            self._retry_at = now + REDIS_RETRY  # one request asks Redis again; the others wait for it
        try:
            wait = await self.script(
                keys=[f"omnicart:rate:{self.name}:{key}"],
                args=[self.limit.requests, self.limit.requests / self.limit.per_seconds],
            )
        except Exception as exc:  # redis.RedisError, OSError, timeouts: limit locally meanwhile
            self._failed(exc)
            return self.fallback.take(key)
        if self._failing_since is not None:
            took = self.clock() - self._failing_since
            log.warning("shared rate limit %r available again after %.1f s", self.name, took)
            self._failing_since = None
        return float(wait)

    def _failed(self, exc: Exception) -> None:
        now = self.clock()
        self._retry_at = now + REDIS_RETRY
        if self._failing_since is None:
            self._failing_since = now
            assert self.fallback.limit is not None
            log.warning(
                "shared rate limit %r unavailable (%s: %s); this worker limits on its own to %d"
                " requests per %g s until Redis answers",
                self.name,
                type(exc).__name__,
                exc,
                self.fallback.limit.requests,
                self.fallback.limit.per_seconds,
            )

    async def close(self) -> None:
        await self.redis.aclose()


def share(limit: Limit | None, workers: int) -> Limit | None:
    """A worker's share of `limit` shared by `workers`: so many workers limiting on their
    own never pass it together (at least one request per period each)."""
    if limit is None or workers <= 1:
        return limit
    return Limit(max(1, limit.requests // workers), limit.per_seconds)


def limiter(
    limit: Limit | None, redis_url: str | None, name: str = "partner", *, workers: int = 1
) -> TokenBuckets | RedisBuckets:
    if redis_url and limit is not None:
        return RedisBuckets(limit, redis_url, name, workers=workers)
    return TokenBuckets(limit)


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

    def __init__(self, buckets: Limiter) -> None:
        self.buckets = buckets

    async def refusal(self, scope: Scope) -> Response | None:
        partner = scope.get(PARTNER_KEY)
        if partner is None or not self.buckets.limit:
            return None
        wait = await self.buckets.acquire(partner)
        return too_many(self.buckets.limit, wait) if wait > 0 else None
