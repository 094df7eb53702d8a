"""Sandbox mock scenarios that shape what a use case does: the order system's rejection,
the fulfilment outcomes and the protection's ineligibility, each as docs/sandbox.md says,
given as the HTTP layer hands them down (the `mock-scenario` header, parsed). The header
itself, the scenarios HTTP answers by itself (slow_response, transient_503), and the
header ignored outside sandbox mode: tests/api/test_scenarios.py."""

from __future__ import annotations

import pytest

from omnicart.config import Settings
from omnicart.domain.errors import CartNotReady, SubmissionRejected
from omnicart.domain.scenarios import NO_SCENARIOS, parse
from tests.credentials import PARTNER
from tests.services.conftest import MEMORY, advance, document, placed, read, submission

STEP = 5.0  # the default OMNICART_FULFILMENT_STEP_SECONDS
NOT_READY = "OMNICART-CART-0001"


@pytest.fixture
def settings() -> Settings:
    """Sandbox mode: the tests make due steps with the fake clock."""
    return Settings(database_url=MEMORY, sandbox=True)


@pytest.fixture
def submit(orders, ready_cart):
    """Submit the ready cart with a mock-scenario; the order."""

    async def submit(scenario: str | None = None):
        scenarios = parse(scenario) if scenario else NO_SCENARIOS
        order, _ = await orders.submit(PARTNER, ready_cart["id"], submission(), scenarios=scenarios)
        return order

    return submit


async def states(orders, order_id: str) -> list[str]:
    return [change.state for change in (await orders.get_order(PARTNER, order_id)).stateHistory]


class TestSubmitRejected:
    async def test_a_reason_picks_another_of_the_carriers_rejections(self, submit):
        with pytest.raises(SubmissionRejected) as refused:
            await submit("submit_rejected;reason=0003")
        assert refused.value.code == "EXTSALESOPS-CART_CREATE-OAV-0003"
        assert "past due" in refused.value.message

    async def test_a_cart_that_is_not_ready_answers_its_validation_first(self, orders, cart):
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], submission(), scenarios=parse("submit_rejected"))
        assert refused.value.code == NOT_READY


class TestFulfilmentFails:
    async def test_the_order_fails_after_the_given_seconds(self, orders, clock, submit):
        order = await submit("fulfilment_fails;after=5")
        await advance(orders, clock, 4.999)
        assert await states(orders, order.id) == ["Submitted"]
        await advance(orders, clock, 0.001)
        failed = document(await orders.get_order(PARTNER, order.id))
        assert (failed["state"], failed["mockScenario"]) == ("Failed", "fulfilment_fails;after=5")
        assert failed["stateHistory"][-1]["reason"] == "mock-scenario fulfilment_fails"

    async def test_by_default_it_fails_where_it_would_have_completed(self, orders, clock, submit):
        order = await submit("fulfilment_fails")
        await advance(orders, clock, 3 * STEP - 0.001)
        assert await states(orders, order.id) == ["Submitted", "Acknowledged", "InProgress"]
        await advance(orders, clock, 0.001)
        assert (await states(orders, order.id))[-1] == "Failed"


class TestOrderHeld:
    async def test_the_order_is_held_and_stays_held(self, orders, clock, submit):
        order = await submit("order_held")
        await advance(orders, clock, 2 * STEP)
        assert await states(orders, order.id) == ["Submitted", "Acknowledged", "Held"]
        await advance(orders, clock, 86400)
        assert await states(orders, order.id) == ["Submitted", "Acknowledged", "Held"]

    async def test_with_release_it_is_released_and_completed(self, orders, clock, submit):
        order = await submit("order_held;release=30")
        await advance(orders, clock, 2 * STEP + 30 - 0.001)
        assert (await states(orders, order.id))[-1] == "Held"
        await advance(orders, clock, 0.001)
        assert (await states(orders, order.id))[-1] == "InProgress"
        await advance(orders, clock, STEP)
        assert await states(orders, order.id) == ["Submitted", "Acknowledged", "Held", "InProgress", "Completed"]


class TestFallout:
    async def test_the_order_falls_out_stays_there_and_can_be_cancelled(self, orders, clock, submit):
        order = await submit("fallout")
        await advance(orders, clock, 86400)
        assert await states(orders, order.id) == ["Submitted", "Acknowledged", "InProgress", "Fallout"]
        assert (await orders.cancel(PARTNER, order.id)).state == "Cancelled"


class TestPartial:
    async def test_the_order_is_partly_completed(self, orders, clock, submit):
        order = await submit("partial")
        await advance(orders, clock, 3 * STEP)
        partial = document(await orders.get_order(PARTNER, order.id))
        assert [c["state"] for c in partial["stateHistory"]] == ["Submitted", "Acknowledged", "InProgress", "Partial"]
        assert partial["completionDate"] == partial["lastUpdate"]


class TestProtectionIneligible:
    async def test_checkout_finds_the_protection_item_ineligible(self, carts, orders, ready_cart):
        checkout = await orders.checkout(PARTNER, ready_cart["id"], parse("protection_ineligible"))
        validation = document(checkout.cart)["validation"]
        assert validation["readyToSubmit"] is False
        (message,) = validation["validationMessage"]
        assert {p["name"]: p["value"] for p in message["parameter"]} == {
            "code": "PROTECTION_INELIGIBLE",
            "productOrderItemId": "line-1-protect",
        }
        assert await read(carts, ready_cart["id"]) == ready_cart

    async def test_express_submit_is_refused_as_not_ready(self, orders, submit):
        with pytest.raises(CartNotReady) as refused:
            await submit("protection_ineligible")
        assert refused.value.code == NOT_READY
        assert refused.value.details["validationMessage"][0]["parameter"][0] == {
            "name": "code",
            "value": "PROTECTION_INELIGIBLE",
        }
        assert await placed(orders) == []
