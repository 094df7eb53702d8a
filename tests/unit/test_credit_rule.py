"""What a credit decision does to a cart's validation: the classes that block the order are
an error (CREDIT_RISK_BLOCKS_ORDER) whatever the cart holds, and a cart that orders fiber
has a required `credit` step, complete once a decision is recorded. A cart without fiber
is validated as before."""

from __future__ import annotations

import pytest

from omnicart.domain.configuration import complete_step
from omnicart.domain.context import CartLimits
from omnicart.domain.rules import validate_cart
from omnicart.wire.cart import Configuration, CreditDecision, NameValue, ValidationMessage
from tests.unit.conftest import configure_all


def decision(risk: str) -> CreditDecision:
    return CreditDecision(
        creditRisk=risk,  # type: ignore[arg-type]
        unifiedCreditTransactionId="U35456657879",
        casApplicationId="602177078164",
        unifiedPolicyTransactionId="P20210818000068739",
        decisionDate="2026-01-15T12:00:00.000Z",
    )


@pytest.fixture
def validated(catalog, cart_with, now):
    """The validation of a cart of these items, its configuration complete, with the
    credit decision of `risk` recorded (None: none)."""

    def validated(*items, risk: str | None = None):
        cart = configure_all(cart_with(*items), catalog)
        if risk is not None:
            cart.record_credit(decision(risk))
        return validate_cart(cart, catalog, now, CartLimits())

    return validated


@pytest.mark.parametrize("risk", ["Fraud Risk", "Abusive Risk", "Analyst Review"])
def test_a_blocking_class_is_an_error_naming_it(validated, item, risk):
    validation = validated(item("AT&T Fiber 300", id="fiber"), risk=risk)
    assert (validation.status, validation.readyToSubmit) == ("invalid", False)
    assert validation.validationMessage == [
        ValidationMessage(
            text=f"the customer's credit risk class is {risk!r}: the carrier lets no order proceed at this class "
            "(a new credit application may answer another)",
            type="error",
            parameter=[NameValue("code", "CREDIT_RISK_BLOCKS_ORDER"), NameValue("creditRisk", risk)],
        )
    ]


@pytest.mark.parametrize("risk", ["LOW", "MEDIUM", "HIGH"])
def test_the_other_classes_let_the_order_proceed(validated, item, risk):
    validation = validated(item("AT&T Fiber 300", id="fiber"), risk=risk)
    assert (validation.status, validation.validationMessage) == ("valid", [])
    # What a fiber draft still lacks is its appointment, which express submit books.
    assert [step.type for step in validation.configuration if step.required and step.status != "complete"] == [
        "appointment"
    ]
    assert complete_step(validation, "appointment").readyToSubmit is True


def test_a_blocking_class_blocks_a_cart_without_fiber_too(validated, item):
    validation = validated(item("eSIM", id="sim"), risk="Fraud Risk")
    assert [p.value for m in validation.validationMessage for p in m.parameter if p.name == "code"] == [
        "CREDIT_RISK_BLOCKS_ORDER"
    ]
    assert validation.readyToSubmit is False


def test_the_message_comes_before_the_items_messages(validated, item):
    validation = validated(item("no-such-offering", id="x"), risk="Analyst Review")
    codes = [p.value for m in validation.validationMessage for p in m.parameter if p.name == "code"]
    assert codes == ["CREDIT_RISK_BLOCKS_ORDER", "OFFERING_NOT_FOUND"]


class TestTheCreditStep:
    def test_a_cart_ordering_fiber_must_have_a_decision(self, validated, item):
        validation = validated(item("AT&T Fiber 300", id="fiber"))
        assert (validation.status, validation.readyToSubmit) == ("valid", False)
        assert validation.configuration[2:] == [
            Configuration(type="credit", status="pending", required=True),
            Configuration(type="appointment", status="pending", required=True),  # domain/appointments.py
        ]

    def test_any_decision_completes_it(self, validated, item):
        validation = validated(item("AT&T Fiber 300", id="fiber"), risk="HIGH")
        assert validation.configuration[2] == Configuration(type="credit", status="complete", required=True)
        blocked = validated(item("AT&T Fiber 300", id="fiber"), risk="Fraud Risk")
        assert blocked.configuration[2] == Configuration(type="credit", status="complete", required=True)

    def test_the_appointment_booked_at_submit_does_not_stand_in_for_it(self, validated, item):
        booked = complete_step(validated(item("AT&T Fiber 300", id="fiber")), "appointment")
        assert booked.readyToSubmit is False
        assert [(step.type, step.status) for step in booked.configuration[2:]] == [
            ("credit", "pending"),
            ("appointment", "complete"),
        ]
        decided = complete_step(validated(item("AT&T Fiber 300", id="fiber"), risk="LOW"), "appointment")
        assert decided.readyToSubmit is True

    def test_the_steps_of_a_cart_without_fiber_are_unchanged(self, validated, item):
        validation = validated(item("Value Plus VL", id="line"), item("iPhone 16 128GB", id="phone", root="line"))
        assert [step.type for step in validation.configuration] == ["terms", "payment"]
        decided = validated(
            item("Value Plus VL", id="line"), item("iPhone 16 128GB", id="phone", root="line"), risk="LOW"
        )
        assert decided.configuration == validation.configuration

    @pytest.mark.parametrize("action", ["noChange", "terminate"])
    def test_keeping_or_ending_the_customers_fiber_needs_no_decision(self, validated, item, action):
        kept = item(None, id="old", action=action, productOfferingType="Broadband_Offer", product={"id": "51"})
        assert [step.type for step in validated(kept).configuration] == ["terms", "payment"]

    def test_an_empty_cart_has_no_steps(self, validated):
        assert validated(risk="LOW").configuration == []
