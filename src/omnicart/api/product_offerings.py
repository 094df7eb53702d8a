"""Product offerings: the catalog a partner can put in a cart (omnicart extension,
shaped like the carrier's offers search: `productOfferingPrice[]`, each the one price shape
of the cart and the order, `Price` in domain/cart.py, as one item of the offering is charged)."""

from __future__ import annotations

from typing import cast

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, query_of, url_of
from omnicart.api.responses import JSONResponse
from omnicart.domain.catalog import ProductOffering
from omnicart.domain.pricing import TaxTable, offering_prices
from omnicart.wire.catalog import ProductOfferingView, ValidForView
from omnicart.wire.errors import ApiError
from omnicart.wire.items import ProductOfferingType
from omnicart.wire.values import timestamp


def render_offering(request: Request, offering: ProductOffering, taxes: TaxTable, currency: str) -> ProductOfferingView:
    window = offering.validFor
    return ProductOfferingView(
        id=offering.id,
        href=url_of(request, "getProductOffering", offeringId=offering.id),
        name=offering.name,
        productOfferingType=cast(ProductOfferingType, offering.productOfferingType),  # the catalog checked it
        productOfferingPrice=offering_prices(offering, taxes, currency),
        eligibility=offering.eligibility,
        validFor=ValidForView(
            startDateTime=timestamp(window.startDateTime) if window.startDateTime else None,
            endDateTime=timestamp(window.endDateTime) if window.endDateTime else None,
        ),
    )


async def list_offerings(request: Request) -> Response:
    kind = query_of(request).type or None
    carts = carts_of(request)
    catalog = carts.catalog
    return JSONResponse([render_offering(request, o, carts.taxes, catalog.currency) for o in catalog.offerings(kind)])


async def get_offering(request: Request) -> Response:
    carts = carts_of(request)
    offering = carts.catalog.get(request.path_params["offeringId"])
    if offering is None:
        raise ApiError(404, "OMNICART-OFFERING-0404", "no such product offering")
    return JSONResponse(render_offering(request, offering, carts.taxes, carts.catalog.currency))
