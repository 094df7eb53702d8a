"""Payment methods and terms consent: how a cart's `payment` and `terms` configuration
steps (domain/configuration.py) become complete.

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
from typing import Any

from msgspec import UnsetType

from omnicart.wire.cart import AgreementRef, PaymentRef
from omnicart.wire.orders import Terms
from omnicart.wire.payments import PaymentMethod


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
