"""Payment methods and terms consent: how a cart's `payment` and `terms` configuration
steps (domain/rules.py) become complete.

The carrier's `POST /omni-svcs/v1/payment-methods` (fiber solutions, v1.0.1; spec
att-omni-reference.md §4.3) registers payment methods for a cart, each naming the cart
(`cartId`) and, with `storeTermsConditionConsent: true`, recording the customer's consent
to the terms and conditions. It answers `{status: "success", paymentMethodId,
paymentProfileId}`. omnicart keeps no card data: the encrypted method and the account
number are neither stored nor echoed; the cart records a reference (`payment[]`) and the
accepted terms (`agreement[]`, every terms and conditions the cart needs at that moment).

Express submit's body may complete the same steps, as the carrier allows: a non-empty
`paymentMethods` registers payment, and `terms` names accepted terms by id
(`{"WCA": true, "DP-TC": true}`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.domain.cart import AgreementRef, NonEmpty, PaymentRef
from omnicart.domain.checkout import Terms
from omnicart.domain.open import Open


class PaySource(Open):
    sourceSystem: str | UnsetType = UNSET
    sourceLocation: str | UnsetType = UNSET
    sourceUser: str | UnsetType = UNSET


class PaymentMethod(Open):
    """One payment method of the carrier's request (all fields but `cartId` optional)."""

    cartId: NonEmpty
    id: str | UnsetType = UNSET
    amount: float | UnsetType = UNSET
    accountNumber: str | UnsetType = UNSET
    savePaymentProfile: bool = False
    storeTermsConditionConsent: bool = False
    tncId: str | UnsetType = UNSET
    customerAgreement: str | UnsetType = UNSET
    profileName: str | UnsetType = UNSET
    encPaymentMethod: str | UnsetType = UNSET
    paySource: PaySource | UnsetType = UNSET


class PaymentMethodsRequest(msgspec.Struct, forbid_unknown_fields=True):
    """`POST /omni-svcs/v1/payment-methods` (carrier v1.0.1)."""

    paymentMethods: Annotated[list[PaymentMethod], Meta(min_length=1, max_length=10)]


class PaymentMethodsResult(msgspec.Struct):
    """The carrier's answer: the id of the (first) registered method and, when the
    profile was saved, its profile id ("" otherwise)."""

    status: Literal["success"]
    paymentMethodId: str
    paymentProfileId: str


def register(methods: Iterable[PaymentMethod]) -> list[PaymentRef]:
    """A reference per method, with omnicart's ids for it (and its saved profile)."""
    refs = []
    for method in methods:
        profile = f"PP-{uuid.uuid4().hex[:20]}" if method.savePaymentProfile else None
        refs.append(PaymentRef(id=f"PM-{uuid.uuid4().hex[:20]}", name=method.id or None, paymentProfileId=profile))
    return refs


def agreements(terms: Iterable[Terms], accepted: set[str] | None = None) -> list[AgreementRef]:
    """The terms accepted: all of `terms`, or those whose id is in `accepted`."""
    return [AgreementRef(t.id, t.name, t.version) for t in terms if accepted is None or t.id in accepted]


def accepted_in_submission(terms: dict[str, Any] | UnsetType | None) -> set[str]:
    """Terms ids express submit's `terms` object accepts: `{"WCA": true}` (or "true",
    "accepted", "yes")."""
    if not isinstance(terms, dict):
        return set()
    return {
        key
        for key, value in terms.items()
        if value is True or (isinstance(value, str) and value.strip().lower() in {"true", "accepted", "yes"})
    }


def payments_in_submission(methods: list[dict[str, Any]] | UnsetType) -> list[PaymentRef]:
    """Express submit's `paymentMethods` as references (their `id` if they give one)."""
    if not isinstance(methods, list):
        return []
    return [PaymentRef(id=f"PM-{uuid.uuid4().hex[:20]}", name=str(m["id"]) if m.get("id") else None) for m in methods]
