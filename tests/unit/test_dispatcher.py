"""Delivery isolation, on an in-memory outbox: one hub's dead listener delays only that
hub; any failure is a counted attempt, given up at the maximum; a 3xx is not a delivery."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from omnicart.store import Delivery
from omnicart.webhooks.delivery import Dispatcher, RetryPolicy


@dataclass
class Row:
    event_id: str
    hub_id: str
    callback: str
    order: int
    attempts: int = 0
    next_at: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    delivered: bool = False
    gave_up: bool = False
    error: str | None = None
    owner: str = "partner-a"


class Outbox:
    """The EventRepository calls the dispatcher makes, as the store's contract says."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, hub_id: str, callback: str, count: int = 1, owner: str = "partner-a") -> None:
        for _ in range(count):
            self.rows.append(Row(f"e{len(self.rows)}", hub_id, callback, len(self.rows), owner=owner))

    async def fan_out(self, limit: int) -> int:
        return 0

    async def claim_deliveries(self, now, lease_until, limit):
        due = sorted(
            (r for r in self.rows if not r.delivered and not r.gave_up and r.next_at <= now),
            key=lambda r: (r.next_at, r.order),
        )[:limit]
        for row in due:
            row.attempts += 1
            row.next_at = lease_until
        return [Delivery(r.event_id, r.hub_id, r.attempts, r.callback, "whsec_x", b"{}", r.owner) for r in due]

    async def delivered(self, event_id, hub_id, at):
        self._row(event_id).delivered = True

    async def delivery_failed(self, event_id, hub_id, error, retry_at, at):
        row = self._row(event_id)
        row.error = error
        if retry_at is None:
            row.gave_up = True
        else:
            row.next_at = retry_at

    async def release_delivery(self, event_id, hub_id, retry_at):
        row = self._row(event_id)
        row.attempts -= 1
        row.next_at = retry_at

    def _row(self, event_id: str) -> Row:
        return next(r for r in self.rows if r.event_id == event_id)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def dispatcher(outbox: Outbox, handler, clock=None, **kwargs) -> Dispatcher:
    return Dispatcher(
        outbox,
        transport=httpx.MockTransport(handler),
        clock=clock or Clock(),  # type: ignore[arg-type]
        retry=RetryPolicy(base=timedelta(seconds=10), max_attempts=3),
        **kwargs,
    )


def test_a_dead_listener_does_not_delay_another_hubs_deliveries():
    async def scenario() -> float:
        delivered_b = asyncio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            if request.url.host == "dead.example":
                await asyncio.sleep(3600)  # accepts, never answers
            delivered_b.set()
            return httpx.Response(200)

        outbox = Outbox()
        outbox.add("hub-a", "http://dead.example/", 60)
        outbox.add("hub-b", "http://alive.example/", 1)
        subject = dispatcher(outbox, handler, clock=lambda: datetime.now(UTC), timeout=30, batch=50)
        started = time.monotonic()
        await subject.run_once()  # claims A's first 50: B's event is not among them
        await subject.run_once()
        await asyncio.wait_for(delivered_b.wait(), 5)
        took = time.monotonic() - started
        await subject.close()
        return took

    assert asyncio.run(scenario()) < 2.0


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda request: httpx.Response(302, headers={"Location": "http://elsewhere.example/"}), id="302"),
        pytest.param(lambda request: httpx.Response(307, headers={"Location": "http://elsewhere.example/"}), id="307"),
        pytest.param(lambda request: httpx.Response(304), id="304"),
        pytest.param(lambda request: httpx.Response(500), id="500"),
        pytest.param(lambda request: (_ for _ in ()).throw(httpx.InvalidURL("Invalid port: '99999'")), id="InvalidURL"),
        pytest.param(lambda request: (_ for _ in ()).throw(ValueError("anything at all")), id="any exception"),
    ],
)
def test_anything_but_a_2xx_is_a_failed_attempt_given_up_at_the_maximum(failure):
    outbox = Outbox()
    outbox.add("hub-a", "http://hooks.example/")
    clock = Clock()
    subject = dispatcher(outbox, failure, clock=clock)

    async def rounds() -> None:
        for _ in range(6):
            await subject.deliver_due()
            clock.now += timedelta(hours=2)
        await subject.close()

    asyncio.run(rounds())
    row = outbox.rows[0]
    assert not row.delivered
    assert row.gave_up and row.attempts == 3, row
    assert row.error


def test_after_a_failure_a_hubs_later_events_wait_behind_the_failed_one_in_order():
    answers = iter([500, 200, 200, 200])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["x-omnicart-event-id"])
        return httpx.Response(next(answers))

    outbox = Outbox()
    outbox.add("hub-a", "http://hooks.example/", 3)
    clock = Clock()
    subject = dispatcher(outbox, handler, clock=clock)

    async def rounds() -> None:
        await subject.deliver_due()
        clock.now += timedelta(seconds=13)  # past the first retry (10 s ± 20%)
        await subject.deliver_due()
        await subject.close()

    asyncio.run(rounds())
    assert seen == ["e0", "e0", "e1", "e2"]  # e1 and e2 were not attempted while the circuit was open
    assert all(row.delivered for row in outbox.rows)


def test_a_delivery_held_behind_an_open_circuit_costs_no_attempt():
    # A listener that always fails, three events, three attempts each at most: every event
    # is POSTed three times before it is given up; none loses an attempt while it waits
    # behind the one that failed (issue 11: held, not attempted).
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["x-omnicart-event-id"])
        return httpx.Response(500)

    outbox = Outbox()
    outbox.add("hub-a", "http://hooks.example/", 3)
    clock = Clock()
    subject = dispatcher(outbox, handler, clock=clock)

    async def rounds() -> None:
        for _ in range(30):
            await subject.deliver_due()
            clock.now += timedelta(hours=2)
        await subject.close()

    asyncio.run(rounds())
    assert sorted(seen) == ["e0"] * 3 + ["e1"] * 3 + ["e2"] * 3
    assert all(row.gave_up and row.attempts == 3 for row in outbox.rows), outbox.rows
