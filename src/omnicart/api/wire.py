"""Wire structs of the HTTP layer: the request envelopes, the error body, and the answer
shapes as the OpenAPI document shows them. The cart's own objects (channel, parties,
items, prices) are the domain's structs: one declaration per field, wire and domain alike.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from omnicart.domain.cart import CartCreate, ProductOrder, ProductOrderItem

__all__ = ["CartCreate", "Error", "ErrorEntry", "ItemsAdd", "ProductOrderView"]


class ItemsAdd(msgspec.Struct, forbid_unknown_fields=True):
    """Add Items to Cart request."""

    items: Annotated[list[ProductOrderItem], Meta(min_length=1)]


class ProductOrderView(ProductOrder, kw_only=True):
    """The cart as the carrier returns it: a draft ProductOrder, with where to find it."""

    href: str


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
