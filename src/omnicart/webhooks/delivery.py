"""The dispatcher: fans the outbox out into deliveries and makes those that are due,
at least once, each hub's events in the order they happened.

Isolation: every hub has a lane of its own (a queue and a task) with its own backoff and
circuit breaker, and lanes share a bounded pool of connection slots, fairly between
partners (`slots.py`: one partner holds at most its share of them). A round of the job
only fans out and claims; it never waits for a listener, and an attempt, whatever the
listener does, ends within the timeout. So listeners that are slow, dead or never answer
hold their own partner's slots and delay its events only.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import msgspec

from omnicart import __version__
from omnicart.clock import utc_now
from omnicart.domain.errors import StoreUnavailable
from omnicart.domain.events import Hub
from omnicart.observability import metrics, tracing
from omnicart.store import Delivery, EventRepository
from omnicart.webhooks.network import CheckedTransport
from omnicart.webhooks.slots import FairSlots
from omnicart.wire.signing import SIGNATURE_HEADER, sign
from omnicart.wire.values import timestamp

log = logging.getLogger("omnicart.webhooks")


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n fails → the next one after base·2^(n-1) (at most `cap`, ±20% jitter so
    retries of many deliveries spread out); after `max_attempts` the delivery is given up."""

    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 12  # ~ 5 hours of trying with the defaults

    def next_attempt(self, attempt: int, now: datetime, jitter: float) -> datetime | None:
        if attempt >= self.max_attempts:
            return None
        delay = min(self.cap, self.base * 2.0 ** (max(attempt, 1) - 1))
        return now + delay * (0.8 + 0.4 * jitter)


@dataclass
class _Lane:
    """One hub's queue of claimed deliveries (each with the end of its lease), and its
    circuit breaker: after a failure, the hub's other deliveries are not attempted before
    `open_until`, so they keep their order behind the failed one."""

    queue: deque[tuple[Delivery, datetime]] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None
    failures: int = 0
    open_until: datetime | None = None


class Dispatcher:
    def __init__(
        self,
        store: EventRepository,
        *,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 10.0,
        batch: int = 50,
        concurrency: int = 10,
        partner_concurrency: int | None = None,
        clock: Callable[[], datetime] = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_private: bool = False,
    ) -> None:
        self.store = store
        self.retry = retry
        self.timeout = timeout
        self.batch = batch
        self.clock = clock
        # One partner's share: half the slots unless set (None), so another partner always
        # finds free ones while at most one partner is at its share.
        self._slots = FairSlots(concurrency, partner_concurrency or max(1, concurrency // 2))
        self._transport = transport
        self._allow_private = allow_private
        self._client: httpx.AsyncClient | None = None
        self._lanes: dict[str, _Lane] = {}

    @property
    def lease(self) -> timedelta:
        # Longer than any attempt can take (each is cut at the timeout), so no two workers
        # POST the same delivery at once.
        return timedelta(seconds=3 * self.timeout + 5)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,  # a 3xx is a failed attempt, never followed
                trust_env=False,
                transport=self._transport or CheckedTransport(allow_private=self._allow_private),
                headers={"User-Agent": f"omnicart-webhooks/{__version__}"},
            )
        return self._client

    async def close(self) -> None:
        """Stop the lanes (what they held comes back when its lease ends) and the client."""
        for lane in self._lanes.values():
            if lane.task is not None:
                lane.task.cancel()
        await asyncio.gather(*(lane.task for lane in self._lanes.values() if lane.task), return_exceptions=True)
        self._lanes.clear()
        if self._client is not None:
            await self._client.aclose()

    async def purge(self, retention: timedelta) -> int:
        """Forget what was delivered (or given up) more than `retention` ago."""
        return await self.store.purge_events(self.clock() - retention)

    async def run_once(self) -> int:
        """Fan out what is new and hand every due delivery to its hub's lane; how many
        were handed over. Does not wait for the listeners (`drain` does)."""
        while await self.store.fan_out(self.batch) == self.batch:
            pass
        claimed = 0
        while True:
            now = self.clock()
            due = await self.store.claim_deliveries(now, now + self.lease, self.batch)
            for delivery in due:
                self._enqueue(delivery, now + self.lease)
            claimed += len(due)
            if len(due) < self.batch:
                return claimed

    async def drain(self) -> None:
        """Wait until every lane has made what it holds."""
        while tasks := [lane.task for lane in self._lanes.values() if lane.task and not lane.task.done()]:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def deliver_due(self) -> int:
        """One round, waiting for its deliveries (tests and tools)."""
        made = await self.run_once()
        await self.drain()
        return made

    def _enqueue(self, delivery: Delivery, lease_until: datetime) -> None:
        lane = self._lanes.setdefault(delivery.hub_id, _Lane())
        lane.queue.append((delivery, lease_until))
        if lane.task is None or lane.task.done():
            lane.task = asyncio.create_task(
                self._run_lane(delivery.hub_id, lane), name=f"omnicart-hub-{delivery.hub_id}"
            )

    async def _run_lane(self, hub_id: str, lane: _Lane) -> None:
        while lane.queue:
            delivery, lease_until = lane.queue.popleft()
            try:
                await self._deliver(lane, delivery, lease_until)
            except StoreUnavailable as exc:  # the lease runs out and the delivery comes back
                log.warning("delivery of event %s to hub %s not recorded: %s", delivery.event_id, hub_id, exc.message)
            except Exception:
                log.exception("delivery of event %s to hub %s failed unexpectedly", delivery.event_id, hub_id)
        if not lane.failures:
            self._lanes.pop(hub_id, None)  # a healthy hub needs no memory between rounds

    async def _deliver(self, lane: _Lane, delivery: Delivery, lease_until: datetime) -> None:
        # A span of its own (tracing on): the POST and the store calls that record it.
        with tracing.span(
            "webhook.deliver",
            {
                "omnicart.event_id": delivery.event_id,
                "omnicart.hub_id": delivery.hub_id,
                "omnicart.attempt": delivery.attempt,
            },
        ):
            await self._attempt(lane, delivery, lease_until)

    async def _attempt(self, lane: _Lane, delivery: Delivery, lease_until: datetime) -> None:
        now = self.clock()
        if now >= lease_until:
            return  # held too long behind others: another round claims it again, in order
        if lane.open_until is not None and now < lane.open_until:
            # Not attempted: held behind the hub's failed delivery, in order, at no cost
            # of an attempt (it is given up only after attempts of its own).
            await self.store.release_delivery(delivery.event_id, delivery.hub_id, lane.open_until)
            return
        async with self._slots.slot(delivery.owner):
            if self.clock() + timedelta(seconds=self.timeout) > lease_until:
                return  # waited so long for a slot that its lease could end mid-attempt: claimed again
            started = time.perf_counter()
            error = await self._post(delivery)
            took = time.perf_counter() - started
        now = self.clock()
        if error is None:
            _observe("delivered", took)
            lane.failures, lane.open_until = 0, None
            await self.store.delivered(delivery.event_id, delivery.hub_id, now)
            return
        lane.failures += 1
        retry_at: datetime | None = self.retry.next_attempt(delivery.attempt, now, random.random())
        _observe("failed" if retry_at is not None else "gave_up", took)
        backoff = min(self.retry.cap, self.retry.base * 2.0 ** (lane.failures - 1))
        lane.open_until = retry_at or now + backoff
        if retry_at is None:
            log.warning(
                "giving up delivering event %s to hub %s after %d attempts: %s",
                delivery.event_id,
                delivery.hub_id,
                delivery.attempt,
                error,
            )
        await self.store.delivery_failed(delivery.event_id, delivery.hub_id, error, retry_at, now)

    async def ping(self, hub: Hub) -> str | None:
        """POST a signed `Ping` envelope to the hub's callback now, outside the outbox (the
        console's "ping"): None when it answered 2xx, else what went wrong."""
        event_id = str(uuid.uuid4())
        body = msgspec.json.encode(
            {"eventId": event_id, "eventType": "Ping", "eventTime": timestamp(self.clock()), "event": {}}
        )
        return await self._post(Delivery(event_id, hub.id, 1, hub.callback, hub.secret, body, hub.owner))

    async def _post(self, delivery: Delivery) -> str | None:
        """None when the receiver took the event (any 2xx), else what went wrong. Every
        exception is a failed attempt: a bad URL, a refused address, a broken listener."""
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(delivery.secret, delivery.body),
            "X-Omnicart-Event-Id": delivery.event_id,
            "X-Omnicart-Hub-Id": delivery.hub_id,
            "X-Omnicart-Delivery-Attempt": str(delivery.attempt),
        }
        try:
            # The whole attempt's deadline: httpx's timeouts are per phase (connect, each
            # read), and a listener trickling bytes resets the read one for ever.
            async with asyncio.timeout(self.timeout):
                response = await self._http().post(delivery.callback, content=delivery.body, headers=headers)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"


def _observe(outcome: str, seconds: float) -> None:
    """A delivery attempt's outcome and how long the listener took (observability/metrics.py)."""
    metrics.DELIVERIES.labels(outcome=outcome).inc()
    metrics.DELIVERY_DURATION.labels(outcome=outcome).observe(seconds)
