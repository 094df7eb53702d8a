"""Service qualification on the wire: the carrier's `POST /omni-svcs/v1/service-qualification`
(fiber move and change orders, v1.0.2), its request and its answer.

Seen on the carrier's pages: the request `{channel, geographicAddress{postcode, city,
stateOrProvince, addressCharacteristic[{name: "addressLine1", valueType, value}]},
customerType, offers[{productOfferingTypeGroup: "BBOffers", billingAccountNumber,
intent}]}` and the answer `{addressValidation{validationResult: "success",
validGeographicAddress{id, streetNr, streetName, streetType, city, stateOrProvince,
postcode, postcodeExtension}}, serviceQualification[], offers}`, with offers priced as
the carrier's offers search prices them (`productOfferingPrice[]`).

omnicart's own, where the pages stop: a `serviceQualification[]` element after TM Forum's
TMF645 (`qualificationResult`, `eligibilityUnavailabilityReason[]`), the address that is
not found as TMF673 says it (`validationResult` "fails", no `validGeographicAddress`).
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.cart import Channel
from omnicart.wire.items import ProductOfferingType
from omnicart.wire.open import Open
from omnicart.wire.orders import Amount
from omnicart.wire.prices import PriceType, RecurringChargePeriod
from omnicart.wire.values import NonEmpty

ADDRESS_LINE1 = "addressLine1"
ZIP_PATTERN = r"^[0-9]{5}(-?[0-9]{4})?$"


class AddressCharacteristic(Open):
    """A part of the address by name; `addressLine1` (the street line) is required."""

    name: NonEmpty
    value: str
    valueType: str | UnsetType = UNSET


class GeographicAddress(Open):
    """The address to qualify, as a partner writes it: the street line in the
    `addressLine1` characteristic, a ZIP code (ZIP+4 too), optionally city and state."""

    postcode: Annotated[str, Meta(pattern=ZIP_PATTERN, examples=["75202"])]
    addressCharacteristic: Annotated[list[AddressCharacteristic], Meta(max_length=20)]
    city: NonEmpty | UnsetType = UNSET
    stateOrProvince: NonEmpty | UnsetType = UNSET

    def characteristic(self, name: str) -> str | None:
        return next((c.value for c in self.addressCharacteristic if c.name == name), None)


class OfferRequest(Open):
    """What kind of offers the partner asks about: broadband (`BBOffers`) for a billing
    account, with an intent such as "MOVE"."""

    productOfferingTypeGroup: Literal["BBOffers"]
    billingAccountNumber: str | UnsetType = UNSET
    intent: NonEmpty | UnsetType = UNSET


class ServiceQualificationRequest(msgspec.Struct, kw_only=True):
    """`POST /omni-svcs/v1/service-qualification`: is this a service address, can fiber be
    had there, and which offers; offers are those the catalog sells in `channel` to
    `customerType` (when its eligibility says so)."""

    geographicAddress: GeographicAddress
    channel: Channel | UnsetType = UNSET
    customerType: Annotated[str, Meta(min_length=1, examples=["CONSUMER"])] | UnsetType = UNSET
    offers: Annotated[list[OfferRequest], Meta(max_length=10)] | UnsetType = UNSET


# -- the answer -------------------------------------------------------------------------------


class ValidGeographicAddress(msgspec.Struct):
    """The service address found: its `id` is what a cart item places the service at."""

    id: str
    streetNr: str
    streetName: str
    streetType: str
    city: str
    stateOrProvince: str
    postcode: str
    postcodeExtension: str


ValidationResult = Literal["success", "fails"]


class AddressValidation(msgspec.Struct):
    """`validationResult` "success" with the address found, or (omnicart's, after TMF673)
    "fails" and no `validGeographicAddress`: no such service address."""

    validationResult: ValidationResult
    validGeographicAddress: ValidGeographicAddress | UnsetType = UNSET


class UnavailabilityReason(msgspec.Struct):
    """Why the service cannot be had (TMF645's `eligibilityUnavailabilityReason`)."""

    code: str
    label: str


QualificationResult = Literal["qualified", "unqualified"]


class ServiceQualificationItem(msgspec.Struct):
    """omnicart's own shape (TMF645 CheckServiceQualificationItem): one per entry of the
    request's `offers[]` (one when it has none), its `billingAccountNumber` and `intent`
    echoed; "qualified" when fiber can be had at the address and an offer is sold there
    in the request's channel to its customer type."""

    id: str
    serviceType: Literal["FIBER"]
    productOfferingTypeGroup: Literal["BBOffers"]
    qualificationResult: QualificationResult
    eligibilityUnavailabilityReason: list[UnavailabilityReason]
    billingAccountNumber: str | UnsetType = UNSET
    intent: str | UnsetType = UNSET


class OfferPrice(msgspec.Struct, kw_only=True):
    """A price as the carrier's offers search shows it: before tax (`taxIncluded`
    "Excluded"; the cart adds the tax), the same amount as `price`, `finalPrice` (after
    alterations: none) and `standalonePrice` (without a bundle: the same)."""

    name: str
    priceCategory: str  # "serviceRC" (seen); "serviceNRC" for a one-time price (omnicart's)
    priceType: PriceType
    recurringChargePeriod: RecurringChargePeriod | UnsetType = UNSET
    recurringChargePeriodLength: int | UnsetType = UNSET
    role: Literal["Price"] = "Price"
    price: Amount
    finalPrice: Amount
    standalonePrice: Amount
    taxIncluded: Literal["Excluded"] = "Excluded"


class QualifiedOffer(msgspec.Struct):
    """A catalog offering sold at the address: add it to a cart as it is (an item with
    this `productOfferingType` and `productOfferingId` = `id`)."""

    id: str
    name: str
    productOfferingType: ProductOfferingType
    productOfferingPrice: list[OfferPrice]


class ServiceQualificationResult(msgspec.Struct):
    addressValidation: AddressValidation
    serviceQualification: list[ServiceQualificationItem]
    offers: list[QualifiedOffer]
