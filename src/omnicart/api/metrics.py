"""`GET /metrics` and the counting of every request (observability/metrics.py), which the
edge (api/edge.py) calls once a request is answered, with its status and duration.

Route labels are the operation's path template (`/omni-svcs/v1/carts/{cartId}`), put in the
scope by the route that matched (api/routing.py), never the raw path: ids would make a
series per cart. A request refused before routing (401, 429) is matched here, once.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from omnicart.api.errors import error_response
from omnicart.observability import ROUTE_KEY, metrics
from omnicart.runtime import services_of, settings_of

UNMATCHED = "unmatched"  # any path no operation has: one series, whatever is probed


class RequestMetrics:
    """Counts and times every HTTP request (the edge's timer, the status it sent)."""

    def __init__(self) -> None:
        # Labelled children, cached: prometheus_client's labels() validates and locks per call.
        self._requests: dict[tuple[str, str, int], Any] = {}
        self._durations: dict[tuple[str, str], Any] = {}

    def record(self, scope: Scope, status: int, replayed: bool, seconds: float) -> None:
        route = scope.get(ROUTE_KEY) or _match(scope)
        method = scope["method"]
        counter = self._requests.get((route, method, status))
        if counter is None:
            counter = self._requests[(route, method, status)] = metrics.HTTP_REQUESTS.labels(
                route=route, method=method, status=str(status)
            )
        counter.inc()
        histogram = self._durations.get((route, method))
        if histogram is None:
            histogram = self._durations[(route, method)] = metrics.HTTP_DURATION.labels(route=route, method=method)
        histogram.observe(seconds)
        if replayed:
            metrics.IDEMPOTENT_REPLAYS.inc()
        if status == 429:
            metrics.RATE_LIMITED.inc()


def _match(scope: Scope) -> str:
    """The template of a request answered before routing (authentication, rate limit)."""
    for route in scope["app"].router.routes:
        matched, _ = route.matches(scope)
        if matched is not Match.NONE:
            return str(route.path)
    return UNMATCHED


async def scrape(request: Request) -> Response:
    """Open like /health unless OMNICART_METRICS_TOKEN is set: then that bearer token."""
    settings = settings_of(request.scope)
    if not settings.metrics:
        return error_response(404, "OMNICART-METRICS-0404", "metrics are off (OMNICART_METRICS=off)")
    token = settings.metrics_token
    if token is not None:
        offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(offered.encode(), token.encode()):
            return error_response(
                401,
                "OMNICART-METRICS-0401",
                "GET /metrics needs the metrics bearer token",
                headers={"WWW-Authenticate": 'Bearer realm="omnicart-metrics"'},
            )
    refresh_pool(services_of(request.scope).carts.store)
    return Response(generate_latest(metrics.registry()), media_type=CONTENT_TYPE_LATEST)


def refresh_pool(store: Any) -> None:
    """`store`: a `StoreStatistics` (every store is; the services hold it as a repository)."""
    pool = store.pool_status()
    metrics.POOL_SIZE.set(pool.size)
    metrics.POOL_IN_USE.set(pool.in_use)
    metrics.POOL_WAITING.set(pool.waiting)


def refresher(store: Any, clock: Callable[[], float] = time.time) -> Callable[[], Any]:
    """The background job that sets the gauges a request cannot: counts by state and the
    outbox, with one grouped query each (`StoreStatistics.stats`)."""
    known_carts: set[str] = set()
    known_orders: set[str] = set()

    async def refresh() -> None:
        refresh_pool(store)
        found = await store.stats()
        metrics.set_by_state(metrics.CARTS, found.carts, known_carts)
        metrics.set_by_state(metrics.ORDERS, found.orders, known_orders)
        known_carts.update(found.carts)
        known_orders.update(found.orders)
        metrics.OUTBOX_PENDING.set(found.pending_events)
        oldest = found.oldest_pending
        metrics.OUTBOX_OLDEST_AGE.set(max(0.0, clock() - oldest.timestamp()) if oldest else 0.0)

    return refresh
