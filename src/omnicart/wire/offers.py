"""Offers search on the wire: the carrier's `POST /omni-svcs/v1/offers/search`
(direct-fulfilment add-a-line, DF 1.0.0, `getproductofferings`; reference §4.2). It
answers a JSON array of `CarrierOffering`s (wire/catalog.py); what it finds is the
domain's (domain/offers.py)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from omnicart.wire.cart import Channel
from omnicart.wire.values import NonEmpty

ProductOfferingTypeGroup = Literal["mobileOffer", "mobilePlan", "mobileDevice", "BBOffers"]
ModelCode = Annotated[str, Meta(min_length=1, max_length=64, examples=["iPh11PMA2161"])]


class BringYourOwnDevice(msgspec.Struct, forbid_unknown_fields=True):
    """The customer's own device, by its equipment model code (one, or a list)."""

    edModels: ModelCode | Annotated[list[ModelCode], Meta(min_length=1, max_length=20)]

    @property
    def models(self) -> list[str]:
        return [self.edModels] if isinstance(self.edModels, str) else list(self.edModels)


class OffersSearch(msgspec.Struct, forbid_unknown_fields=True):
    """What to find: a group of the carrier's offering types, sellable to `customerType`
    (e.g. "CONSUMER"), for the device types named, for a customer bringing a device of
    the `BYOD` models; `channel` (omnicart's, as service qualification's body has it): the
    channel it is sold in (without it, only what every channel sells)."""

    productOfferingTypeGroup: ProductOfferingTypeGroup
    customerType: NonEmpty | UnsetType = UNSET
    BYOD: BringYourOwnDevice | UnsetType = UNSET
    deviceType: Annotated[list[NonEmpty], Meta(min_length=1, max_length=10, examples=[["Phone"]])] | UnsetType = UNSET
    channel: Channel | UnsetType = UNSET
