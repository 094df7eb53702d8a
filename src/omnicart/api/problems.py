"""The error omnicart answers with, as an exception, without Starlette: the body decoding
(api/decoding.py) raises it and is shared with the client, which must not need a web server."""

from __future__ import annotations

from typing import Any

# The carrier's codes for Create Cart / Add Items input problems.
REQUIRED_FIELDS_MISSING = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001"
INVALID_CART_REQUEST = "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002"


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
