"""Prices on the wire: `Price`, the one price shape of omnicart (a catalog offering's
`productOfferingPrice[]`, an item's `itemPrice[]`, the cart's and the order's
`orderTotalPrice[]`), and `Money`, an amount in a currency."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

PriceType = Literal["NRC", "RC"]  # one-time, recurring


class Money(msgspec.Struct, frozen=True):
    unit: str
    value: float  # rendered from exact minor units; never used for arithmetic


class PriceAmounts(msgspec.Struct, frozen=True, omit_defaults=True):
    dutyFreeAmount: Money
    taxIncludedAmount: Money | None = None
    taxRate: float | None = None


TaxIncluded = Literal["Excluded"]
RecurringChargePeriod = Literal["month"]


class Price(msgspec.Struct, frozen=True, kw_only=True):
    """The one price shape of omnicart: every entry of a catalog offering's
    `productOfferingPrice[]`, of an item's `itemPrice[]` and of `orderTotalPrice[]`, on the
    cart and on the order. The carrier's shape (its offers search):

    - `price`: what is charged; `dutyFreeAmount` and, an omnicart addition, the
      `taxIncludedAmount` and (not on totals, which mix rates) the `taxRate`;
    - `finalPrice`: the price after alterations (discounts, promotions). omnicart applies
      none, so it is always equal to `price`;
    - `taxIncluded`: "Excluded", as the carrier: `dutyFreeAmount` is before tax;
    - on a recurring ("RC") price, `recurringChargePeriod` "month" and
      `recurringChargePeriodLength` 1; a one-time ("NRC") price has neither.

    Only `price` need be given: the rest follows from it (also when a cart stored before
    these fields existed is read back).
    """

    name: str
    priceType: PriceType
    recurringChargePeriod: RecurringChargePeriod | UnsetType = UNSET
    recurringChargePeriodLength: Annotated[int, Meta(ge=1)] | UnsetType = UNSET
    price: PriceAmounts
    finalPrice: PriceAmounts | UnsetType = UNSET
    taxIncluded: TaxIncluded = "Excluded"

    def __post_init__(self) -> None:
        if self.finalPrice is UNSET:
            msgspec.structs.force_setattr(self, "finalPrice", self.price)
        if self.priceType == "RC":
            if self.recurringChargePeriod is UNSET:
                msgspec.structs.force_setattr(self, "recurringChargePeriod", "month")
            if self.recurringChargePeriodLength is UNSET:
                msgspec.structs.force_setattr(self, "recurringChargePeriodLength", 1)
