"""The delivery methods: the ways an ordered item can reach the customer, each a product
offering of the carrier's type "Delivery_Method" (its direct-fulfilment calls name them
so, reference §4.2). Days are calendar days counted from today, the services' clock:

| id                  | method | name              | price | ships     | delivered |
| ------------------- | ------ | ----------------- | ----- | --------- | --------- |
| `standard-shipping` | DF     | Standard Shipping | 0.00  | day 1     | days 3-5  |
| `express-shipping`  | DF     | Express Shipping  | 14.99 | day 0     | day 2     |
| `store-pickup`      | ISPU   | Pick up in store  | 0.00  | day 0     | day 1     |

("DF": shipped to the customer; "ISPU": in-store pick-up.) This table is the one place
they are written: every catalog holds them as offerings (domain/catalog.py, so that an
item of type "Delivery_Method" can buy one), and domain/delivery.py chooses them per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from omnicart.wire.cart import DeliveryMethodRef
from omnicart.wire.orders import DateRange, Dates

DELIVERY_METHOD = "Delivery_Method"  # the productOfferingType of a delivery method, and its tax table key


@dataclass(frozen=True)
class DeliveryMethod:
    id: str
    method: Literal["DF", "ISPU"]
    name: str
    amount: Decimal
    ships: tuple[int, int]  # first and last day it leaves (reaches the store, for a pick-up)
    delivered: tuple[int, int]  # first and last day the customer has it

    @property
    def cents(self) -> int:
        return int(self.amount.scaleb(2))

    @property
    def pickup(self) -> bool:
        return self.method == "ISPU"

    @property
    def ref(self) -> DeliveryMethodRef:
        return DeliveryMethodRef(self.id, self.name)

    def dates(self, today: date) -> Dates:
        def days(span: tuple[int, int]) -> DateRange:
            return DateRange(today + timedelta(days=span[0]), today + timedelta(days=span[1]))

        return Dates(shipmentDates=days(self.ships), deliveryDates=days(self.delivered))


DELIVERY_METHODS: tuple[DeliveryMethod, ...] = (
    DeliveryMethod("standard-shipping", "DF", "Standard Shipping", Decimal("0.00"), (1, 1), (3, 5)),
    DeliveryMethod("express-shipping", "DF", "Express Shipping", Decimal("14.99"), (0, 0), (2, 2)),
    DeliveryMethod("store-pickup", "ISPU", "Pick up in store", Decimal("0.00"), (0, 0), (1, 1)),
)
_BY_ID = {method.id: method for method in DELIVERY_METHODS}


def delivery_method(method_id: str) -> DeliveryMethod | None:
    return _BY_ID.get(method_id)
