"""Orders as use cases: finding them, their lifecycle under the fulfilment simulator, and
cancelling them (omnicart extensions; docs/orders.md). Reading and cancelling them over
HTTP: tests/api/test_orders.py."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from omnicart.domain.errors import IllegalTransition
from omnicart.store import OrderFilter
from tests.carts import COMPLETE, line
from tests.credentials import PARTNER
from tests.services.conftest import MEMORY, advance, document, outbox, seed, submission

STEP = 5.0  # the default OMNICART_FULFILMENT_STEP_SECONDS


@pytest.fixture
def settings() -> Settings:
    """Sandbox mode: the simulator plans every order; the tests make the due steps
    themselves with the fake clock (`advance`)."""
    return Settings(database_url=MEMORY, sandbox=True)


@pytest.fixture
async def order(orders, ready_cart) -> dict:
    """A freshly submitted order, as the partner reads it."""
    placed, _ = await orders.submit(PARTNER, ready_cart["id"], submission())
    return document(placed)


async def read(orders, order: dict) -> dict:
    return document(await orders.get_order(PARTNER, order["id"]))


async def state_of(orders, order: dict) -> str:
    return (await read(orders, order))["state"]


async def history(orders, order: dict) -> list[tuple[str, str]]:
    return [(c["state"], c["date"]) for c in (await read(orders, order))["stateHistory"]]


async def order_states(store) -> list[str]:
    """The state of the order in each of its events, oldest first."""
    return [envelope["event"]["productOrder"]["state"] for _, envelope in await outbox(store, "productOrder")]


async def test_orders_are_found_newest_first_and_by_state(carts, orders, clock):
    ids = []
    for _ in range(3):
        cart = await carts.create_cart(PARTNER, seed(items=line()))
        placed, _ = await orders.submit(PARTNER, cart.id, submission(COMPLETE))
        ids.append(placed.id)
        clock.advance(1)
    await orders.cancel(PARTNER, ids[1])

    async def found(state: str | None = None, limit: int = 10, offset: int = 0) -> list[str]:
        page, _ = await orders.find_orders(PARTNER, OrderFilter(state=state), limit=limit, offset=offset)
        return [o.id for o in page]

    assert await found() == ids[::-1]
    assert (await orders.find_orders(PARTNER, OrderFilter(), limit=10, offset=0))[1] == 3
    assert await found(state="PendingCancel") == [ids[1]]
    assert await found(limit=1, offset=1) == [ids[1]]


class TestSimulatedFulfilment:
    async def test_an_order_goes_from_submitted_to_completed_one_step_at_a_time(self, orders, clock, order):
        assert await advance(orders, clock, STEP - 0.001) == 0
        assert await state_of(orders, order) == "Submitted"
        for state in ("Acknowledged", "InProgress", "Completed"):
            assert await advance(orders, clock, 0.001) == 1
            assert await state_of(orders, order) == state
            clock.advance(STEP - 0.001)
        completed = await read(orders, order)
        assert completed["completionDate"] == completed["lastUpdate"] == "2026-01-15T12:00:15.250Z"
        assert (await history(orders, order))[1:] == [
            ("Acknowledged", "2026-01-15T12:00:05.250Z"),
            ("InProgress", "2026-01-15T12:00:10.250Z"),
            ("Completed", "2026-01-15T12:00:15.250Z"),
        ]
        assert await advance(orders, clock, 3600) == 0

    async def test_every_change_is_committed_with_its_event(self, orders, store, clock, order):
        await advance(orders, clock, 3 * STEP)
        events = await outbox(store, "productOrder")
        assert [kind for kind, _ in events] == ["ProductOrderCreateEvent"] + ["ProductOrderStateChangeEvent"] * 3
        snapshots = [envelope["event"]["productOrder"] for _, envelope in events]
        assert [s["state"] for s in snapshots] == ["Submitted", "Acknowledged", "InProgress", "Completed"]
        assert {s["id"] for s in snapshots} == {order["id"]} and all("href" not in s for s in snapshots)
        assert [len(s["stateHistory"]) for s in snapshots] == [1, 2, 3, 4]

    async def test_steps_that_fell_due_meanwhile_are_made_in_order(self, orders, clock, order):
        assert await advance(orders, clock, 3600) == 1
        assert [state for state, _ in await history(orders, order)] == [
            "Submitted",
            "Acknowledged",
            "InProgress",
            "Completed",
        ]

    @pytest.mark.parametrize(
        "settings",
        [Settings(database_url=MEMORY, sandbox=True, fulfilment_failure_rate=1.0, fulfilment_step_seconds=1)],
        ids=["failure rate 1"],
    )
    async def test_a_failure_rate_of_one_fails_every_order(self, orders, clock, order):
        await advance(orders, clock, 3)
        final = await read(orders, order)
        assert final["state"] == "Failed" and "failure rate 1" in final["stateHistory"][-1]["reason"]

    @pytest.mark.parametrize("settings", [Settings(database_url=MEMORY)], ids=["not a sandbox"])
    async def test_outside_sandbox_mode_orders_stay_as_submitted(self, orders, clock, order):
        assert await advance(orders, clock, 86400) == 0
        assert await state_of(orders, order) == "Submitted"


class TestCancel:
    async def test_a_running_order_is_pending_cancel_then_cancelled_one_step_later(self, orders, store, clock, order):
        await advance(orders, clock, STEP)  # Acknowledged
        pending = document(await orders.cancel(PARTNER, order["id"], "customer changed their mind"))
        assert (pending["state"], pending["cancellationReason"]) == ("PendingCancel", "customer changed their mind")
        assert "cancellationDate" not in pending

        assert await advance(orders, clock, STEP - 0.001) == 0  # the rest of the plan is gone
        assert await advance(orders, clock, 0.001) == 1
        cancelled = await read(orders, order)
        assert (cancelled["state"], cancelled["cancellationDate"]) == ("Cancelled", "2026-01-15T12:00:10.250Z")
        assert [state for state, _ in await history(orders, order)] == [
            "Submitted",
            "Acknowledged",
            "PendingCancel",
            "Cancelled",
        ]
        assert await order_states(store) == ["Submitted", "Acknowledged", "PendingCancel", "Cancelled"]
        assert await advance(orders, clock, 3600) == 0

    async def test_cancelling_again_changes_nothing(self, orders, clock, order):
        first = document(await orders.cancel(PARTNER, order["id"]))
        assert document(await orders.cancel(PARTNER, order["id"], "again")) == first
        await advance(orders, clock, STEP)
        cancelled = await read(orders, order)
        assert document(await orders.cancel(PARTNER, order["id"])) == cancelled

    async def test_a_completed_order_cannot_be_cancelled(self, orders, clock, order):
        await advance(orders, clock, 3 * STEP)
        with pytest.raises(IllegalTransition) as refused:
            await orders.cancel(PARTNER, order["id"])
        assert refused.value.code == "OMNICART-ORDER-0409"
        assert "from Completed to PendingCancel" in refused.value.message
        assert refused.value.details == {"state": "Completed", "requestedState": "PendingCancel", "allowedStates": []}
        assert await state_of(orders, order) == "Completed"

    @pytest.mark.parametrize(
        "settings", [Settings(database_url=MEMORY, sandbox=True, fulfilment=False)], ids=["no simulator"]
    )
    async def test_without_the_simulator_a_cancellation_completes_at_once(self, orders, store, order):
        cancelled = document(await orders.cancel(PARTNER, order["id"]))
        assert cancelled["state"] == "Cancelled"
        assert [c["state"] for c in cancelled["stateHistory"]] == ["Submitted", "PendingCancel", "Cancelled"]
        assert await order_states(store) == ["Submitted", "PendingCancel", "Cancelled"]
