"""The order state machine: every legal transition is allowed, every other one refused.

The expected transitions are written out below on their own, not derived from the code's
table, so that a change to either shows up here.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from omnicart.domain.errors import IllegalTransition
from omnicart.domain.order import FINAL_STATES, ORDER_STATES, TRANSITIONS, Order, PlannedStep, StateChange
from omnicart.wire.cart import State

LEGAL = {
    ("Submitted", "Acknowledged"), ("Submitted", "Held"), ("Submitted", "Failed"),
    ("Submitted", "PendingCancel"),
    ("Acknowledged", "InProgress"), ("Acknowledged", "Held"), ("Acknowledged", "Failed"),
    ("Acknowledged", "PendingCancel"),
    ("InProgress", "Completed"), ("InProgress", "Partial"), ("InProgress", "Fallout"),
    ("InProgress", "Held"), ("InProgress", "Failed"), ("InProgress", "PendingCancel"),
    ("Held", "Acknowledged"), ("Held", "InProgress"), ("Held", "Failed"), ("Held", "PendingCancel"),
    ("PendingCancel", "Cancelled"),
    ("Fallout", "InProgress"), ("Fallout", "Failed"), ("Fallout", "Cancelled"),
}  # fmt: skip
FINAL = {"Completed", "Partial", "Failed", "Cancelled"}
# An order's states: every state but Draft (the cart's) and the carrier's amend states
# (omnicart has no amend operation).
REACHABLE = {"Submitted", "Acknowledged", "InProgress", "Held", "Fallout", "PendingCancel", *FINAL}
EVERY_PAIR = sorted(itertools.product([s.value for s in State], repeat=2))
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = T0 + timedelta(minutes=1)


def order_in(state: str, cart) -> Order:
    return Order(
        id="177a1210-f019-11f0-a4f6-dd46c526bb51",
        owner="p",
        customerOrderId="25-76826709685300",
        orderSummaryAccessToken="e2456215530fa8f6ddd1254a75482d08976559191",
        cartId=cart.id,
        state=State(state),
        submissionDate=T0,
        lastUpdate=T0,
        cart=cart,
        stateHistory=[StateChange(State(state), T0)],
        plan=[PlannedStep(State.COMPLETED, LATER)],
    )


@pytest.fixture
def order(cart_with):
    return lambda state: order_in(state, cart_with())


def test_the_table_is_exactly_the_expected_transitions():
    assert {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL


def test_final_states_lead_nowhere():
    assert {s.value for s in FINAL_STATES} == FINAL


def test_every_order_state_is_reachable_from_submitted_and_no_other_state_is():
    reached, frontier = {State.SUBMITTED}, [State.SUBMITTED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert {s.value for s in reached} == REACHABLE
    assert {s.value for s in ORDER_STATES} == REACHABLE


@pytest.mark.parametrize(("current", "target"), EVERY_PAIR)
def test_a_transition_is_made_exactly_when_it_is_legal(order, current, target):
    placed = order(current)
    if (current, target) in LEGAL:
        placed.move_to(State(target), LATER, "why")
        assert placed.state.value == target
        assert placed.lastUpdate == LATER
        assert placed.stateHistory[-1] == StateChange(State(target), LATER, "why")
        assert len(placed.stateHistory) == 2
    else:
        with pytest.raises(IllegalTransition) as refused:
            placed.move_to(State(target), LATER)
        assert f"from {current} to {target}" in refused.value.message
        assert refused.value.details["state"] == current
        assert refused.value.details["requestedState"] == target
        assert (placed.state.value, placed.lastUpdate, len(placed.stateHistory)) == (current, T0, 1)


@pytest.mark.parametrize(("target", "date_field"), [
    ("Completed", "completionDate"), ("Partial", "completionDate"), ("Cancelled", "cancellationDate"),
])  # fmt: skip
def test_the_end_of_an_order_is_dated(order, target, date_field):
    placed = order("InProgress" if target != "Cancelled" else "PendingCancel")
    placed.move_to(State(target), LATER)
    assert getattr(placed, date_field) == LATER


@pytest.mark.parametrize("final", sorted(FINAL))
def test_a_final_state_drops_what_was_still_planned(order, final):
    placed = order({"Cancelled": "PendingCancel"}.get(final, "InProgress"))
    placed.move_to(State(final), LATER)
    assert placed.plan == [] and placed.next_step_at is None


def test_the_documented_table_is_the_state_machine():
    """docs/orders.md shows the table partners read; it must be the one the code runs."""
    text = (Path(__file__).parents[2] / "docs" / "orders.md").read_text()
    section = text.split("\n## States\n", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for row in re.findall(r"^\| `(\w+)` \| (.*?) \|$", section, flags=re.MULTILINE):
        source, targets = row
        documented |= {(source, target) for target in re.findall(r"`(\w+)`", targets)}
    assert documented == LEGAL


class TestCancel:
    COMPLETES = LATER + timedelta(seconds=5)

    @pytest.mark.parametrize("current", ["Submitted", "Acknowledged", "InProgress", "Held"])
    def test_a_running_order_is_pending_cancel_with_cancelled_planned(self, order, current):
        placed = order(current)
        placed.cancel(LATER, "customer changed their mind", self.COMPLETES)
        assert placed.state is State.PENDING_CANCEL
        assert placed.cancellationReason == "customer changed their mind"
        assert placed.plan == [PlannedStep(State.CANCELLED, self.COMPLETES, "cancellation completed")]

    def test_a_fallout_order_is_cancelled_at_once(self, order):
        placed = order("Fallout")
        placed.cancel(LATER, None, self.COMPLETES)
        assert (placed.state, placed.cancellationDate, placed.plan) == (State.CANCELLED, LATER, [])
        assert placed.stateHistory[-1].reason == "cancellation requested"

    @pytest.mark.parametrize("current", ["PendingCancel", "Cancelled"])
    def test_asking_again_changes_nothing(self, order, current):
        placed = order(current)
        placed.cancel(LATER, "again", self.COMPLETES)
        assert (placed.state.value, len(placed.stateHistory), placed.cancellationReason) == (current, 1, None)

    @pytest.mark.parametrize("final", ["Completed", "Partial", "Failed"])
    def test_a_final_order_cannot_be_cancelled(self, order, final):
        placed = order(final)
        with pytest.raises(IllegalTransition, match=f"from {final} to PendingCancel"):
            placed.cancel(LATER, "too late", self.COMPLETES)
        assert placed.state.value == final and placed.cancellationReason is None
