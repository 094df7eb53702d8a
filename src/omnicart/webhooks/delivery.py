"""The dispatcher: fans the outbox out into deliveries and makes those that are due,
at least once, one hub's events in the order they happened."""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import msgspec

from omnicart import __version__
from omnicart.clock import utc_now
from omnicart.domain.cart import timestamp
from omnicart.domain.events import Hub
from omnicart.store import Delivery, EventRepository
from omnicart.webhooks.signing import SIGNATURE_HEADER, sign

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
        delay = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return now + delay * (0.8 + 0.4 * jitter)


class Dispatcher:
    def __init__(
        self,
        store: EventRepository,
        *,
        retry: RetryPolicy = RetryPolicy(),
        timeout: float = 10.0,
        batch: int = 50,
        concurrency: int = 10,
        clock: Callable[[], datetime] = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.store = store
        self.retry = retry
        self.timeout = timeout
        self.batch = batch
        self.clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def lease(self) -> timedelta:
        # Longer than any attempt can take, so no two workers POST the same delivery at once.
        return timedelta(seconds=3 * self.timeout + 5)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                transport=self._transport,
                headers={"User-Agent": f"omnicart-webhooks/{__version__}"},
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def purge(self, retention: timedelta) -> int:
        """Forget what was delivered (or given up) more than `retention` ago."""
        return await self.store.purge_events(self.clock() - retention)

    async def run_once(self) -> int:
        """Fan out what is new, then make every delivery that is due; how many were made
        (successfully or not)."""
        while await self.store.fan_out(self.batch) == self.batch:
            pass
        made = 0
        while True:
            now = self.clock()
            due = await self.store.claim_deliveries(now, now + self.lease, self.batch)
            by_hub: dict[str, list[Delivery]] = {}
            for delivery in due:
                by_hub.setdefault(delivery.hub_id, []).append(delivery)
            await asyncio.gather(*(self._deliver_in_order(deliveries) for deliveries in by_hub.values()))
            made += len(due)
            if len(due) < self.batch:
                return made

    async def _deliver_in_order(self, deliveries: list[Delivery]) -> None:
        # One hub's events one after the other, as they happened; hubs in parallel.
        for delivery in deliveries:
            await self._deliver(delivery)

    async def _deliver(self, delivery: Delivery) -> None:
        async with self._slots:
            error = await self._post(delivery)
        now = self.clock()
        if error is None:
            await self.store.delivered(delivery.event_id, delivery.hub_id, now)
            return
        retry_at = self.retry.next_attempt(delivery.attempt, now, random.random())
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
        body = msgspec.json.encode({"eventId": event_id, "eventType": "Ping",
                                    "eventTime": timestamp(self.clock()), "event": {}})
        return await self._post(Delivery(event_id, hub.id, 1, hub.callback, hub.secret, body))

    async def _post(self, delivery: Delivery) -> str | None:
        """None when the receiver took the event (any 2xx), else what went wrong."""
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(delivery.secret, delivery.body),
            "X-Omnicart-Event-Id": delivery.event_id,
            "X-Omnicart-Hub-Id": delivery.hub_id,
            "X-Omnicart-Delivery-Attempt": str(delivery.attempt),
        }
        try:
            response = await self._http().post(delivery.callback, content=delivery.body, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"
