"""Shared fixtures: the shipped sample catalog, and factories for items and carts.

Items are named by catalog offering name, so a test reads like the cart a partner builds:

    cart_with(item("Value Plus VL", id="line"), item("iPhone 16 128GB", root="line"))

A string the catalog does not know is used as a productOfferingId as it is. A `terminate`
comes with the reason the carrier requires with it (`MEMO`), unless the test says
otherwise (`actionReason=None`: none at all).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, load_default_catalog
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.values import timestamp
from tests.carts import MEMO
from tests.conftest import SEED_REQUEST

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_default_catalog()


@pytest.fixture(scope="session")
def item(catalog: Catalog) -> Callable[..., ProductOrderItem]:
    by_name = {offering.name: offering for offering in catalog}
    ids = itertools.count(1)

    def make(
        offering: str | None = None,
        *,
        id: str | None = None,
        root: str | None = None,
        characteristics: dict[str, str] | None = None,
        **fields: Any,
    ) -> ProductOrderItem:
        known = by_name.get(offering or "") or catalog.get(offering)
        if fields.get("action") == "terminate":
            fields.setdefault("actionReason", MEMO)
        if known is not None:
            fields.setdefault("productOfferingType", known.productOfferingType)
        # Built from the carrier's JSON shape, as a request's item is.
        wire = {
            "productOrderItemId": id or f"item-{next(ids)}",
            "productOfferingId": known.id if known else offering,
            "rootBundleProductOrderItemId": root,
            "characteristic": [{"name": k, "value": v} for k, v in (characteristics or {}).items()],
            **fields,
        }
        quantity = wire.pop("quantity", 1)
        item = msgspec.convert({k: v for k, v in wire.items() if v is not None}, ProductOrderItem)
        item.quantity = quantity  # the rules must hold even for a quantity the wire refuses
        return item

    return make


@pytest.fixture(scope="session")
def cart_with() -> Callable[..., Cart]:
    """A draft cart of the carrier's example parties (customer type "Consumer")."""

    def make(*items: ProductOrderItem, channel_id: str = "IND") -> Cart:
        request = copy.deepcopy(SEED_REQUEST)
        cart = msgspec.convert(
            {
                "id": "dea79fb0-21c4-11f1-8527-67c36c11d002",
                "version": 1,
                "state": "Draft",
                "creationDate": timestamp(NOW),
                "lastUpdate": timestamp(NOW),
                "channel": {**request["channel"], "id": channel_id, "name": channel_id},
                "relatedParty": request["relatedParty"],
            },
            Cart,
        )
        cart.productOrderItem = list(items)
        return cart

    return make


def configure_all(cart: Cart, catalog: Catalog) -> Cart:
    """The cart's payment registered and every terms it needs accepted (as
    POST /payment-methods with terms consent does)."""
    from omnicart.domain.checkout import terms_for
    from omnicart.domain.payment import agreements
    from omnicart.wire.cart import PaymentRef

    cart.configure([PaymentRef(id="PM-1")], agreements(terms_for(cart, catalog)))
    return cart
