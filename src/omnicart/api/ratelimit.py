"""Rate limits per partner: a token bucket each, kept in the worker process.

Why in-process: a shared bucket (Redis, or a row in the database) costs a network round
trip on every request and adds a service that can fail; the limit exists to stop one
runaway partner from starving the others, which a per-worker bucket does. The configured
rate therefore applies per worker: with N workers a partner may reach N times it
(docs/security.md). Requests without a partner (public paths) are not limited here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.context import PARTNER_KEY
from omnicart.api.errors import error_response
from omnicart.config import RateLimitSettings as Limit

RATE_LIMITED = "OMNICART-RATE-0429"


class TokenBuckets:
    """`limit.requests` tokens per partner, refilled continuously over `limit.per_seconds`."""

    def __init__(self, limit: Limit | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # partner -> (tokens, as of)

    def take(self, partner: str) -> float:
        """0 when the request may go ahead, else the seconds until a token is back."""
        if self.limit is None:
            return 0.0
        capacity = float(self.limit.requests)
        rate = capacity / self.limit.per_seconds
        now = self.clock()
        tokens, as_of = self._buckets.get(partner, (capacity, now))
        tokens = min(capacity, tokens + (now - as_of) * rate)
        if tokens >= 1.0:
            self._buckets[partner] = (tokens - 1.0, now)
            return 0.0
        self._buckets[partner] = (tokens, now)
        return (1.0 - tokens) / rate


class RateLimit:
    """After authentication: one token per request from the caller's bucket, or 429."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        partner = scope.get(PARTNER_KEY) if scope["type"] == "http" else None
        wait = self.buckets.take(partner) if partner is not None else 0.0
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            limit = self.buckets.limit
            assert limit is not None
            response = error_response(
                429,
                RATE_LIMITED,
                f"rate limit of {limit.requests} requests per {limit.per_seconds:g} s exceeded;"
                f" retry after {retry_after} s",
                {"retryAfter": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
