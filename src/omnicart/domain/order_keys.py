"""What an order is found by besides its ids: its line of business and the billing accounts
it names, the carrier's orders query filters `lineOfBusiness` and `accountNumber`
(docs/orders-query.md). Both are settled when the order is placed; the store keeps them
beside the order, indexed.

- A line of business is `FIBER` (wireline: an item of type Broadband_Offer) or `WIRELESS`
  (everything else: plans, devices, SIMs, protection, accessories). The names are the
  carrier's `serviceType` values (customers/search). An order holding both, which omnicart
  does not refuse and the carrier's solutions never make, is a `FIBER` order.
- The billing accounts are those its items name (`billingAccount.id`), in item order,
  each once. An order of a new customer names none.
"""

from __future__ import annotations

from typing import Final

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, offering_type
from omnicart.domain.world import BROADBAND
from omnicart.wire.items import ProductOrderItem

WIRELESS: Final = "WIRELESS"
FIBER: Final = "FIBER"
LINES_OF_BUSINESS: tuple[str, ...] = (WIRELESS, FIBER)


def line_type(item: ProductOrderItem, catalog: Catalog | None = None) -> str:
    """The line of business of one item: the catalog's type of its offering, else the type
    the item states (an item acting on an existing product names no offering)."""
    offering = catalog.get(item.offering_id) if catalog is not None else None
    return FIBER if offering_type(item, offering) == BROADBAND else WIRELESS


def line_of_business(cart: Cart, catalog: Catalog | None = None) -> str:
    """The order's: FIBER as soon as one item is, else WIRELESS."""
    return FIBER if any(line_type(item, catalog) == FIBER for item in cart.productOrderItem) else WIRELESS


def billing_accounts(cart: Cart) -> list[str]:
    return list(dict.fromkeys(item.billingAccount.id for item in cart.productOrderItem if item.billingAccount))
