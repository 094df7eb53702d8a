"""Billing on the wire: the carrier's `POST /omni-svcs/v1/order/{orderId}/billing`
(billing spec 1.0.0, operation `updateBilling`, tag `sales-operations`; reference §4.2):
AutoPay and paperless enrollment for an order. The request is the carrier's
(`BillingRequest`); its answer is not seen, so `BillingResult` is omnicart's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

import msgspec

from omnicart.wire.cart import Enrollment, Validation

ENROLLED = ("autoPay", "paperLess")


class BillingRequest(msgspec.Struct, forbid_unknown_fields=True):
    """`{"enrollment": {"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""}}`."""

    enrollment: Enrollment

    # At least one of these is required (api/direct_fulfilment.py refuses without; the
    # OpenAPI document says so, api/request_schemas.py).
    ONE_OF_REQUIRED: ClassVar[Mapping[str, tuple[tuple[str, ...], ...]]] = {"enrollment": (ENROLLED,)}


class BillingResult(msgspec.Struct):
    """omnicart's answer: `status` "success", the order's enrollment as now recorded (what
    this request named, over what was recorded before) and its validation."""

    status: Literal["success"]
    enrollment: Enrollment
    validation: Validation
