"""The use case of the carrier's offers search (`POST /omni-svcs/v1/offers/search`, DF
1.0.0): the catalog's offerings as the carrier prices them, found as of now
(domain/offers.py). It reads the catalog only: no cart, no store."""

from __future__ import annotations

from omnicart.domain import offers
from omnicart.services.carts import CartService
from omnicart.wire.catalog import CarrierOffering
from omnicart.wire.offers import OffersSearch


class OfferSearch:
    def __init__(self, carts: CartService) -> None:
        self.carts = carts  # its catalog, and its clock (a test may set a fake one on it)

    def search(self, wanted: OffersSearch) -> list[CarrierOffering]:
        return offers.search(self.carts.catalog, wanted, self.carts.clock())
