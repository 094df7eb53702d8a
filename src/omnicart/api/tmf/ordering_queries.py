"""The query strings of TMF622's lists (TMF630 conventions: attribute filters, `fields`,
offset/limit), as api/queries.py declares every operation's."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.api.queries import Instant, Page, Query
from omnicart.wire.tmf.product_order import ProductOrderState

Fields = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=512,
        description="TMF630 projection: the attributes to answer, comma-separated (id and href always come)",
    ),
]


class ProductOrderQuery(Page, frozen=True):
    fields: Fields | UnsetType = UNSET
    id: Annotated[str, Meta(min_length=1, max_length=64, description="Only the order with this id")] | UnsetType = UNSET
    state: Annotated[ProductOrderState, Meta(description="Only orders in this TMF622 state")] | UnsetType = UNSET
    orderDate: Annotated[Instant, Meta(description="Only orders placed at this instant (to the millisecond)")] | (
        UnsetType
    ) = UNSET
    orderDate_gt: Annotated[Instant, Meta(description="Only orders placed after this instant")] | UnsetType = (
        msgspec.field(default=UNSET, name="orderDate.gt")
    )
    orderDate_lt: Annotated[Instant, Meta(description="Only orders placed before this instant")] | UnsetType = (
        msgspec.field(default=UNSET, name="orderDate.lt")
    )


class CancelProductOrderQuery(Page, frozen=True):
    fields: Fields | UnsetType = UNSET


class ProductOrderFields(Query, frozen=True):
    """One resource's: only the projection."""

    fields: Fields | UnsetType = UNSET
