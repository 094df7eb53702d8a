"""Product offerings on the wire (omnicart extension, shaped like the carrier's offers
search): `GET /omni-svcs/v1/productOfferings[/{id}]` answers `ProductOfferingView`s, each
priced in the one price shape of the cart and the order (`Price`)."""

from __future__ import annotations

import msgspec

from omnicart.wire.cart import Price, ProductOfferingType, Timestamp


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
