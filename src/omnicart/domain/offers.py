"""Offers search: the catalog offerings a partner may add to a customer's order, priced
as the carrier's offers search prices them (DF 1.0.0, reference §4.2 and §5.5).

The carrier's groups, onto the catalog's types (omnicart's mapping; the reference names
the groups, not what is in them):

| productOfferingTypeGroup | productOfferingType                                   |
| ------------------------ | ----------------------------------------------------- |
| `mobileDevice`           | Mobile_Device                                         |
| `mobilePlan`             | Mobile_Offer, Mobile_Plan                             |
| `mobileOffer`            | Mobile_Offer, Mobile_Plan, SIM, Device_Protection, Active_Armor, Accessory |
| `BBOffers`               | Broadband_Offer                                       |

What is found, in catalog order:

- sellable now: within its `validFor`, to the `customerType` (its eligibility's
  `customerTypes`, in any case: "CONSUMER" is "Consumer") and in the `channel` (its
  `channelIds`); a search that names no customer type or channel finds only what is sold
  to every one;
- `deviceType`: an offering made for another kind of device is left out; one made for
  none (a plan, a SIM, protection, an accessory, broadband) is for any;
- `BYOD.edModels`, the customer brings a device of one of these models: `mobileDevice`
  finds the devices of those models (the offering a BYOD item names, not charged in a
  cart), and every group finds nothing when no catalog device has any of the models (a
  device the carrier does not know cannot be used on its network).

Each offering is shown by `carrier_offering`: its catalog prices before tax, each with a
`priceCategory` ("service" for plans and broadband, "equipment" for devices, SIMs and
accessories, "feature" for protection and ActiveArmor, then "RC" or "NRC"); a device nests the
protection plans sold with it, a plan the SIMs (`bundledProductOffering[]`, each group
named after the type of its options, and found by the same rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import cast

from msgspec import UNSET

from omnicart.domain.catalog import ACTIVE_ARMOR, DEVICE, PLAN, PROTECTION, Catalog, ProductOffering
from omnicart.wire.catalog import (
    BundledProductOffering,
    BundledProductOfferingOption,
    CarrierOffering,
    OfferingPriceView,
)
from omnicart.wire.items import ProductOfferingType
from omnicart.wire.offers import OffersSearch
from omnicart.wire.orders import Amount
from omnicart.wire.prices import Money

GROUPS: dict[str, tuple[str, ...]] = {
    "mobileDevice": (DEVICE,),
    "mobilePlan": (PLAN, "Mobile_Plan"),
    "mobileOffer": (PLAN, "Mobile_Plan", "SIM", PROTECTION, ACTIVE_ARMOR, "Accessory"),
    "BBOffers": ("Broadband_Offer",),
}
# What an offering of a type is sold with: its options, by their type.
BUNDLED: dict[str, str] = {DEVICE: PROTECTION, PLAN: "SIM", "Mobile_Plan": "SIM"}
_CATEGORY = {
    "Mobile_Offer": "service",
    "Mobile_Plan": "service",
    "Broadband_Offer": "service",
    PROTECTION: "feature",
    ACTIVE_ARMOR: "feature",
}


def search(catalog: Catalog, wanted: OffersSearch, at: datetime) -> list[CarrierOffering]:
    """The offerings `wanted` finds at `at`, as the carrier shows them."""
    found = _sellable(catalog, wanted, at)
    types = GROUPS[wanted.productOfferingTypeGroup]
    if wanted.BYOD:
        models = set(wanted.BYOD.models)
        if not any(models & set(o.edModels) for o in catalog.offerings(DEVICE)):
            return []
        if wanted.productOfferingTypeGroup == "mobileDevice":
            return [_shown(o, catalog, found) for o in catalog if found(o) and models & set(o.edModels)]
    return [_shown(o, catalog, found) for o in catalog if o.productOfferingType in types and found(o)]


def _sellable(catalog: Catalog, wanted: OffersSearch, at: datetime) -> Callable[[ProductOffering], bool]:
    channel = wanted.channel.id if wanted.channel else None
    customer_type = wanted.customerType or None
    device_types = set(wanted.deviceType or ())

    def found(offering: ProductOffering) -> bool:
        if device_types and offering.deviceType is not None and offering.deviceType not in device_types:
            return False
        return catalog.is_sellable(offering, channel, at, customer_type)

    return found


def _shown(offering: ProductOffering, catalog: Catalog, found: Callable[[ProductOffering], bool]) -> CarrierOffering:
    bundled = BUNDLED.get(offering.productOfferingType)
    options = [o for o in catalog.offerings(bundled) if found(o)] if bundled else []
    return carrier_offering(offering, catalog.currency, {bundled: options} if options and bundled else None)


def carrier_offering(
    offering: ProductOffering, currency: str, bundled: dict[str, Iterable[ProductOffering]] | None = None
) -> CarrierOffering:
    """A catalog offering in the carrier's shape; `bundled`: the offerings sold with it,
    by the name of their group."""
    return CarrierOffering(
        id=offering.id,
        name=offering.name,
        productOfferingType=_type(offering),
        productOfferingPrice=offering_price_views(offering, currency),
        bundledProductOffering=UNSET
        if not bundled
        else [
            BundledProductOffering(
                name=name,
                bundledProductOfferingOption=[
                    BundledProductOfferingOption(
                        id=option.id,
                        name=option.name,
                        productOfferingType=_type(option),
                        productOfferingPrice=offering_price_views(option, currency),
                    )
                    for option in options
                ],
            )
            for name, options in bundled.items()
        ],
    )


def offering_price_views(offering: ProductOffering, currency: str) -> list[OfferingPriceView]:
    """An offering's catalog prices before tax, as the carrier's offers search shows them."""
    category = _CATEGORY.get(offering.productOfferingType, "equipment")
    views = []
    for price in offering.prices:
        amount = Amount(Money(currency, price.cents / 100))
        recurring = price.priceType == "RC"
        views.append(
            OfferingPriceView(
                name=price.name,
                priceCategory=category + price.priceType,
                priceType=price.priceType,
                recurringChargePeriod="month" if recurring else UNSET,
                recurringChargePeriodLength=1 if recurring else UNSET,
                price=amount,
                finalPrice=amount,
                standalonePrice=amount,
            )
        )
    return views


def _type(offering: ProductOffering) -> ProductOfferingType:
    return cast(ProductOfferingType, offering.productOfferingType)  # the catalog checked it
