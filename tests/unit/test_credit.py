"""A credit decision and the carrier's answer to it (domain/credit.py): the ids in the
carrier's formats, kept when an application names them, what each risk class tells the
partner, and who the applicant is."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import msgspec
import pytest

from omnicart.domain import credit
from omnicart.domain.cart import Cart
from omnicart.domain.errors import CartNotModifiable, CreditApplicantMissing
from omnicart.domain.world import load_default_world
from omnicart.wire.cart import State
from tests.credit_world import (
    CAS_APPLICATION_ID,
    UNIFIED_CREDIT_TRANSACTION_ID,
    UNIFIED_POLICY_TRANSACTION_ID,
)

AT = datetime(2026, 1, 15, 23, 30, 0, 125000, tzinfo=UTC)

# class → (creditDisclosureRequired, blocksOrder, reason), as partners read them
ANSWERS = {
    "LOW": (False, False, "low credit risk: the order may proceed"),
    "MEDIUM": (True, False, "medium credit risk: the order may proceed"),
    "HIGH": (True, False, "high credit risk: the order may proceed"),
    "Fraud Risk": (True, True, "the application shows a risk of fraud: the order cannot proceed"),
    "Abusive Risk": (True, True, "the customer's history shows abusive use: the order cannot proceed"),
    "Analyst Review": (
        True,
        True,
        "a credit analyst must review the application: the order cannot proceed until a new application "
        "answers another class",
    ),
}


class TestTheDecision:
    def test_new_ids_have_the_carriers_formats(self):
        for _ in range(200):
            decision = credit.decide("LOW", AT)
            assert re.fullmatch(UNIFIED_CREDIT_TRANSACTION_ID, decision.unifiedCreditTransactionId)
            assert re.fullmatch(CAS_APPLICATION_ID, decision.casApplicationId)
            assert re.fullmatch(UNIFIED_POLICY_TRANSACTION_ID, decision.unifiedPolicyTransactionId)

    def test_the_policy_transaction_carries_the_decisions_utc_date(self):
        assert credit.decide("LOW", AT).unifiedPolicyTransactionId.startswith("P20260115")
        in_chicago = AT.astimezone(timezone(timedelta(hours=-6)))  # still the 15th there, 17:30
        assert credit.decide("LOW", in_chicago).unifiedPolicyTransactionId.startswith("P20260115")
        after_midnight_in_tokyo = AT.astimezone(timezone(timedelta(hours=9)))  # the 16th there
        assert credit.decide("LOW", after_midnight_in_tokyo).unifiedPolicyTransactionId.startswith("P20260115")
        assert credit.decide("LOW", AT).decisionDate == "2026-01-15T23:30:00.125Z"

    def test_an_applications_own_ids_are_kept_and_the_policy_transaction_is_new(self):
        first = credit.decide(
            "LOW", AT, unified_credit_transaction_id="U35456657879", cas_application_id="602177078164"
        )
        second = credit.decide(
            "HIGH", AT, unified_credit_transaction_id="U35456657879", cas_application_id="602177078164"
        )
        assert (first.unifiedCreditTransactionId, first.casApplicationId) == ("U35456657879", "602177078164")
        assert (second.unifiedCreditTransactionId, second.casApplicationId) == ("U35456657879", "602177078164")
        assert first.unifiedPolicyTransactionId != second.unifiedPolicyTransactionId

    @pytest.mark.parametrize("risk", list(ANSWERS))
    def test_the_answer_to_each_class(self, risk):
        decision = credit.decide(risk, AT)
        answer = msgspec.to_builtins(credit.answer(decision))
        disclosure, blocks, reason = ANSWERS[risk]
        assert answer == {
            "unifiedCreditTransactionId": decision.unifiedCreditTransactionId,
            "casApplicationId": decision.casApplicationId,
            "unifiedPolicyTransactionId": decision.unifiedPolicyTransactionId,
            "creditRisk": risk,
            "interConnectTransactionId": answer["interConnectTransactionId"],
            "creditDisclosureRequired": disclosure,
            "eidVerifierCode": False,
            "questionsAndAnswers": [],
            "debt": [],
            "riskAssessment": {
                "creditRisk": risk,
                "blocksOrder": blocks,
                "reason": reason,
                "decisionDate": "2026-01-15T23:30:00.125Z",
            },
        }
        assert credit.blocks_order(risk) is blocks

    def test_every_class_of_the_sandbox_world_has_an_answer(self):
        assert {c.creditRisk for c in load_default_world().customers} == set(ANSWERS)

    @pytest.mark.parametrize("answer", ["LOW", "Analyst Review"])
    def test_a_bureaus_answer_is_a_class_only_as_the_carrier_spells_it(self, answer):
        assert credit.is_risk_class(answer)
        assert not credit.is_risk_class(answer.lower())
        assert not credit.is_risk_class(None)


class TestTheApplicant:
    def test_is_the_carts_customer_party(self, cart_with):
        assert credit.applicant(cart_with()) == "3f7f9189-974e-4639-8343-4a1819a98c7e"

    def test_a_cart_without_one_has_no_applicant(self, cart_with):
        cart = cart_with()
        cart.relatedParty = [p for p in cart.relatedParty if p.role != "customer"]
        with pytest.raises(CreditApplicantMissing):
            credit.applicant(cart)

    def test_only_a_draft_records_a_decision(self, cart_with):
        cart: Cart = cart_with()
        cart.state = State.SUBMITTED
        with pytest.raises(CartNotModifiable):
            cart.record_credit(credit.decide("LOW", AT))


def test_a_cart_stored_before_credit_decisions_existed_still_reads():
    stored = (
        b'{"id":"dea79fb0-21c4-11f1-8527-67c36c11d002","version":3,"state":"Draft",'
        b'"creationDate":"2025-06-01T10:00:00.000Z","lastUpdate":"2025-06-01T10:05:00.000Z",'
        b'"channel":{"id":"IND"},"relatedParty":[],"productOrderItem":[],"orderTotalPrice":[],'
        b'"agreement":[],"payment":[],"validation":{"status":"valid","readyToSubmit":false,'
        b'"validationMessage":[],"configuration":[]}}'
    )
    cart = msgspec.json.decode(stored, type=Cart)
    assert not cart.creditDecision
    assert msgspec.json.encode(cart) == stored  # and is written back as it was
