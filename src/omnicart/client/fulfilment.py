"""The calls about what is offered and how it is delivered, `Client`'s and
`AsyncClient`'s (composed in client/sync.py and client/aio.py, whose docstring names what
the examples use): the catalog's offerings, the carrier's offers search (direct
fulfilment) and an order's delivery options."""

from __future__ import annotations

from collections.abc import Sequence

from omnicart.client import calls
from omnicart.client.base import AsyncSends, IfMatch, Sends
from omnicart.client.shapes import (
    OffersSearchDict,
    SelectedOptionDict,
)
from omnicart.wire.catalog import CarrierOffering, ProductOfferingView
from omnicart.wire.fulfilment import FulfillmentOptionsView, FulfillmentSelectionResult, SelectedOption
from omnicart.wire.offers import OffersSearch


class FulfilmentCalls(Sends):
    """The offerings to put in a cart and the delivery of what was ordered."""

    # -- offerings ----------------------------------------------------------------------

    def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        """The catalog's offerings (`type`: a productOfferingType, e.g. "Mobile_Offer").
        Raises OmnicartError.

        >>> "Value Plus VL" in [offering.name for offering in api.product_offerings("Mobile_Offer")]
        True
        """
        return self.send(calls.product_offerings(type))

    def offers_search(
        self, request: OffersSearch | OffersSearchDict, *, scenario: str | None = None
    ) -> list[CarrierOffering]:
        """Direct fulfilment, add a line (docs/direct-fulfilment.md): the carrier's offers
        search, offerings in its price model. Raises OmnicartError 400.

        >>> found = api.offers_search({"productOfferingTypeGroup": "mobileDevice", "customerType": "CONSUMER"})
        >>> found[0].name
        'iPhone 16 128GB'
        """
        return self.send(calls.offers_search(request), scenario)

    # -- delivery -----------------------------------------------------------------------

    def fulfillment_options(
        self, order_id: str, *, placeid: str | None = None, scenario: str | None = None
    ) -> FulfillmentOptionsView:
        """The delivery options of each physical item of the order (by either of its names).
        Changes nothing. Raises OmnicartError 404.

        >>> found = api.fulfillment_options(api.add_items(cart.id, LINE).id)
        >>> item = found.selectedOptions[0].options[0]
        >>> item.productOrderItemId, [option.productOffering.id for option in item.fulfillmentOptions]
        ('line-1-sim', ['standard-shipping', 'express-shipping'])
        """
        return self.send(calls.fulfillment_options(order_id, placeid), scenario)

    def select_fulfillment(
        self,
        order_id: str,
        selected: Sequence[SelectedOption | SelectedOptionDict],
        *,
        placeid: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> FulfillmentSelectionResult:
        """Choose a delivery method per item (`selected`: the `selectedOptions` list).
        Raises TypeError for a body where the list belongs; OmnicartError 400 (an item or
        method the order has not), 404, 412.

        >>> api.add_items(cart.id, LINE).version
        2
        >>> sim = {"productOrderItemId": "line-1-sim", "productOffering": {"id": "standard-shipping"}}
        >>> chosen = api.select_fulfillment(cart.id, [sim])
        >>> [(s.productOffering.name, s.status) for s in chosen.selectedOptions]
        [('Standard Shipping', 'success')]
        """
        return self.send(calls.select_fulfillment(order_id, selected, placeid, if_match), scenario)


class AsyncFulfilmentCalls(AsyncSends):
    """`FulfilmentCalls`, awaited."""

    # -- offerings ----------------------------------------------------------------------

    async def product_offerings(self, type: str | None = None) -> list[ProductOfferingView]:
        """`Client.product_offerings`, awaited."""
        return await self.send(calls.product_offerings(type))

    async def offers_search(
        self, request: OffersSearch | OffersSearchDict, *, scenario: str | None = None
    ) -> list[CarrierOffering]:
        """`Client.offers_search`, awaited."""
        return await self.send(calls.offers_search(request), scenario)

    # -- delivery -----------------------------------------------------------------------

    async def fulfillment_options(
        self, order_id: str, *, placeid: str | None = None, scenario: str | None = None
    ) -> FulfillmentOptionsView:
        """`Client.fulfillment_options`, awaited."""
        return await self.send(calls.fulfillment_options(order_id, placeid), scenario)

    async def select_fulfillment(
        self,
        order_id: str,
        selected: Sequence[SelectedOption | SelectedOptionDict],
        *,
        placeid: str | None = None,
        if_match: IfMatch = None,
        scenario: str | None = None,
    ) -> FulfillmentSelectionResult:
        """`Client.select_fulfillment`, awaited."""
        return await self.send(calls.select_fulfillment(order_id, selected, placeid, if_match), scenario)
