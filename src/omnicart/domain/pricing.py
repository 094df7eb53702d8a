"""Pricing a cart: item prices from the catalog, tax, and the order totals.

Money is counted in integer cents; `Money.value` (a float) is only how a cent amount is
written on the wire. Tax is computed per item price line and rounded half-up to the cent.
Each total adds up the very cent amounts its lines show, so `orderTotalPrice` equals the
sum of the `itemPrice` entries exactly, duty-free and tax-included alike.

- An item that orders an offering gets one `itemPrice` entry per catalog price of that
  offering, multiplied by its `quantity`. No price goes to items that keep, change or end
  an existing product (`noChange`, `modify`, `terminate`, `delete`), to a device the customer brings (`isBYOD`
  "true": the offering only names its model), to unknown offerings and to items without
  a positive quantity. Validation, not pricing, says whether an offering may be sold.
- An item of type "Delivery_Method" buys a delivery method as an offering of the catalog
  (every catalog holds them, domain/catalog.py): one "NRC" price, at the method's rate.
- A delivery method chosen for an item (direct fulfilment, domain/delivery.py) is priced
  like an item: its `itemPrice` (one "NRC" entry named after the method, taxed at the
  rate for "Delivery_Method") counts towards "Due today", so the totals are the sum of
  the items' and the chosen deliveries' `itemPrice` entries. A choice whose item left the
  cart or has nothing to deliver any more is not charged.
- `orderTotalPrice` always holds two entries, zero when nothing is charged, so a client
  finds them at the same place in every cart: "Due today" (priceType "NRC", the one-time
  charges) and "Monthly recurring" (priceType "RC", recurringChargePeriod "month").
  Totals carry no `taxRate`, as they can mix rates.
- Every price has the carrier's shape (`Price` in domain/cart.py): `finalPrice` (after
  alterations: omnicart has none, so it equals `price`), `taxIncluded` "Excluded", and on
  RC `recurringChargePeriod` "month" with `recurringChargePeriodLength` 1. The catalog
  shows an offering's prices in the same shape: an item's prices at quantity 1
  (`offering_prices`).

Tax rates come from a `TaxTable`, a default rate with per-productOfferingType overrides,
read from `omnicart/data/tax.json` or any file of the same shape:

    {"defaultRate": "0.0825", "byProductOfferingType": {"Mobile_Offer": "0.10"}}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from os import PathLike
from typing import Any, Final

import msgspec

from omnicart.domain.cart import Cart
from omnicart.domain.catalog import (
    Catalog,
    ProductOffering,
    decode_data_file,
    is_byod,
    orders_offering,
    read_data_file,
)
from omnicart.domain.delivery import ships
from omnicart.domain.delivery_methods import DELIVERY_METHOD, delivery_method
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.prices import Money, Price, PriceAmounts, PriceType

ONE_TIME: Final = "NRC"
RECURRING: Final = "RC"
TOTAL_NAMES: dict[PriceType, str] = {ONE_TIME: "Due today", RECURRING: "Monthly recurring"}


class TaxTable(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    defaultRate: Decimal = Decimal(0)
    byProductOfferingType: dict[str, Decimal] = {}

    def __post_init__(self) -> None:
        # msgspec turns a ValueError raised here into its ValidationError, so a bad rate
        # is reported like any other bad field, from a file or from a dict.
        rates = {"defaultRate": self.defaultRate} | {
            f"byProductOfferingType.{kind}": rate for kind, rate in self.byProductOfferingType.items()
        }
        for field, rate in rates.items():
            if not (rate.is_finite() and 0 <= rate <= 1):
                raise ValueError(f"{field}: {rate} is not a fraction between 0 and 1")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaxTable:
        """Build from configuration; raises msgspec.ValidationError naming the bad field."""
        return msgspec.convert(data, cls)

    def rate_for(self, productOfferingType: str) -> Decimal:
        return self.byProductOfferingType.get(productOfferingType, self.defaultRate)


def load_tax_table(path: str | PathLike[str]) -> TaxTable:
    return read_data_file(path, TaxTable)


@functools.cache
def load_default_tax_table() -> TaxTable:
    resource = files("omnicart") / "data" / "tax.json"
    return decode_data_file(resource.read_bytes(), "omnicart/data/tax.json", TaxTable)


# What an item is charged: its `itemPrice` entries, and their cents towards the totals:
# (one-time duty-free, one-time tax-included, recurring duty-free, recurring tax-included).
Cents = tuple[int, int, int, int]
PricedItem = tuple[list[Price], Cents]
# An item's prices depend only on the offering, the quantity and the rate: carts repeat
# them (a store's carts hold the same few phones and plans), so they are computed once.
PriceLines = tuple[tuple[Price, ...], Cents]
_MEMO_LIMIT = 10_000


def price_cart(
    order: Cart,
    catalog: Catalog,
    taxes: TaxTable,
    memo: dict[Any, PriceLines] | None = None,
    *,
    priced: Sequence[PricedItem] | None = None,
) -> None:
    """Set every item's `itemPrice` and the cart's `orderTotalPrice`.

    `memo` keeps computed lines between calls; pass the same dict for the same catalog
    and tax table only. `priced` holds each item's `price_item`, in item order, when the
    caller kept them for these very items (domain/assessment.py).
    """
    items = order.productOrderItem
    if priced is None:
        memo = {} if memo is None else memo
        priced = [price_item(item, catalog, taxes, memo) for item in items]
    for item, (prices, _) in zip(items, priced, strict=True):
        if item.itemPrice is not prices:
            item.itemPrice = prices
    sums = [sum(column) for column in zip(*[cents for _, cents in priced], strict=True)] or [0, 0, 0, 0]
    if order.fulfillment:
        net, gross = price_deliveries(order, catalog, taxes)
        sums[0] += net
        sums[1] += gross
    order.orderTotalPrice = [
        _price(TOTAL_NAMES[ONE_TIME], ONE_TIME, sums[0], sums[1], catalog.currency),
        _price(TOTAL_NAMES[RECURRING], RECURRING, sums[2], sums[3], catalog.currency),
    ]


def price_item(item: ProductOrderItem, catalog: Catalog, taxes: TaxTable, memo: dict[Any, PriceLines]) -> PricedItem:
    """An item's `itemPrice` (a list of its own) and its cents towards the totals; nothing for
    an item that is not charged or not in the catalog."""
    offering = catalog.get(item.offering_id) if is_charged(item) else None
    if offering is None:
        return [], (0, 0, 0, 0)
    key = (offering.id, item.quantity)
    lines = memo.get(key)
    if lines is None:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        lines = memo[key] = _lines(offering, item.quantity, taxes, catalog.currency)
    prices, cents = lines
    return list(prices), cents


def _lines(offering: ProductOffering, quantity: int, taxes: TaxTable, currency: str) -> PriceLines:
    rate = taxes.rate_for(offering.productOfferingType)
    prices = []
    cents = [0, 0, 0, 0]
    for price in offering.prices:
        net = price.cents * quantity
        gross = net + _tax(net, rate)
        prices.append(_price(price.name, price.priceType, net, gross, currency, rate))
        column = 0 if price.priceType == ONE_TIME else 2
        cents[column] += net
        cents[column + 1] += gross
    return tuple(prices), (cents[0], cents[1], cents[2], cents[3])


def price_deliveries(order: Cart, catalog: Catalog, taxes: TaxTable) -> tuple[int, int]:
    """Set the `itemPrice` of every delivery method chosen on the cart; their one-time cents
    (duty free, tax included)."""
    items = {item.productOrderItemId: item for item in order.productOrderItem}
    rate = taxes.rate_for(DELIVERY_METHOD)
    net = gross = 0
    for selection in order.fulfillment or ():
        item = items.get(selection.productOrderItemId)
        method = delivery_method(selection.productOffering.id)
        if item is None or method is None or not ships(item, catalog.get(item.offering_id)):
            selection.itemPrice = []
            continue
        cents = method.cents
        with_tax = cents + _tax(cents, rate)
        selection.itemPrice = [_price(method.name, ONE_TIME, cents, with_tax, catalog.currency, rate)]
        net += cents
        gross += with_tax
    return net, gross


def offering_prices(offering: ProductOffering, taxes: TaxTable, currency: str) -> list[Price]:
    """An offering's prices as the catalog shows them: those of one item of it."""
    prices, _ = _lines(offering, 1, taxes, currency)
    return list(prices)


def is_charged(item: ProductOrderItem) -> bool:
    """Whether the customer pays for the item's offering (when the catalog has it)."""
    return item.quantity > 0 and orders_offering(item) and not is_byod(item)


def _tax(cents: int, rate: Decimal) -> int:
    return int((cents * rate).to_integral_value(ROUND_HALF_UP))


def _price(
    name: str,
    price_type: PriceType,
    duty_free: int,
    tax_included: int,
    unit: str,
    rate: Decimal | None = None,
) -> Price:
    return Price(
        name=name,
        priceType=price_type,
        price=PriceAmounts(
            dutyFreeAmount=Money(unit, duty_free / 100),
            taxIncludedAmount=Money(unit, tax_included / 100),
            taxRate=None if rate is None else float(rate),
        ),
    )
