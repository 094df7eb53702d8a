"""Domain failures. Each names what went wrong in the API's own words and carries a
stable code; the HTTP layer decides the status code from the class alone."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "OMNICART-CART-0000"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class CartNotFound(DomainError):
    code = "OMNICART-CART-0404"

    def __init__(self, cart_id: str) -> None:
        super().__init__(f"cart {cart_id!r} was not found")


class ItemNotFound(DomainError):
    code = "OMNICART-ITEM-0404"

    def __init__(self, item_id: str) -> None:
        super().__init__(f"productOrderItem {item_id!r} is not in this cart")


class CartNotModifiable(DomainError):
    code = "OMNICART-CART-0409"

    def __init__(self, cart_id: str, state: str) -> None:
        super().__init__(
            f"cart {cart_id!r} is {state} and can no longer be changed",
            {"state": state},
        )


class DuplicateItemId(DomainError):
    code = "OMNICART-ITEM-0409"

    def __init__(self, item_id: str) -> None:
        super().__init__(
            f"productOrderItemId {item_id!r} is already used in this cart",
            {"errors": [{"field": "productOrderItemId", "reason": "must be unique in the cart"}]},
        )


class PreconditionFailed(DomainError):
    code = "OMNICART-CART-0412"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "the cart has changed since the version named in If-Match",
            {"currentETag": current_etag},
        )
        self.current_etag = current_etag


class LimitExceeded(DomainError):
    code = "OMNICART-LIMIT-0001"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason, {"errors": [{"field": field, "reason": reason}]})


class StoreUnavailable(DomainError):
    """The store cannot be reached or is too busy right now; the client may retry."""

    code = "OMNICART-STORE-0503"

    def __init__(self, reason: str = "the cart store is temporarily unavailable") -> None:
        super().__init__(reason)
