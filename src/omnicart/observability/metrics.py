"""The Prometheus metrics of omnicart, declared once (docs/metrics.md lists them).

Several workers: `omnicart serve --workers N` (N > 1) points PROMETHEUS_MULTIPROC_DIR at a
directory it creates and removes, before any worker imports prometheus_client, which then
keeps every value in per-process files there; a scrape, answered by any one worker, sums
them (`registry()`). One process: the default in-memory registry.

Gauges that describe the whole database (carts by state, outbox) are set by each worker's
refresh job with the same values, so in multiprocess mode they take the most recent
write (`livemostrecent`); per-process gauges (the worker's own pool) add up (`livesum`).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.registry import REGISTRY

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Latency buckets around what omnicart answers in (ms on SQLite, tens of ms on PostgreSQL).
LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter("omnicart_http_requests_total", "HTTP requests answered", ["route", "method", "status"])
HTTP_DURATION = Histogram(
    "omnicart_http_request_duration_seconds", "Time to answer an HTTP request", ["route", "method"], buckets=LATENCY
)
IDEMPOTENT_REPLAYS = Counter(
    "omnicart_idempotent_replays_total", "POSTs answered by replaying an Idempotency-Key's first answer"
)
RATE_LIMITED = Counter("omnicart_rate_limited_total", "Requests refused with 429 by the rate limit")

POOL_SIZE = Gauge("omnicart_store_pool_size", "Store connections open", multiprocess_mode="livesum")
POOL_IN_USE = Gauge("omnicart_store_pool_in_use", "Store connections lent out", multiprocess_mode="livesum")
POOL_WAITING = Gauge(
    "omnicart_store_pool_waiting",
    "Store calls waiting for a connection (SQLite: for its one writer thread)",
    multiprocess_mode="livesum",
)

OUTBOX_PENDING = Gauge(
    "omnicart_outbox_events_pending",
    "Events not yet delivered to every hub (nor given up)",
    multiprocess_mode="livemostrecent",
)
OUTBOX_OLDEST_AGE = Gauge(
    "omnicart_outbox_oldest_pending_age_seconds",
    "Age of the oldest pending event (0: none)",
    multiprocess_mode="livemostrecent",
)
DELIVERIES = Counter("omnicart_webhook_deliveries_total", "Delivery attempts to hubs", ["outcome"])
DELIVERY_DURATION = Histogram(
    "omnicart_webhook_delivery_duration_seconds",
    "Time of one delivery attempt (the POST)",
    ["outcome"],
    buckets=LATENCY,
)

CARTS = Gauge("omnicart_carts", "Carts by state", ["state"], multiprocess_mode="livemostrecent")
ORDERS = Gauge("omnicart_orders", "Orders by state", ["state"], multiprocess_mode="livemostrecent")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def registry() -> CollectorRegistry:
    """What a scrape reads: every worker's files, or this process's registry."""
    directory = multiprocess_dir()
    if directory is None:
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=directory)  # type: ignore[no-untyped-call]
    return collected


def process_exited() -> None:
    """Drop this worker's live gauges from the sums once it stops (its counters stay)."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def set_by_state(gauge: Gauge, counts: dict[str, int], known: set[str]) -> None:
    # States that emptied are set to 0, not left at their last count.
    for state in known | set(counts):
        gauge.labels(state=state).set(counts.get(state, 0))
