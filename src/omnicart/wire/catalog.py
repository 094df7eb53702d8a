"""Product offerings on the wire.

- `GET /omni-svcs/v1/productOfferings[/{id}]` (omnicart extension) answers
  `ProductOfferingView`s, each priced in the one price shape of the cart and the order
  (`Price`), tax included.
- The carrier's own offering shape, `CarrierOffering` with `OfferingPriceView`s (its offers
  search, DF 1.0.0, reference §5.5): prices before tax (`taxIncluded` "Excluded"), with
  `priceCategory`, `role` "Price", `finalPrice` and `standalonePrice`; an offering may
  nest the offerings sold with it (`bundledProductOffering[]`). The one carrier-priced
  offering of omnicart: `POST /omni-svcs/v1/offers/search` answers an array of them,
  built from a catalog offering by one function (domain/offers.py, `carrier_offering`).
"""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from omnicart.wire.items import ProductOfferingType
from omnicart.wire.orders import Amount
from omnicart.wire.prices import Price, PriceType, RecurringChargePeriod
from omnicart.wire.values import Timestamp


class Eligibility(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who may be sold an offering: an empty list means anyone. The catalog file holds
    the same object."""

    channelIds: list[str] = []
    customerTypes: list[str] = []


class ValidForView(msgspec.Struct):
    startDateTime: Timestamp | None
    endDateTime: Timestamp | None


class ProductOfferingView(msgspec.Struct):
    """A catalog offering, priced like the carrier's offers search."""

    id: str
    href: str
    name: str
    productOfferingType: ProductOfferingType
    productOfferingPrice: list[Price]
    eligibility: Eligibility
    validFor: ValidForView


class OfferingPriceView(msgspec.Struct, kw_only=True):
    """A price as the carrier's offers search shows it: before tax (`taxIncluded`
    "Excluded"; the cart adds the tax), `finalPrice` after alterations (omnicart has none)
    and `standalonePrice` outside any bundle (the same), all equal to `price`.
    `priceCategory` is what is charged and how: "serviceRC" (seen: a plan's monthly
    charge) and, omnicart's, "service" / "equipment" / "feature" + "RC" / "NRC"."""

    name: str
    priceCategory: str
    priceType: PriceType
    recurringChargePeriod: RecurringChargePeriod | UnsetType = UNSET
    recurringChargePeriodLength: int | UnsetType = UNSET
    role: Literal["Price"] = "Price"
    price: Amount
    finalPrice: Amount
    standalonePrice: Amount
    taxIncluded: Literal["Excluded"] = "Excluded"


class BundledProductOfferingOption(msgspec.Struct, kw_only=True):
    """An offering that can be chosen with the one it is bundled in."""

    id: str
    name: str
    productOfferingType: ProductOfferingType
    productOfferingPrice: list[OfferingPriceView]


class BundledProductOffering(msgspec.Struct, kw_only=True):
    """A group of options sold with an offering (a device's protection plans, a plan's
    SIMs), named after their productOfferingType."""

    name: str
    bundledProductOfferingOption: list[BundledProductOfferingOption]


class CarrierOffering(msgspec.Struct, kw_only=True):
    """A catalog offering as the carrier prices it: add it to a cart as it is (an item with
    this `productOfferingType` and `productOfferingId` = `id`)."""

    id: str
    name: str
    productOfferingType: ProductOfferingType
    productOfferingPrice: list[OfferingPriceView]
    bundledProductOffering: list[BundledProductOffering] | UnsetType = UNSET
