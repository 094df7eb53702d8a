"""The one error body of omnicart, and the error as an exception (`ApiError`), without
Starlette: the body decoding (wire/decoding.py) raises it, the HTTP layer answers it, and
the client reads the same body back."""

from __future__ import annotations

from typing import Any

import msgspec

# The carrier's codes for Create Cart / Add Items input problems.
REQUIRED_FIELDS_MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID_CART_REQUEST = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"
# Checkout Configuration's: required fields missing (its other input problems are
# INVALID_CART_REQUEST: the carrier lists no other code for them).
FULFILLMENT_OPTIONS_MISSING = "EXTSALESOPS-ORDER_CREATE-FULFILLMENT_OPTIONS-0001"


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers


def invalid_field(field: str, reason: str, *, missing: bool = False) -> ApiError:
    return ApiError(
        400,
        REQUIRED_FIELDS_MISSING if missing else INVALID_CART_REQUEST,
        f"{'required field missing' if missing else 'invalid request'}: {field}: {reason}",
        {"errors": [{"field": field, "reason": reason}]},
    )


class ErrorEntry(msgspec.Struct):
    field: str
    reason: str


class Error(msgspec.Struct):
    """The one error body of omnicart: a stable `code` (the carrier's EXTSALESOPS-… codes where one
    fits), a `message` for people, the HTTP `status`, and `details` (`errors[]` of `{field, reason}`)."""

    code: str
    message: str
    status: int
    details: dict[str, Any] = {}
