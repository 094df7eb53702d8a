"""Simulated fulfilment plans: what each order is planned to go through, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from omnicart.domain.fulfilment import FulfilmentPolicy, cancellation_completes, plan_fulfilment
from omnicart.domain.scenarios import parse
from omnicart.wire.cart import State
from tests.unit.test_order_states import LEGAL

T = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
POLICY = FulfilmentPolicy(step=timedelta(seconds=5))
S = State


def plan(header: str | None = None, policy: FulfilmentPolicy = POLICY, chance: float = 0.5):
    scenario = parse(header).fulfilment if header else None
    return [(step.state, (step.at - T).total_seconds()) for step in plan_fulfilment(T, scenario, policy, chance)]


@pytest.mark.parametrize(("header", "expected"), [
    (None, [(S.ACKNOWLEDGED, 5), (S.IN_PROGRESS, 10), (S.COMPLETED, 15)]),
    ("fulfilment_fails", [(S.ACKNOWLEDGED, 5), (S.IN_PROGRESS, 10), (S.FAILED, 15)]),
    ("fulfilment_fails;after=7", [(S.ACKNOWLEDGED, 5), (S.FAILED, 7)]),
    ("fulfilment_fails;after=2", [(S.FAILED, 2)]),
    ("fulfilment_fails;after=60", [(S.ACKNOWLEDGED, 5), (S.IN_PROGRESS, 10), (S.FAILED, 60)]),
    ("order_held", [(S.ACKNOWLEDGED, 5), (S.HELD, 10)]),
    ("order_held;release=30", [(S.ACKNOWLEDGED, 5), (S.HELD, 10), (S.IN_PROGRESS, 40), (S.COMPLETED, 45)]),
    ("fallout", [(S.ACKNOWLEDGED, 5), (S.IN_PROGRESS, 10), (S.FALLOUT, 15)]),
    ("partial", [(S.ACKNOWLEDGED, 5), (S.IN_PROGRESS, 10), (S.PARTIAL, 15)]),
])  # fmt: skip
def test_each_outcome_has_its_plan(header, expected):
    assert plan(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "fulfilment_fails",
        "fulfilment_fails;after=0.5",
        "order_held",
        "order_held;release=1",
        "fallout",
        "partial",
    ],
)
@pytest.mark.parametrize("chance", [0.0, 0.99])
def test_every_plan_is_a_legal_path_in_time_order(header, chance):
    policy = FulfilmentPolicy(step=timedelta(seconds=5), failure_rate=0.5)
    state, times = S.SUBMITTED, []
    for target, seconds in plan(header, policy, chance):
        assert (state.value, target.value) in LEGAL, f"{state} -> {target}"
        state = target
        times.append(seconds)
    assert times == sorted(times) and times[0] > 0


def test_the_failure_rate_fails_that_share_of_normal_orders():
    policy = FulfilmentPolicy(failure_rate=0.25)
    assert plan(None, policy, chance=0.2499)[-1][0] is S.FAILED
    assert plan(None, policy, chance=0.25)[-1][0] is S.COMPLETED
    assert plan(None, FulfilmentPolicy(failure_rate=1.0), chance=0.999)[-1][0] is S.FAILED
    assert plan(None, FulfilmentPolicy(failure_rate=0.0), chance=0.0)[-1][0] is S.COMPLETED


def test_the_failure_rate_does_not_touch_scenario_outcomes():
    assert plan("partial", FulfilmentPolicy(failure_rate=1.0), chance=0.0)[-1][0] is S.PARTIAL


def test_the_step_time_sets_the_pace():
    assert plan(None, FulfilmentPolicy(step=timedelta(milliseconds=100))) == [
        (S.ACKNOWLEDGED, 0.1),
        (S.IN_PROGRESS, 0.2),
        (S.COMPLETED, 0.3),
    ]


def test_a_cancellation_completes_one_step_later():
    assert cancellation_completes(T, POLICY) == T + timedelta(seconds=5)


@pytest.mark.parametrize(("step", "rate"), [(0, 0.0), (-1, 0.0), (5, -0.1), (5, 1.5)])
def test_a_nonsensical_policy_is_refused(step, rate):
    with pytest.raises(ValueError):
        FulfilmentPolicy(step=timedelta(seconds=step), failure_rate=rate)
