"""A listener's circuit and why its deliveries wait, in words (console/deliveries.py):
pure, from a hub's backlog as the store keeps it; the expected texts written by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from omnicart.console.deliveries import Health, health, waiting_reason
from omnicart.store import Backlog, DeliveryStatus, EventDelivery

NOW = datetime(2026, 12, 6, 10, 0, 0, tzinfo=UTC)
RETRY = NOW + timedelta(seconds=20)
CHANGED = "ShoppingCartAttributeValueChangeEvent"


def status(attempts: int, due: datetime, error: str | None = None, gave_up: bool = False) -> DeliveryStatus:
    return DeliveryStatus("hub-1", "https://hooks.example.com/a", attempts, due, None, NOW if gave_up else None, error)


FAILING = EventDelivery("event-1", CHANGED, NOW, status(2, RETRY, "HTTP 500"))
HELD = EventDelivery("event-2", CHANGED, NOW, status(0, RETRY))
GAVE_UP = EventDelivery("event-0", CHANGED, NOW, status(12, NOW, "HTTP 410", gave_up=True))


def test_nothing_waiting_is_a_closed_circuit():
    assert health(Backlog(0, None, None), NOW) == Health("closed", "nothing is waiting", None)


def test_a_failing_head_opens_the_circuit_until_its_retry():
    assert health(Backlog(3, FAILING, FAILING), NOW) == Health(
        "open",
        f"{CHANGED} event-1 failed (HTTP 500); next attempt at 2026-12-06 10:00:20; 2 later deliveries wait behind it",
        f"{CHANGED} event-1: HTTP 500 (failing after 2 attempts)",
    )


def test_after_a_delivery_is_given_up_the_next_waits_out_the_backoff():
    assert health(Backlog(1, HELD, GAVE_UP), NOW) == Health(
        "open",
        f"{CHANGED} event-0 was given up; next attempt at 2026-12-06 10:00:20",
        f"{CHANGED} event-0: HTTP 410 (given up after 12 attempts)",
    )


def test_a_retry_that_is_due_is_half_open():
    assert health(Backlog(1, FAILING, FAILING), RETRY).circuit == "half-open"


def test_why_each_delivery_waits():
    assert waiting_reason(HELD.delivery, FAILING, "event-2", NOW) == (
        f"held until 2026-12-06 10:00:20 behind {CHANGED} event-1, which failed (HTTP 500)"
    )
    assert waiting_reason(FAILING.delivery, FAILING, "event-1", NOW) == (
        "attempt 2 failed; next attempt at 2026-12-06 10:00:20"
    )
    assert waiting_reason(GAVE_UP.delivery, HELD, "event-0", NOW) == "given up after 12 attempts"
    assert waiting_reason(status(0, NOW), None, "event-3", NOW) == "due now"
