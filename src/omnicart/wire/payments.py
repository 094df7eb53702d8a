"""Payment methods on the wire: the carrier's `POST /omni-svcs/v1/payment-methods`
(fiber solutions, payment v1.0.1; operation id `payment`), its request and its answer.
What registering them does to a cart is the domain's (domain/payment.py)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.open import Open
from omnicart.wire.values import NonEmpty


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
