"""Product offerings: the catalog a partner can put in a cart (omnicart extension,
shaped like the carrier's offers search: `productOfferingPrice[]` with `dutyFreeAmount`)."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, path_of, query_of
from omnicart.api.errors import ApiError
from omnicart.api.responses import JSONResponse
from omnicart.domain.cart import Money
from omnicart.domain.catalog import Eligibility, ProductOffering
from omnicart.domain.representation import timestamp


class OfferingPriceAmounts(msgspec.Struct):
    dutyFreeAmount: Money


class ProductOfferingPrice(msgspec.Struct, omit_defaults=True):
    name: str
    priceType: str
    price: OfferingPriceAmounts
    recurringChargePeriod: str | None = None
    recurringChargePeriodLength: int | None = None


class ValidForView(msgspec.Struct):
    startDateTime: str | None
    endDateTime: str | None


class ProductOfferingView(msgspec.Struct):
    """A catalog offering, priced like the carrier's offers search."""

    id: str
    href: str
    name: str
    productOfferingType: str
    productOfferingPrice: list[ProductOfferingPrice]
    eligibility: Eligibility
    validFor: ValidForView


def render_offering(request: Request, offering: ProductOffering, currency: str) -> ProductOfferingView:
    window = offering.validFor
    return ProductOfferingView(
        id=offering.id,
        href=path_of(request, "getProductOffering", offeringId=offering.id),
        name=offering.name,
        productOfferingType=offering.productOfferingType,
        productOfferingPrice=[
            ProductOfferingPrice(
                name=price.name,
                priceType=price.priceType,
                price=OfferingPriceAmounts(Money(currency, float(price.amount))),
                recurringChargePeriod=price.recurringChargePeriod,
                recurringChargePeriodLength=1 if price.priceType == "RC" else None,
            )
            for price in offering.prices
        ],
        eligibility=offering.eligibility,
        validFor=ValidForView(
            startDateTime=timestamp(window.startDateTime) if window.startDateTime else None,
            endDateTime=timestamp(window.endDateTime) if window.endDateTime else None,
        ),
    )


async def list_offerings(request: Request) -> Response:
    kind = query_of(request).type or None
    catalog = carts_of(request).catalog
    return JSONResponse([render_offering(request, o, catalog.currency) for o in catalog.offerings(kind)])


async def get_offering(request: Request) -> Response:
    catalog = carts_of(request).catalog
    offering = catalog.get(request.path_params["offeringId"])
    if offering is None:
        raise ApiError(404, "OMNICART-OFFERING-0404", "no such product offering")
    return JSONResponse(render_offering(request, offering, catalog.currency))
