"""The query string of TMF622's productOrder list: TMF630's (api/tmf/query.py), `state`
narrowed to TMF622's values."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from omnicart.api.tmf.query import DatedQuery
from omnicart.wire.tmf.product_order import ProductOrderState


class ProductOrderQuery(DatedQuery, frozen=True):
    state: Annotated[ProductOrderState, Meta(description="Only orders in this TMF622 state")] | UnsetType = UNSET
