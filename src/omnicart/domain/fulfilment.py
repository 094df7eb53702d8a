"""Simulated fulfilment: the state changes an order is planned to go through.

omnicart has no order-management system behind it. So that partners can test their
handling of every order state, the sandbox fulfils orders by itself: at submission the
order gets a plan, a list of (state, time) steps, and the fulfilment simulator (ordering.py)
makes each change when its time comes. Plans are pure data, decided once and stored with
the order, so every worker process agrees on them and a restart changes nothing.

With `step` the configured step time and t the submission time:

| order                          | plan                                                       |
| ------------------------------ | ---------------------------------------------------------- |
| normal                         | Acknowledged t+step, InProgress t+2·step, Completed t+3·step |
| normal, unlucky (failure rate) | …, Failed t+3·step instead of Completed                     |
| `fulfilment_fails;after=N`     | the normal steps before t+N, then Failed at t+N (N defaults to 3·step) |
| `order_held`                   | Acknowledged t+step, Held t+2·step, and stays Held          |
| `order_held;release=N`         | …, Held t+2·step, InProgress t+2·step+N, Completed t+3·step+N |
| `fallout`                      | Acknowledged, InProgress, Fallout at t+3·step (stays there) |
| `partial`                      | Acknowledged, InProgress, Partial at t+3·step               |

A cancellation replaces the plan: PendingCancel at once, Cancelled one step later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from omnicart.domain.order import PlannedStep
from omnicart.domain.scenarios import (
    FALLOUT,
    FULFILMENT_FAILS,
    ORDER_HELD,
    PARTIAL,
    Scenario,
)
from omnicart.wire.cart import State

SIMULATED = "simulated fulfilment"


@dataclass(frozen=True)
class FulfilmentPolicy:
    step: timedelta = timedelta(seconds=5)
    failure_rate: float = 0.0  # the share of normal orders that end Failed

    def __post_init__(self) -> None:
        if self.step <= timedelta(0):
            raise ValueError("the fulfilment step must be longer than 0 seconds")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError("the fulfilment failure rate must be between 0 and 1")


def plan_fulfilment(
    submitted: datetime, scenario: Scenario | None, policy: FulfilmentPolicy, chance: float
) -> list[PlannedStep]:
    """The plan of an order submitted at `submitted`. `chance` is a random number in
    [0, 1): a normal order fails when it is below the failure rate."""
    step = policy.step

    def at(steps: float, extra: float = 0.0) -> datetime:
        return submitted + step * steps + timedelta(seconds=extra)

    def because(name: str) -> str:
        return f"mock-scenario {name}"

    acknowledged = PlannedStep(State.ACKNOWLEDGED, at(1), SIMULATED)
    in_progress = PlannedStep(State.IN_PROGRESS, at(2), SIMULATED)
    name = scenario.name if scenario else None
    if name == FULFILMENT_FAILS:
        assert scenario is not None
        after = scenario.seconds("after")
        fails_at = at(3) if after is None else at(0, after)
        before = [s for s in (acknowledged, in_progress) if s.at < fails_at]
        return [*before, PlannedStep(State.FAILED, fails_at, because(name))]
    if name == ORDER_HELD:
        assert scenario is not None
        held = PlannedStep(State.HELD, at(2), because(name))
        release = scenario.seconds("release")
        if release is None:
            return [acknowledged, held]
        return [
            acknowledged,
            held,
            PlannedStep(State.IN_PROGRESS, at(2, release), "released"),
            PlannedStep(State.COMPLETED, at(3, release), SIMULATED),
        ]
    if name == FALLOUT:
        return [acknowledged, in_progress, PlannedStep(State.FALLOUT, at(3), because(name))]
    if name == PARTIAL:
        return [acknowledged, in_progress, PlannedStep(State.PARTIAL, at(3), because(name))]
    if chance < policy.failure_rate:
        return [
            acknowledged,
            in_progress,
            PlannedStep(State.FAILED, at(3), f"simulated failure (failure rate {policy.failure_rate:g})"),
        ]
    return [acknowledged, in_progress, PlannedStep(State.COMPLETED, at(3), SIMULATED)]


def cancellation_completes(requested: datetime, policy: FulfilmentPolicy) -> datetime:
    """When a cancellation asked for at `requested` completes: one step later."""
    return requested + policy.step
