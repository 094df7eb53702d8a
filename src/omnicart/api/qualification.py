"""Service qualification over HTTP: the carrier's `POST /omni-svcs/v1/service-qualification`
(fiber move and change orders, v1.0.2). Translation only: HTTP in, use case call, HTTP out.
Every outcome of a well-formed request is a 200 (the address not found, not eligible,
qualified): the answer says which."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, qualification_of
from omnicart.api.operation import InputCodes
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.api.scenarios import scenarios_of
from omnicart.wire.qualification import ServiceQualificationRequest

# The carrier's codes for its offers system (its fiber error tables, reference §7.2).
OFFERS_INPUT = InputCodes("EXTSALESOPS-OFFERS-0003", "EXTSALESOPS-OFFERS-CPOPOFFER-0001")
OFFERS_FAILED = "EXTSALESOPS-OFFERS-CPOPOFFER-0002"


async def qualify_service(request: Request) -> Response:
    body = await decode_body(request, ServiceQualificationRequest, carts_of(request).limits)
    return JSONResponse(await qualification_of(request).qualify(body, scenarios_of(request)))
