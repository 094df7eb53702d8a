"""Credit applications on the wire: the carrier's `POST /omni-svcs/v1/credit-application`
(fiber change order, v1.0.2; reference §4.3), its request and its answer, and the
snapshot of the credit decision event. What an application does to a cart is the
domain's (domain/credit.py); the decision the cart keeps is `wire.cart.CreditDecision`.

Only `cartId` is required: a first application sends the applicant's `userInfo`
(birthdate, legal ids), a re-submission continues an application by its ids
(`unifiedCreditTransactionId`, `casApplicationId`, as answered before) with the
`selectedAnswers` to its questions. The ids have the carrier's formats: omnicart issues
them, so another value cannot name one of its applications.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.cart import CreditRisk
from omnicart.wire.open import Open
from omnicart.wire.values import NonEmpty, Timestamp

UnifiedCreditTransactionId = Annotated[
    str, Meta(pattern=r"^U[0-9]{11}$", description="U and 11 digits", examples=["U35456657879"])
]
CasApplicationId = Annotated[str, Meta(pattern=r"^[0-9]{12}$", description="12 digits", examples=["602177078164"])]
Birthdate = Annotated[date, Meta(description="YYYY-MM-DD, in the past", examples=["1959-01-01"])]


class LegalId(Open):
    """One of the applicant's legal ids, e.g. `{"identificationId": "…",
    "identificationType": "SocialSecurityNumber"}`. Handed to the credit bureau, never
    stored nor echoed."""

    identificationId: NonEmpty
    identificationType: NonEmpty


class UserInfo(Open):
    """What the bureau is told about the applicant, besides who the cart's customer is."""

    birthdate: Birthdate | UnsetType = UNSET
    legalId: Annotated[list[LegalId], Meta(max_length=10)] = []


class CreditApplicationRequest(msgspec.Struct, forbid_unknown_fields=True):
    """`POST /omni-svcs/v1/credit-application` (carrier v1.0.2). The applicant is the
    cart's customer (its relatedParty with role "customer")."""

    cartId: NonEmpty
    unifiedCreditTransactionId: UnifiedCreditTransactionId | UnsetType = UNSET
    casApplicationId: CasApplicationId | UnsetType = UNSET
    # Answers to an earlier answer's questionsAndAnswers; omnicart asks no questions, so
    # they are accepted and not used.
    selectedAnswers: Annotated[list[dict[str, Any]], Meta(max_length=50)] = []
    userInfo: UserInfo | UnsetType = UNSET


class RiskAssessment(msgspec.Struct, frozen=True, kw_only=True):
    """omnicart's own shape of the carrier's `riskAssessment`: the risk class, whether it
    blocks the order (Fraud Risk, Abusive Risk, Analyst Review), why, and when it was
    decided (the cart's creditDecision.decisionDate)."""

    creditRisk: CreditRisk
    blocksOrder: bool
    reason: str
    decisionDate: Timestamp


class CreditApplicationResult(msgspec.Struct, frozen=True, kw_only=True):
    """The carrier's answer. `questionsAndAnswers` (identity questions) and `debt` (the
    customer's debts with the carrier) are always empty in omnicart, and
    `eidVerifierCode` false: it asks no identity questions. `creditDisclosureRequired` is
    true for every class but LOW (the customer must be told their credit shaped the
    offer); `interConnectTransactionId` is a UUID (omnicart's choice)."""

    unifiedCreditTransactionId: str
    casApplicationId: str
    unifiedPolicyTransactionId: str
    creditRisk: CreditRisk
    interConnectTransactionId: str
    creditDisclosureRequired: bool
    eidVerifierCode: bool
    questionsAndAnswers: list[dict[str, Any]] = []
    debt: list[dict[str, Any]] = []
    riskAssessment: RiskAssessment


class CreditDecisionSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """omnicart's own: the snapshot of a `CreditDecisionCreateEvent` (docs/events.md): the
    cart and its version after the decision was recorded, the applicant, and the decision."""

    cartId: str
    cartVersion: int
    customerId: str
    creditRisk: CreditRisk
    blocksOrder: bool
    unifiedCreditTransactionId: str
    casApplicationId: str
    unifiedPolicyTransactionId: str
    decisionDate: Timestamp
