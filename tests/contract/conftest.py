"""The store under test: each contract test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from omnicart.domain.cart import ProductOrder, ProductOrderItem, State
from omnicart.domain.ids import time_uuid
from omnicart.store import open_store


@pytest.fixture
async def store(database_url: str) -> AsyncIterator:
    store = await open_store(database_url, pool_size=4)
    yield store
    await store.close()


def make_cart(owner: str = "partner-a", items: int = 0) -> ProductOrder:
    now = datetime(2026, 11, 28, 12, 0, 0, 123000, tzinfo=UTC)
    return ProductOrder(
        id=time_uuid(),
        owner=owner,
        version=1,
        state=State.DRAFT,
        creationDate=now,
        lastUpdate=now,
        channel={"id": "IND", "name": "IND", "unknown": {"kept": True}},
        relatedParty=[{"id": "G5MGG", "role": "partner", "referredType": "dealerLocation"}],
        productOrderItem=[ProductOrderItem(productOrderItemId=f"item-{i}", extra={"x": i}) for i in range(items)],
        extra={"note": "kept"},
    )
