"""Offers search over HTTP: the carrier's `POST /omni-svcs/v1/offers/search` (DF 1.0.0),
answered with a JSON array of offerings in its price model. Translation only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, offers_of
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.wire.offers import OffersSearch


async def search(request: Request) -> Response:
    wanted = await decode_body(request, OffersSearch, carts_of(request).limits)
    return JSONResponse(offers_of(request).search(wanted))
