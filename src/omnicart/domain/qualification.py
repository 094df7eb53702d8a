"""Service qualification: what can be sold at a service address, and the carrier's answer
that says so. Pure: the address comes from address validation (providers/), the offers
from the catalog.

The answer, for the address a partner wrote:
- not found: `addressValidation.validationResult` "fails" (TMF673's word), no address, no
  qualification, no offers: there is nothing to qualify;
- found: "success" and the address (its `id` is where a cart item places the service),
  and one `serviceQualification[]` entry per kind of offer asked about: "qualified" when
  fiber can be had there and at least one of the address's offers is sold in the
  request's channel to its customer type now (the catalog's eligibility and validFor),
  else "unqualified" with the reason; `offers` are those catalog offerings, priced as the
  carrier's offers search prices them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from msgspec import UNSET

from omnicart.domain.catalog import Catalog, ProductOffering
from omnicart.domain.world import ServiceAddress
from omnicart.wire.items import ProductOfferingType
from omnicart.wire.orders import Amount
from omnicart.wire.prices import Money
from omnicart.wire.qualification import (
    AddressValidation,
    OfferPrice,
    OfferRequest,
    QualificationResult,
    QualifiedOffer,
    ServiceQualificationItem,
    ServiceQualificationResult,
    UnavailabilityReason,
    ValidGeographicAddress,
)

# omnicart's own reason codes (the carrier's pages name none for qualification).
FIBER_NOT_AVAILABLE = "FIBER_NOT_AVAILABLE"
NO_OFFER_SOLD = "NO_OFFER_SOLD"


@dataclass(frozen=True)
class Qualification:
    """What qualification found: the address (None: not found), the offerings sold there
    to this request, and why fiber cannot be had (empty when it can)."""

    address: ServiceAddress | None
    offerings: tuple[ProductOffering, ...] = ()
    reasons: tuple[UnavailabilityReason, ...] = ()


def qualify(
    address: ServiceAddress | None,
    catalog: Catalog,
    *,
    channel_id: str | None,
    customer_type: str | None,
    at: datetime,
    eligible: bool = True,
) -> Qualification:
    """Qualify `address` for fiber as of `at`; `eligible` False says it is not, whatever
    the address says (the sandbox's mock-scenario address_not_eligible)."""
    if address is None:
        return Qualification(None)
    if not eligible:
        label = "fiber service is not available at the address (mock-scenario address_not_eligible)"
        return Qualification(address, reasons=(UnavailabilityReason(FIBER_NOT_AVAILABLE, label),))
    if not address.eligible_for_fiber:
        label = address.fiber.reason or "fiber service is not available at the address"
        return Qualification(address, reasons=(UnavailabilityReason(FIBER_NOT_AVAILABLE, label),))
    # An offer the catalog does not have (a provider's data ahead of the catalog) cannot
    # be put in a cart, so it is not offered.
    known = (catalog.get(offer) for offer in address.fiber.offers)
    sold = tuple(o for o in known if o is not None and catalog.is_sellable(o, channel_id, at, customer_type))
    if not sold:
        label = f"no fiber offer at the address is sold in channel {channel_id!r} to customer type {customer_type!r}"
        return Qualification(address, reasons=(UnavailabilityReason(NO_OFFER_SOLD, label),))
    return Qualification(address, offerings=sold)


def answer(qualification: Qualification, asked: Sequence[OfferRequest], currency: str) -> ServiceQualificationResult:
    """The carrier's answer: one `serviceQualification[]` entry per kind of offer `asked`
    about (one for broadband when the request asked about none)."""
    address = qualification.address
    if address is None:
        return ServiceQualificationResult(AddressValidation("fails"), [], [])
    result: QualificationResult = "unqualified" if qualification.reasons else "qualified"
    items = [
        ServiceQualificationItem(
            id=str(number),
            serviceType="FIBER",
            productOfferingTypeGroup="BBOffers",
            qualificationResult=result,
            eligibilityUnavailabilityReason=list(qualification.reasons),
            billingAccountNumber=offer.billingAccountNumber if offer else UNSET,
            intent=offer.intent if offer else UNSET,
        )
        for number, offer in enumerate(asked or [None], start=1)
    ]
    return ServiceQualificationResult(
        AddressValidation("success", valid_address(address)),
        items,
        [qualified_offer(offering, currency) for offering in qualification.offerings],
    )


def valid_address(address: ServiceAddress) -> ValidGeographicAddress:
    return ValidGeographicAddress(
        id=address.id,
        streetNr=address.streetNr,
        streetName=address.streetName,
        streetType=address.streetType,
        city=address.city,
        stateOrProvince=address.stateOrProvince,
        postcode=address.postcode,
        postcodeExtension=address.postcodeExtension,
    )


def qualified_offer(offering: ProductOffering, currency: str) -> QualifiedOffer:
    return QualifiedOffer(
        id=offering.id,
        name=offering.name,
        productOfferingType=cast(ProductOfferingType, offering.productOfferingType),  # the catalog checked it
        productOfferingPrice=offer_prices(offering, currency),
    )


def offer_prices(offering: ProductOffering, currency: str) -> list[OfferPrice]:
    """The offering's prices in the carrier's price model (reference §5.5), before tax."""
    prices = []
    for price in offering.prices:
        amount = Amount(Money(currency, price.cents / 100))
        recurring = price.priceType == "RC"
        prices.append(
            OfferPrice(
                name=price.name,
                priceCategory="serviceRC" if recurring else "serviceNRC",
                priceType=price.priceType,
                recurringChargePeriod="month" if recurring else UNSET,
                recurringChargePeriodLength=1 if recurring else UNSET,
                price=amount,
                finalPrice=amount,
                standalonePrice=amount,
            )
        )
    return prices
