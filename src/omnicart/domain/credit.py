"""Credit applications: who applies, what the decision is, and what it means for the cart.

The carrier's fiber change order runs a real-time credit check of the cart's customer
(`POST /omni-svcs/v1/credit-application`, reference §4.3) before the order is submitted.
The applicant is the cart's customer (its relatedParty with role "customer"); the credit
bureau (a provider) answers one of the carrier's risk classes; the decision is recorded on
the cart (`creditDecision`, omnicart's own field), replacing any earlier one. Of the
classes, "Fraud Risk", "Abusive Risk" and "Analyst Review" block further progress: the
cart's validation says so (domain/rules.py) and express submit refuses it.

A cart that orders fiber (a `Broadband_Offer` item) must have a decision before it is
submitted: validation's `credit` configuration step (docs/decisions.md, "Credit").

The ids have the carrier's formats: `unifiedCreditTransactionId` U + 11 digits,
`casApplicationId` 12 digits, `unifiedPolicyTransactionId` P + the decision's date
(yyyymmdd, UTC) + 9 digits. A re-submission that names its application's ids keeps them;
the policy transaction is new with every decision.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeGuard

import msgspec

from omnicart.domain.cart import Cart
from omnicart.domain.errors import CreditApplicantMissing
from omnicart.domain.world import BLOCKING_RISKS, BROADBAND, CREDIT_RISKS
from omnicart.wire.cart import CreditDecision, CreditRisk
from omnicart.wire.credit import CreditApplicationResult, CreditDecisionSnapshot, RiskAssessment
from omnicart.wire.values import timestamp

_encode = msgspec.json.Encoder().encode

# What each class means for the order (riskAssessment.reason).
_REASONS: dict[str, str] = {
    "LOW": "low credit risk: the order may proceed",
    "MEDIUM": "medium credit risk: the order may proceed",
    "HIGH": "high credit risk: the order may proceed",
    "Fraud Risk": "the application shows a risk of fraud: the order cannot proceed",
    "Abusive Risk": "the customer's history shows abusive use: the order cannot proceed",
    "Analyst Review": "a credit analyst must review the application: the order cannot proceed until a new "
    "application answers another class",
}


def is_risk_class(value: object) -> TypeGuard[CreditRisk]:
    """Whether a bureau's answer is one of the carrier's risk classes."""
    return isinstance(value, str) and value in CREDIT_RISKS


def blocks_order(risk: str) -> bool:
    """Whether the carrier lets no order proceed at this risk class."""
    return risk in BLOCKING_RISKS


def applicant(cart: Cart) -> str:
    """The id of the customer a credit application for the cart assesses."""
    customer_id = cart.customer_id
    if customer_id is None:
        raise CreditApplicantMissing(cart.id)
    return customer_id


def needs_decision(ordered_types: Iterable[str | None]) -> bool:
    """Whether a cart ordering these productOfferingTypes needs a credit decision before it
    is submitted: one that orders fiber does."""
    return BROADBAND in ordered_types


def _digits(count: int, *, leading_zero: bool = True) -> str:
    if leading_zero:
        return f"{secrets.randbelow(10**count):0{count}d}"
    return str(10 ** (count - 1) + secrets.randbelow(9 * 10 ** (count - 1)))


def decide(
    risk: CreditRisk,
    at: datetime,
    *,
    unified_credit_transaction_id: str | None = None,
    cas_application_id: str | None = None,
) -> CreditDecision:
    """The decision of an application answered `risk` at `at`: the application's ids as
    given (a re-submission) or new ones, and a new policy transaction."""
    return CreditDecision(
        creditRisk=risk,
        unifiedCreditTransactionId=unified_credit_transaction_id or "U" + _digits(11, leading_zero=False),
        casApplicationId=cas_application_id or _digits(12, leading_zero=False),
        unifiedPolicyTransactionId="P" + at.astimezone(UTC).strftime("%Y%m%d") + _digits(9),
        decisionDate=timestamp(at),
    )


def answer(decision: CreditDecision) -> CreditApplicationResult:
    """The carrier's answer to the application `decision` decided."""
    risk = decision.creditRisk
    return CreditApplicationResult(
        unifiedCreditTransactionId=decision.unifiedCreditTransactionId,
        casApplicationId=decision.casApplicationId,
        unifiedPolicyTransactionId=decision.unifiedPolicyTransactionId,
        creditRisk=risk,
        interConnectTransactionId=str(uuid.uuid4()),
        creditDisclosureRequired=risk != "LOW",
        eidVerifierCode=False,
        riskAssessment=RiskAssessment(
            creditRisk=risk,
            blocksOrder=blocks_order(risk),
            reason=_REASONS[risk],
            decisionDate=decision.decisionDate,
        ),
    )


def snapshot(cart: Cart, customer_id: str, decision: CreditDecision) -> bytes:
    """The snapshot of the decision's event, once it is recorded on `cart` (its version
    is the cart's after the change)."""
    return _encode(
        CreditDecisionSnapshot(
            cartId=cart.id,
            cartVersion=cart.version,
            customerId=customer_id,
            creditRisk=decision.creditRisk,
            blocksOrder=blocks_order(decision.creditRisk),
            unifiedCreditTransactionId=decision.unifiedCreditTransactionId,
            casApplicationId=decision.casApplicationId,
            unifiedPolicyTransactionId=decision.unifiedPolicyTransactionId,
            decisionDate=decision.decisionDate,
        )
    )
