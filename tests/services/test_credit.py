"""The credit application as a use case (services/credit.py): the cart's customer is
assessed by the credit bureau, the decision is recorded on the cart as a change committed
with its events, its refusals change nothing, and what the decision means for submitting
the order. Over HTTP: tests/api/test_credit.py."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from omnicart.domain.errors import (
    CartNotFound,
    CartNotModifiable,
    CartNotReady,
    CreditApplicantMissing,
    CreditApplicantUnknown,
    DownstreamFailure,
    PreconditionFailed,
    ProviderMissing,
)
from omnicart.domain.scenarios import parse
from omnicart.domain.world import load_default_world
from omnicart.providers import Providers
from omnicart.providers.interface import CreditCheck
from omnicart.providers.sandbox import WorldCustomers
from omnicart.services.credit import CreditService
from omnicart.wire.cart import CartCreate
from omnicart.wire.credit import CreditApplicationRequest
from omnicart.wire.decoding import convert
from tests.credentials import PARTNER
from tests.credit_world import (
    CAS_APPLICATION_ID,
    JORDAN,
    STRANGER,
    TAYLOR,
    UNIFIED_CREDIT_TRANSACTION_ID,
    UNIFIED_POLICY_TRANSACTION_ID,
    application,
    cart_request,
)
from tests.fiber import submission_with_a_slot_of
from tests.services.conftest import document, items, outbox, read, submission

NOW = "2026-01-15T12:00:00.250Z"  # the fake clock's start (tests/conftest.py START)
NOT_READY = "OMNICART-CART-0001"


def request(cart_id: str, **fields) -> CreditApplicationRequest:
    """The carrier's body, as the HTTP layer decodes it."""
    return convert(application(cart_id, **fields), CreditApplicationRequest)


async def new_cart(carts, customer_id: str | None = JORDAN, **options) -> dict:
    return document(await carts.create_cart(PARTNER, convert(cart_request(customer_id, **options), CartCreate)))


class Bureau:
    """A credit bureau that answers `risk` (or fails with `failure`) and notes what it was told."""

    def __init__(self, risk: str = "LOW", failure: Exception | None = None) -> None:
        self.risk = risk
        self.failure = failure
        self.asked: list[tuple[str, CreditCheck]] = []

    async def assess(self, customer, check: CreditCheck) -> str:
        self.asked.append((customer.id, check))
        if self.failure is not None:
            raise self.failure
        return self.risk


def with_bureau(carts, bureau: Bureau | None, *, directory: bool = True) -> CreditService:
    customers = WorldCustomers(load_default_world()) if directory else None
    return CreditService(carts, Providers("test", customers=customers, credit=bureau))


@pytest.fixture
async def fiber_cart(carts) -> dict:
    """A draft cart of Jordan Rivera (LOW in the sandbox world) ordering AT&T Fiber 300."""
    return await new_cart(carts)


class TestTheDecisionIsRecorded:
    async def test_as_a_cart_change_committed_with_its_event(self, services, carts, store, fiber_cart):
        answer, changed = await services.credit.apply(PARTNER, request(fiber_cart["id"]))
        body = json.loads(answer)
        cart = document(changed)
        assert cart == await read(carts, fiber_cart["id"])
        assert cart["version"] == fiber_cart["version"] + 1 and cart["lastUpdate"] == NOW
        assert cart["creditDecision"] == {
            "creditRisk": "LOW",
            "unifiedCreditTransactionId": body["unifiedCreditTransactionId"],
            "casApplicationId": body["casApplicationId"],
            "unifiedPolicyTransactionId": body["unifiedPolicyTransactionId"],
            "decisionDate": NOW,
        }
        events = await outbox(store)
        assert [kind for kind, _ in events] == [
            "ShoppingCartCreateEvent",
            "ShoppingCartAttributeValueChangeEvent",
            "CreditDecisionCreateEvent",
        ]
        change, decided = events[1][1], events[2][1]
        assert change["event"]["shoppingCart"] == cart
        assert decided["eventTime"] == change["eventTime"] == NOW
        assert decided["event"] == {
            "creditDecision": {
                "cartId": fiber_cart["id"],
                "cartVersion": 2,
                "customerId": JORDAN,
                "creditRisk": "LOW",
                "blocksOrder": False,
                "unifiedCreditTransactionId": body["unifiedCreditTransactionId"],
                "casApplicationId": body["casApplicationId"],
                "unifiedPolicyTransactionId": body["unifiedPolicyTransactionId"],
                "decisionDate": NOW,
            }
        }

    async def test_its_ids_have_the_carriers_formats_and_date(self, services, fiber_cart):
        body = json.loads((await services.credit.apply(PARTNER, request(fiber_cart["id"])))[0])
        assert re.fullmatch(UNIFIED_CREDIT_TRANSACTION_ID, body["unifiedCreditTransactionId"])
        assert re.fullmatch(CAS_APPLICATION_ID, body["casApplicationId"])
        assert re.fullmatch(UNIFIED_POLICY_TRANSACTION_ID, body["unifiedPolicyTransactionId"])
        assert body["unifiedPolicyTransactionId"][:9] == "P20260115"

    async def test_a_resubmission_keeps_the_ids_it_names(self, services, fiber_cart):
        again = request(fiber_cart["id"], unifiedCreditTransactionId="U35456657879", casApplicationId="012345678901")
        _, changed = await services.credit.apply(PARTNER, again)
        decision = document(changed)["creditDecision"]
        assert (decision["unifiedCreditTransactionId"], decision["casApplicationId"]) == (
            "U35456657879",
            "012345678901",
        )

    async def test_the_bureau_is_told_who_applies_and_nothing_of_it_is_kept(self, carts, store, fiber_cart):
        bureau = Bureau("MEDIUM")
        answer, changed = await with_bureau(carts, bureau).apply(PARTNER, request(fiber_cart["id"]))
        assert bureau.asked == [
            (JORDAN, CreditCheck(date(1959, 1, 1), "SocialSecurityNumber", "123456789")),
        ]
        assert json.loads(answer)["creditRisk"] == document(changed)["creditDecision"]["creditRisk"] == "MEDIUM"
        kept = [changed.wire, answer, *(json.dumps(envelope).encode() for _, envelope in await outbox(store))]
        assert not any(b"123456789" in data or b"1959-01-01" in data for data in kept)

    async def test_without_user_info_the_bureau_is_told_nothing_more(self, carts, fiber_cart):
        bureau = Bureau()
        bare = convert({"cartId": fiber_cart["id"]}, CreditApplicationRequest)
        await with_bureau(carts, bureau).apply(PARTNER, bare)
        assert bureau.asked == [(JORDAN, CreditCheck())]

    async def test_the_credit_risk_scenario_decides_instead_of_the_bureau(self, carts, fiber_cart):
        bureau = Bureau("LOW")
        scenarios = parse("credit_risk;class=abusive_risk")
        answer, _ = await with_bureau(carts, bureau).apply(PARTNER, request(fiber_cart["id"]), scenarios=scenarios)
        assert json.loads(answer)["riskAssessment"] == {
            "creditRisk": "Abusive Risk",
            "blocksOrder": True,
            "reason": "the customer's history shows abusive use: the order cannot proceed",
            "decisionDate": NOW,
        }


class TestTheCartChangingWhileTheBureauIsAsked:
    """The bureau is asked before the cart is written: the write checks the cart again."""

    @pytest.fixture
    def busy(self, carts, fiber_cart):
        """A bureau during whose answer the partner adds an item to the cart (version 2)."""

        class Busy(Bureau):
            async def assess(self, customer, check: CreditCheck) -> str:
                await carts.add_items(
                    PARTNER, fiber_cart["id"], items({"productOfferingId": "SIM_pkey80001_sku6001001"})
                )
                return await super().assess(customer, check)

        return with_bureau(carts, Busy("HIGH"))

    async def test_the_decision_goes_on_the_cart_as_it_is_now(self, carts, busy, fiber_cart):
        _, changed = await busy.apply(PARTNER, request(fiber_cart["id"]))
        cart = document(changed)
        assert cart["version"] == 3 and len(cart["productOrderItem"]) == 2
        assert cart["creditDecision"]["creditRisk"] == "HIGH"

    async def test_an_if_match_of_the_version_before_is_refused(self, carts, store, busy, fiber_cart):
        with pytest.raises(PreconditionFailed):
            await busy.apply(PARTNER, request(fiber_cart["id"]), if_match='"1"')
        cart = await read(carts, fiber_cart["id"])
        assert cart["version"] == 2 and "creditDecision" not in cart
        assert "CreditDecisionCreateEvent" not in [kind for kind, _ in await outbox(store)]


class TestRefusalsChangeNothing:
    async def refused(self, store, credit, cart_id: str, error: type[Exception], **options) -> Exception:
        before = await outbox(store)
        with pytest.raises(error) as refused:
            await credit.apply(PARTNER, request(cart_id), **options)
        assert await outbox(store) == before
        return refused.value

    async def test_an_unknown_cart(self, services, store):
        await self.refused(store, services.credit, "dea79fb0-21c4-11f1-8527-67c36c11d002", CartNotFound)
        await self.refused(store, services.credit, "not-a-cart", CartNotFound)

    async def test_a_submitted_cart(self, services, orders, carts, store, fiber_cart):
        await services.credit.apply(PARTNER, request(fiber_cart["id"]))
        complete = submission(await submission_with_a_slot_of(orders, fiber_cart["id"]))  # terms, appointment
        await orders.submit(PARTNER, fiber_cart["id"], complete)
        await self.refused(store, services.credit, fiber_cart["id"], CartNotModifiable)

    async def test_a_stale_if_match(self, services, carts, store, fiber_cart):
        await self.refused(store, services.credit, fiber_cart["id"], PreconditionFailed, if_match='"9"')
        assert await read(carts, fiber_cart["id"]) == fiber_cart

    async def test_a_cart_without_a_customer(self, services, carts, store):
        cart = await new_cart(carts, None)
        await self.refused(store, services.credit, cart["id"], CreditApplicantMissing)
        assert await read(carts, cart["id"]) == cart

    async def test_a_customer_the_directory_does_not_know(self, services, carts, store):
        cart = await new_cart(carts, STRANGER)
        refused = await self.refused(store, services.credit, cart["id"], CreditApplicantUnknown)
        assert refused.details == {"customerId": STRANGER}

    async def test_no_credit_bureau_or_customer_directory(self, carts, store, fiber_cart):
        missing = await self.refused(store, with_bureau(carts, None), fiber_cart["id"], ProviderMissing)
        assert missing.details == {"provider": "credit bureau"}
        missing = await self.refused(
            store, with_bureau(carts, Bureau(), directory=False), fiber_cart["id"], ProviderMissing
        )
        assert missing.details == {"provider": "customer directory"}
        assert await read(carts, fiber_cart["id"]) == fiber_cart

    async def test_a_bureau_that_fails(self, carts, store, fiber_cart):
        failing = with_bureau(carts, Bureau(failure=DownstreamFailure("credit bureau", "timed out")))
        await self.refused(store, failing, fiber_cart["id"], DownstreamFailure)
        assert await read(carts, fiber_cart["id"]) == fiber_cart

    async def test_a_bureau_that_answers_no_risk_class(self, carts, store, fiber_cart):
        refused = await self.refused(store, with_bureau(carts, Bureau("SHAKY")), fiber_cart["id"], DownstreamFailure)
        assert (
            refused.message == "the credit bureau service failed: it answered 'SHAKY', which is not a credit risk class"
        )
        assert await read(carts, fiber_cart["id"]) == fiber_cart


class TestWhatTheDecisionMeansForTheOrder:
    async def test_a_fiber_cart_is_not_submitted_before_its_credit_decision(self, services, orders, fiber_cart):
        complete = submission(await submission_with_a_slot_of(orders, fiber_cart["id"]))  # terms, appointment
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, fiber_cart["id"], complete)
        assert refused.value.code == NOT_READY
        assert refused.value.details["configuration"] == [
            {"type": "credit", "status": "pending", "required": True, "postOrderConfigurable": False}
        ]
        await services.credit.apply(PARTNER, request(fiber_cart["id"]))
        order, _ = await orders.submit(PARTNER, fiber_cart["id"], complete)
        assert order.cart.creditDecision and order.cart.creditDecision.creditRisk == "LOW"

    async def test_a_blocking_class_refuses_the_submit_until_a_new_application_clears_it(self, services, carts, orders):
        cart = await new_cart(carts, TAYLOR)
        _, changed = await services.credit.apply(PARTNER, request(cart["id"]))
        assert document(changed)["validation"]["readyToSubmit"] is False
        complete = submission(await submission_with_a_slot_of(orders, cart["id"]))  # terms, appointment
        with pytest.raises(CartNotReady) as refused:
            await orders.submit(PARTNER, cart["id"], complete)
        assert refused.value.details["validationMessage"] == [
            {
                "text": "the customer's credit risk class is 'Fraud Risk': the carrier lets no order proceed at this "
                "class (a new credit application may answer another)",
                "type": "error",
                "parameter": [
                    {"name": "code", "value": "CREDIT_RISK_BLOCKS_ORDER"},
                    {"name": "creditRisk", "value": "Fraud Risk"},
                ],
            }
        ]
        assert "Fraud Risk" in refused.value.message
        await services.credit.apply(PARTNER, request(cart["id"]), scenarios=parse("credit_risk;class=medium"))
        order, _ = await orders.submit(PARTNER, cart["id"], complete)
        assert order.state == "Submitted"
