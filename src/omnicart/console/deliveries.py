"""Why a listener's deliveries stand where they stand, in words: the state of its
circuit and what holds the deliveries waiting behind a failed one.

The dispatcher (webhooks/delivery.py) keeps each hub's circuit in the memory of the
worker that delivers to it; what it leaves in the store says the same: after a failure,
the failed delivery is due again at its retry time and the hub's later deliveries are
handed back unattempted, due at the same time, so they keep their order behind it. Read
from the store (`Backlog`), the console says it whichever worker holds the circuit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnicart.store import Backlog, DeliveryStatus, EventDelivery

_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Health:
    """A hub as the console shows it: its circuit ("closed", "open", "half-open") with
    why, and its last error (None: none kept)."""

    circuit: str
    why: str
    last_error: str | None


def _failure(found: EventDelivery) -> str:
    delivery = found.delivery
    outcome = "given up" if delivery.gave_up_at is not None else "failing"
    tries = f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
    return f"{found.event_type} {found.event_id}: {delivery.last_error} ({outcome} after {tries})"


def health(backlog: Backlog, now: datetime) -> Health:
    last = _failure(backlog.last_failure) if backlog.last_failure else None
    head = backlog.head
    if head is None:
        return Health("closed", "nothing is waiting", last)
    delivery, behind = head.delivery, backlog.waiting - 1
    others = f"; {behind} later deliver{'ies wait' if behind != 1 else 'y waits'} behind it" if behind else ""
    if delivery.next_attempt_at > now:
        until = delivery.next_attempt_at.strftime(_TIME)
        if delivery.last_error:
            cause = f"{head.event_type} {head.event_id} failed ({delivery.last_error})"
        elif backlog.last_failure is not None:
            cause = f"{backlog.last_failure.event_type} {backlog.last_failure.event_id} was given up"
        else:
            cause = "a delivery failed"
        return Health("open", f"{cause}; next attempt at {until}{others}", last)
    if delivery.last_error:
        return Health("half-open", f"the retry of {head.event_type} {head.event_id} is due now{others}", last)
    return Health("closed", f"{backlog.waiting} deliver{'ies are' if backlog.waiting != 1 else 'y is'} due now", last)


def waiting_reason(delivery: DeliveryStatus, head: EventDelivery | None, event_id: str, now: datetime) -> str:
    """Why one event's delivery to a hub stands where it does (`head`: the oldest delivery
    waiting for that hub)."""
    if delivery.delivered_at is not None:
        return ""
    if delivery.gave_up_at is not None:
        return f"given up after {delivery.attempts} attempts"
    at = delivery.next_attempt_at.strftime(_TIME)
    if delivery.attempts:
        return (
            f"attempt {delivery.attempts} failed; next attempt at {at}"
            if delivery.next_attempt_at > now
            else (f"attempt {delivery.attempts} failed; retry due now")
        )
    if delivery.next_attempt_at <= now:
        return "due now"
    if head is not None and head.event_id != event_id and head.delivery.last_error:
        return f"held until {at} behind {head.event_type} {head.event_id}, which failed ({head.delivery.last_error})"
    return f"held until {at}: the listener's circuit is open after a failed delivery"
