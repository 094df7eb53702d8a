"""Checkout: what a partner needs before express submit, besides the cart's own validation
and totals: the terms the customer must accept and the ways the order can reach them.

Shaped like the carrier's Checkout (`POST /omni-svcs/v1/checkout`, fiber solution v1.0.1):
`fulfillmentOptions[]` with `id` and `fulfillmentMethod` ("DF" = shipped to the customer,
direct fulfilment), and the terms. Pure: the use case passes the freshly re-validated cart.

- Terms: the Wireless Customer Agreement for every cart with items; the Device Protection
  terms when protection is ordered; the Installment Agreement when a device is paid in
  monthly installments. All are required.
- Fulfilment options exist only when something physical is ordered (a device the
  customer does not bring, a SIM, an accessory): the delivery methods of
  domain/delivery.py, standard shipping (free, 3 to 5 days), express shipping (2 days) and
  pick-up in store ("ISPU", the next day). Dates are calendar dates counted from the
  checkout day.
- The direct-fulfilment solution asks the same per item (`item_options`): every shipped
  item with each method the cart can have (a pick-up needs a store), as a product
  offering of type "Delivery_Method" with the place it goes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import (
    DEVICE,
    PROTECTION,
    Catalog,
    ProductOffering,
    is_byod,
    offering_type,
    orders_offering,
)
from omnicart.domain.delivery import PHYSICAL_TYPES, available, places, shipped_items
from omnicart.domain.delivery_methods import DELIVERY_METHODS
from omnicart.domain.pricing import RECURRING
from omnicart.wire.cart import FulfillmentProduct
from omnicart.wire.fulfilment import DeliveryOption, ItemOptions
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.orders import Amount, FulfillmentOption, Terms
from omnicart.wire.prices import Money

WIRELESS_CUSTOMER_AGREEMENT = Terms(
    id="WCA",
    name="Wireless Customer Agreement",
    version="2025-06",
    text="Service is provided under the Wireless Customer Agreement, including its "
    "arbitration clause and the carrier's early termination terms.",
)
DEVICE_PROTECTION_TERMS = Terms(
    id="DP-TC",
    name="Device Protection Terms and Conditions",
    version="2025-01",
    text="Device protection covers loss, theft and damage of the protected device, with the "
    "deductibles of the plan chosen; coverage starts when the order is completed.",
)
INSTALLMENT_AGREEMENT = Terms(
    id="IA",
    name="Installment Agreement",
    version="2024-09",
    text="The device price is paid in monthly installments on the wireless bill; the "
    "remaining balance is due if service is cancelled.",
)


def ordered_kind(item: ProductOrderItem, offering: ProductOffering | None) -> tuple[str | None, bool] | None:
    """(productOfferingType, paid monthly) of an item that orders something the customer is
    sold, `offering` being the catalog's offering it names; None for one that does not (an
    existing product, the customer's own device)."""
    if not orders_offering(item):
        return None
    kind = offering_type(item, offering)
    if kind == DEVICE and is_byod(item):
        return None  # the customer's own device: nothing to sell or ship
    return kind, bool(offering and any(p.priceType == RECURRING for p in offering.prices))


def _ordered(cart: Cart, catalog: Catalog) -> list[tuple[str | None, bool]]:
    """(productOfferingType, paid monthly) of every item that orders something."""
    return [
        kind
        for item in cart.productOrderItem
        if (kind := ordered_kind(item, catalog.get(item.offering_id))) is not None
    ]


def terms_for(cart: Cart, catalog: Catalog) -> list[Terms]:
    if not cart.productOrderItem:
        return []
    return terms_of(_ordered(cart, catalog))


def terms_of(ordered: Iterable[tuple[str | None, bool]]) -> list[Terms]:
    """The terms of a cart with items, from what its items order (`ordered_kind`)."""
    ordered = list(ordered)
    terms = [WIRELESS_CUSTOMER_AGREEMENT]
    if any(kind == PROTECTION for kind, _ in ordered):
        terms.append(DEVICE_PROTECTION_TERMS)
    if any(kind == DEVICE and monthly for kind, monthly in ordered):
        terms.append(INSTALLMENT_AGREEMENT)
    return terms


def fulfillment_options(cart: Cart, catalog: Catalog, today: date) -> list[FulfillmentOption]:
    if not any(kind in PHYSICAL_TYPES for kind, _ in _ordered(cart, catalog)):
        return []
    return [
        FulfillmentOption(
            id=method.id,
            fulfillmentMethod=method.method,
            name=method.name,
            finalPrice=Amount(Money(catalog.currency, float(method.amount))),
            dates=method.dates(today),
        )
        for method in DELIVERY_METHODS
    ]


def item_options(cart: Cart, catalog: Catalog, today: date, placeid: str | None) -> list[ItemOptions]:
    """The delivery options of each item the cart ships, in cart order (none: nothing to
    deliver); shipping goes to the customer's `placeid`."""
    methods = available(cart)
    options = [
        DeliveryOption(
            dates=method.dates(today),
            productOffering=method.ref,
            finalPrice=Amount(Money(catalog.currency, float(method.amount))),
            product=FulfillmentProduct(places(method, cart, placeid)),
        )
        for method in methods
    ]
    return [ItemOptions(item.productOrderItemId, options) for item in shipped_items(cart, catalog)]
