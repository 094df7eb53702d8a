"""Billing on the wire: the carrier's `POST /omni-svcs/v1/order/{orderId}/billing`
(billing spec 1.0.0, operation `updateBilling`, tag `sales-operations`; reference §4.2):
AutoPay and paperless enrollment for an order. The request is the carrier's
(`BillingRequest`); its answer is not seen, so `BillingResult` is omnicart's."""

from __future__ import annotations

from typing import Literal

import msgspec

from omnicart.wire.cart import Enrollment, Validation


class BillingRequest(msgspec.Struct, forbid_unknown_fields=True):
    """`{"enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""}}`."""

    enrollment: Enrollment


class BillingResult(msgspec.Struct):
    """omnicart's answer: `status` "success", the order's enrollment as now recorded (what
    this request named, over what was recorded before) and its validation."""

    status: Literal["success"]
    enrollment: Enrollment
    validation: Validation
