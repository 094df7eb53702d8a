"""The carrier's direct-fulfilment add-a-line calls over HTTP (DF 1.0.0, reference §4.2):
translation only, HTTP in, use case call (services/direct_fulfilment.py), HTTP out.

- `POST /omni-svcs/v1/fulfillment-options`, `POST /omni-svcs/v1/terms`: reads, by the
  body's `orderId`; the order's cart is not changed.
- `POST /omni-svcs/v1/order/{orderId}/fulfillment`, `…/terms`, `…/billing`: cart changes,
  answered with the carrier's bodies (the order's validation where it shows it) and the
  cart's new ETag; If-Match and Idempotency-Key as on every cart change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from msgspec import UNSET
from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.carts import cart_answer
from omnicart.api.context import carts_of, direct_fulfilment_of, partner_of
from omnicart.api.idempotency import reply_for
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse, respond
from omnicart.services.answers import RenderedCart
from omnicart.wire.billing import ENROLLED, BillingRequest
from omnicart.wire.errors import invalid_field
from omnicart.wire.fulfilment import FulfillmentOptionsRequest, FulfillmentSelection
from omnicart.wire.terms import TermsConsent, TermsRequest, TermsView


def _order_id(request: Request) -> str:
    order_id: str = request.path_params["orderId"]
    return order_id


async def fulfillment_options(request: Request) -> Response:
    body = await decode_body(request, FulfillmentOptionsRequest, carts_of(request).limits)
    view = await direct_fulfilment_of(request).fulfillment_options(
        partner_of(request), body.orderId, body.placeid or None
    )
    return JSONResponse(view)


async def select_fulfillment(request: Request) -> Response:
    body = await decode_body(request, FulfillmentSelection, carts_of(request).limits)
    return await _changed(request, direct_fulfilment_of(request).select_fulfillment, body)


async def terms(request: Request) -> Response:
    body = await decode_body(request, TermsRequest, carts_of(request).limits)
    agreements = await direct_fulfilment_of(request).terms(partner_of(request), body.orderId)
    return JSONResponse(TermsView(agreements))


async def accept_terms(request: Request) -> Response:
    body = await decode_body(request, TermsConsent, carts_of(request).limits)
    return await _changed(request, direct_fulfilment_of(request).accept_terms, body)


async def update_billing(request: Request) -> Response:
    body = await decode_body(request, BillingRequest, carts_of(request).limits)
    enrollment = body.enrollment
    if all(getattr(enrollment, name) is UNSET for name in ENROLLED):
        raise invalid_field("enrollment", f"name {' or '.join(ENROLLED)} (or both)", missing=True)
    return await _changed(request, direct_fulfilment_of(request).update_billing, body)


async def _changed(request: Request, change: Callable[..., Awaitable[RenderedCart]], body: object) -> Response:
    """An order change (the order named in the path): the use case's answer, and the
    cart's ETag; recorded for an Idempotency-Key."""
    answer = cart_answer(request)
    cart = await change(
        partner_of(request),
        _order_id(request),
        body,
        if_match=request.headers.get("if-match"),
        reply=reply_for(request, answer),
    )
    return respond(answer.render(cart))
